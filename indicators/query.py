"""Data provider: the only indicators module that reads SQL (SQLAlchemy Core, read-only).

A ``Store`` wraps an engine and caches what every request needs, keyed by the store's data
version (the latest successful ``load_run`` row: id, finish time), so that a new ETL run is picked
up on the next call without restarting the app:

* the periods (year, month) at which a variable has usable values;
* the observations of one variable for one period (``WHERE variable, year, month``: the
  store's index), restricted to the ~600 codes of the observatory's scope (see ``territories``);
* the commune table of an indicator for one period (``aggregate.commune_table``) and its
  array view, so that a request is a dictionary lookup plus a few numpy sums;
* the territory names, levels and 2025 membership; the declared sources (credits, licences);
* for the explanations (issue #15): the raw files loaded, the quality flags, the 2024/2025 memberships.

Every cached value lives in ``indicators.cache`` (one cache per process, or one Redis shared by
all processes), keyed by the store's address and data version. ``store(engine)`` returns the
``Store`` of an engine.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa

import config
from etl.contract import SUPRA_CODES
from etl.registry import sources as declared_sources
from etl.store.schema import (
    load_run,
    observation,
    quality_flag,
    raw_file,
    source,
    territory,
    territory_geometry,
    territory_member,
)
from indicators import aggregate
from indicators.cache import data_cache
from indicators.catalogue import Indicator
from indicators.geo import GEO_VINTAGE, Territories

OBS_COLUMNS = ["code", "variable", "year", "month", "value", "status", "source_id"]
T = TypeVar("T")

# the data change only when a run succeeds: a run in progress or failed keeps the caches warm
_VERSION = (
    sa.select(load_run.c.id, load_run.c.finished_at)
    .where(load_run.c.status == "ok")
    .order_by(load_run.c.id.desc())
    .limit(1)
)
_O = observation.c
_AT = (
    _O.variable == sa.bindparam("variable"),
    _O.year == sa.bindparam("year"),
    _O.month == sa.bindparam("month"),
)
# candidate periods come from the (variable, year, month) index alone; each is then confirmed by
# one indexed probe for a usable value (a whole period can be 'missing', e.g. Sitadel starts 2024)
_CANDIDATES = sa.select(_O.year, _O.month).where(_O.variable == sa.bindparam("variable")).distinct()
_USABLE = sa.select(sa.literal(1)).where(*_AT, _O.value.is_not(None), _O.status.in_(aggregate.VALID)).limit(1)
# a vintage of the observatory has values for communes, not only published supra values (Filosofi
# 2017: MGP and departments only): the indicators' vintages are read with this probe
_USABLE_LOCAL = _USABLE.where(_O.code.not_in(SUPRA_CODES))
_SLICE = sa.select(*(_O[c] for c in OBS_COLUMNS)).where(
    *_AT, _O.code.in_(sa.bindparam("codes", expanding=True))
)


class Store:
    """Cached read access to one SQL store (the cache is ``indicators.cache``: shared by every
    worker when Redis is configured; keys carry the store's address and its data version)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._lock = threading.RLock()
        self._address = engine.url.render_as_string(hide_password=True)
        self._version: Any = None

    def clear(self) -> None:
        """Forget the data version: the next call reads it again (cached entries of the current
        version stay valid: they are the same data)."""
        with self._lock:
            self._version = None

    def version(self) -> Any:
        """Identity of the loaded data (latest load_run row), read from the store on each call."""
        with self.engine.connect() as conn:
            current = tuple(conn.execute(_VERSION).first() or ())
        with self._lock:
            self._version = current
        return current

    def _cached(self, parts: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """``make()``, cached for this store and data version."""
        version = self._version if self._version is not None else self.version()
        return data_cache().get_or_set((self._address, version), parts, make)

    def cached_at(self, version: Any, parts: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """``make()``, cached for this store at ``version`` (a version read once per request by
        the app: ``callbacks.data.data_version``), so that one request never mixes two loads."""
        return data_cache().get_or_set((self._address, version), parts, make)

    def once(self, name: str) -> bool:
        """True for the first process (of those sharing the cache) to ask, per data version."""
        return data_cache().once((self._address, self.version()), name)

    # -- observations ------------------------------------------------------------------------
    def periods(self, variable: str) -> list[tuple[int, int]]:
        """Periods (year, month) where ``variable`` has at least one usable value."""

        def load() -> list[tuple[int, int]]:
            with self.engine.connect() as conn:
                candidates = conn.execute(_CANDIDATES, {"variable": variable}).all()
                usable = [
                    (int(y), int(m))
                    for y, m in candidates
                    if conn.execute(_USABLE, {"variable": variable, "year": y, "month": m}).first()
                ]
            return sorted(usable)

        return self._cached(("periods", variable), load)

    def local_periods(self, variable: str) -> list[tuple[int, int]]:
        """Periods where ``variable`` has a usable value for at least one commune (not only for
        supra codes such as MGP or D94): the vintages of the indicators (``indicators.vintages``)."""

        def load() -> list[tuple[int, int]]:
            with self.engine.connect() as conn:
                return [
                    p
                    for p in self.periods(variable)
                    if conn.execute(
                        _USABLE_LOCAL, {"variable": variable, "year": p[0], "month": p[1]}
                    ).first()
                ]

        return self._cached(("local_periods", variable), load)

    def cached(self, parts: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """``make()``, cached for this store and data version (for the indicators' modules)."""
        return self._cached(parts, make)

    def _slice(self, variable: str, period: tuple[int, int]) -> pd.DataFrame:
        def load() -> pd.DataFrame:
            params = {"variable": variable, "year": period[0], "month": period[1], "codes": self.scope()}
            with self.engine.connect() as conn:
                rows = conn.execute(_SLICE, params).all()
            # plain tuples: pandas inspects SQLAlchemy rows one by one (~10 times slower)
            return pd.DataFrame([tuple(r) for r in rows], columns=OBS_COLUMNS).astype({"value": float})

        return self._cached(("slice", variable, period, *_home_key()), load)

    def observations(self, variables: Iterable[str], periods: Iterable[tuple[int, int]]) -> pd.DataFrame:
        """Observations of some variables at some periods, as a long frame (``OBS_COLUMNS``)."""
        parts = [self._slice(v, p) for v in dict.fromkeys(variables) for p in sorted(set(periods))
                 if p in set(self.periods(v))]  # fmt: skip
        parts = [p for p in parts if len(p)]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OBS_COLUMNS)

    def commune_table(
        self, ind: Indicator, year: int, month: int = 0
    ) -> tuple[aggregate.TableView, tuple[str, ...]]:
        """The commune table of one period as arrays (cached) and the source ids it read."""

        def build() -> tuple[aggregate.TableView, tuple[str, ...]]:
            variables = ind.formula.variables
            available = {v: self.periods(v) for v in variables}
            num_p, den_p = aggregate.resolve_periods(ind, year, month, available)
            if not any(num_p in available[t.variable] for t in ind.formula.numerator):
                raise aggregate.PeriodError(
                    f"{ind.id}: no observation for {year}" + (f"-{month:02d}" if month else "")
                )
            obs = self.observations(variables, {num_p, den_p} - {None})
            table = aggregate.commune_table(ind, obs, year, month, available)
            used = sorted(set(obs.loc[obs["value"].notna(), "source_id"].unique()))  # not row by row
            return aggregate.TableView.of(table), tuple(used)

        # the indicator's formula is part of the key: the catalogue may change between releases
        return self._cached(("table", ind.id, repr(ind.formula), year, month, *_home_key()), build)

    # -- reference tables --------------------------------------------------------------------
    def territories(self) -> Territories:
        """Names, levels and 2025 membership of the territories in the observatory's scope.

        Scope: the member communes of the 12 territories, MGP and the departments with members
        (75, 91-95: about 500 communes), those groups, Paris arrondissements and the national rows
        (FR, FRM); plus the configured home (``observatoire.yaml``, issue #11) with its
        departments, its configured references and, outside the metropolis, its region. The store
        holds every commune, EPCI, department and region of France (some raw files are national);
        the rest is out of the observatory's scope.
        """
        home = config.home()
        return self._cached(("territories", home.code, home.references), self._load_territories)

    def _links(self, conn: sa.Connection, groups: Iterable[str]) -> dict[str, list[str]]:
        m = territory_member.c
        rows = conn.execute(
            sa.select(m.group_code, m.member_code)
            .where((m.geo_vintage == GEO_VINTAGE) & m.group_code.in_(sorted(set(groups))))
            .order_by(m.group_code, m.member_code)
        ).all()
        out: dict[str, list[str]] = {}
        for group, member in rows:
            out.setdefault(group, []).append(member)
        return out

    def _load_territories(self) -> Territories:
        home = config.home()
        t = territory.c
        with self.engine.connect() as conn:
            base = conn.execute(sa.select(t.code).where(t.level.in_(("ept", "mgp")))).scalars().all()
            members = self._links(conn, [*base, home.code, *(home.references or ())])
            communes = {c for ms in members.values() for c in ms}
            # the departments with members in scope (75, 91-95 for the metropolis), and the home's region
            deps = conn.execute(
                sa.select(t.dep_code).distinct().where(t.code.in_(sorted(communes)) & t.dep_code.is_not(None))
            ).scalars()
            extra = {"D" + d for d in deps}
            if not config.home().in_metropolis and members.get(home.code):
                m = territory_member.c
                extra |= set(
                    conn.execute(
                        sa.select(m.group_code)
                        .distinct()
                        .where(
                            (m.geo_vintage == GEO_VINTAGE)
                            & (m.member_code == members[home.code][0])
                            & m.group_code.like("R%")
                        )
                    ).scalars()
                )
            members |= self._links(conn, extra - set(members))
            if not config.home().in_metropolis:  # the home's peers: the EPCIs of its region
                members |= self._links(conn, self._region_epcis(conn, extra) - set(members))
            wanted = set(members) | {m for ms in members.values() for m in ms}
            rows = conn.execute(
                sa.select(territory.c.code, territory.c.name, territory.c.level).where(
                    territory.c.code.in_(sorted(wanted))
                    | territory.c.level.in_(("france", "mgp"))
                    | ((territory.c.level == "arrondissement") & territory.c.code.like("751%"))
                )
            ).all()
        return Territories(
            names={c: n for c, n, _ in rows},
            levels={c: lv for c, _, lv in rows},
            members={g: tuple(m) for g, m in members.items()},
        )

    def _region_epcis(self, conn: sa.Connection, groups: Iterable[str]) -> set[str]:
        """EPCIs with a commune in one of the regions of ``groups`` (``indicators.home.peers``)."""
        regions = sorted(g for g in groups if g.startswith("R"))
        if not regions:
            return set()
        m, t = territory_member.c, territory.c
        in_region = sa.select(m.member_code).where((m.geo_vintage == GEO_VINTAGE) & m.group_code.in_(regions))
        epcis = sa.select(t.code).where(t.level == "epci")
        query = (
            sa.select(m.group_code)
            .distinct()
            .where((m.geo_vintage == GEO_VINTAGE) & m.member_code.in_(in_region) & m.group_code.in_(epcis))
        )
        return set(conn.execute(query).scalars())

    def scope(self) -> list[str]:
        """Codes whose observations are read: the territories in scope and the published supra codes."""
        key = ("scope", config.home().code, config.home().references)
        return self._cached(key, lambda: sorted(set(self.territories().levels) | set(SUPRA_CODES)))

    def sources(self) -> dict[str, dict[str, Any]]:
        """Declared sources by id (titles, producer, vintage, licence, credits, page URL)."""

        def load() -> dict[str, dict[str, Any]]:
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(source)).mappings().all()
            return {r["id"]: _public_wording(dict(r)) for r in rows}

        return self._cached(("sources",), load)

    def raw_files(self) -> dict[str, list[dict[str, Any]]]:
        """Loaded raw files by source id (path, URL, sha256, size, rows, origin, load date)."""

        def load() -> dict[str, list[dict[str, Any]]]:
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(raw_file).order_by(raw_file.c.source_id, raw_file.c.file_key))
                out: dict[str, list[dict[str, Any]]] = {}
                for r in rows.mappings():
                    out.setdefault(r["source_id"], []).append(dict(r))
            return out

        return self._cached(("raw_files",), load)

    def memberships(self) -> dict[int, dict[str, tuple[str, ...]]]:
        """Groups of each member code, by map year (2024 and 2025): to name merged communes."""

        groups = sorted(self.territories().members)  # the groups in scope (the store has all of France)

        def load() -> dict[int, dict[str, tuple[str, ...]]]:
            m = territory_member.c
            with self.engine.connect() as conn:
                query = sa.select(m.geo_vintage, m.member_code, m.group_code).where(m.group_code.in_(groups))
                rows = conn.execute(query).all()
            out: dict[int, dict[str, list[str]]] = {}
            for year, member, group in rows:
                out.setdefault(int(year), {}).setdefault(member, []).append(group)
            return {y: {c: tuple(sorted(g)) for c, g in d.items()} for y, d in out.items()}

        return self._cached(("memberships", tuple(groups)), load)

    def quality_flags(self, variables: Iterable[str]) -> pd.DataFrame:
        """Quality flags on some variables, plus the file-level ones (no variable) of every source."""
        key = tuple(sorted(set(variables)))

        def load() -> pd.DataFrame:
            q = quality_flag.c
            query = sa.select(q.source_id, q.code, q.variable, q.year, q.kind, q.message).where(
                q.variable.in_(key) | q.variable.is_(None)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(q.id)).all()
            return pd.DataFrame(rows, columns=["source_id", "code", "variable", "year", "kind", "message"])

        return self._cached(("flags", key), load)

    # -- geometries and load dates -------------------------------------------------------------
    def geometries(self, codes: Iterable[str]) -> dict[str, dict[str, Any]]:
        """GeoJSON geometries (2025 map) of ``codes`` (Feature wrappers removed), cached per
        data version code by code (maps ask for the same communes again and again)."""
        wanted = list(dict.fromkeys(codes))
        out: dict[str, dict[str, Any]] = {}
        for code in wanted:
            out[code] = self._cached(
                ("geometry", code), lambda code=code: self._load_geometries([code]).get(code)
            )
        return {c: g for c, g in out.items() if g is not None}

    def _load_geometries(self, codes: list[str]) -> dict[str, dict[str, Any]]:
        t = territory_geometry.c
        query = sa.select(t.code, t.geojson).where(t.geo_vintage == GEO_VINTAGE, t.code.in_(codes))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = {}
        for code, text in rows:
            geom = json.loads(text)
            out[code] = geom.get("geometry", geom) if geom.get("type") == "Feature" else geom
        return out

    def centroids(self, codes: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Label points (lon, lat) of ``codes`` on the 2025 map."""
        key = tuple(sorted(set(codes)))

        def load() -> dict[str, tuple[float, float]]:
            t = territory_geometry.c
            query = sa.select(t.code, t.lon, t.lat).where(t.geo_vintage == GEO_VINTAGE, t.code.in_(key))
            with self.engine.connect() as conn:
                return {c: (float(x), float(y)) for c, x, y in conn.execute(query) if x is not None}

        return self._cached(("centroids", key), load)

    # -- whole tables, for the workspace's upload preview (rare: not cached) ---------------------
    def stored_values(self, variables: Iterable[str]) -> pd.DataFrame:
        """Every stored value of ``variables`` (all codes, all periods): code, variable, year, month, value."""
        query = sa.select(_O.code, _O.variable, _O.year, _O.month, _O.value).where(
            _O.variable.in_(sorted(set(variables)))
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["code", "variable", "year", "month", "value"])
        return frame.astype({"year": int, "month": int, "value": float})

    def places(self) -> pd.DataFrame:
        """Every territory of the store (code, name, level), in or out of the observatory's scope."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(territory.c.code, territory.c.name, territory.c.level)).all()
        return pd.DataFrame(rows, columns=["code", "name", "level"])

    def knows_territory(self, code: str) -> bool | None:
        """Whether ``code`` is a territory of the store (None: no territory loaded yet)."""
        t = territory.c
        with self.engine.connect() as conn:
            if conn.execute(sa.select(t.code).limit(1)).first() is None:
                return None
            return conn.execute(sa.select(t.code).where(t.code == code)).first() is not None

    def loaded_at(self) -> datetime | None:
        """When the data in use were loaded (end of the latest successful run), or None."""
        version = self.version()
        when = version[1] if len(version) > 1 else None
        return when if isinstance(when, datetime) else None


#: A source's public wording (credit lines, producer, dataset, licence) is read from its current
#: declaration (``etl/sources/<id>.yaml``) when it has one, so that a store loaded before a wording
#: fix never shows the old text; the vintage stays the one loaded (an upload may change it).
_WORDING = (
    "title_fr",
    "title_en",
    "producer",
    "dataset",
    "licence",
    "licence_url",
    "page_url",
    "credit_fr",
    "credit_en",
)


def _public_wording(row: dict[str, Any]) -> dict[str, Any]:
    spec = declared_sources().get(row["id"])
    return row if spec is None else {**row, **{k: getattr(spec, k) for k in _WORDING}}


def _home_key() -> tuple[str, tuple[str, ...] | None]:
    """The configured home in cache keys: it decides the scope of what is read (issue #11)."""
    home = config.home()
    return home.code, home.references


@lru_cache(maxsize=16)
def store(engine: sa.Engine) -> Store:
    """The shared ``Store`` of an engine (one per engine object)."""
    return Store(engine)
