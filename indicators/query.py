"""Data provider: the only indicators module that reads SQL (SQLAlchemy Core, read-only).

A ``Store`` wraps an engine and caches what every request needs, keyed by the store's data
version (the latest ``load_run`` row: id, status, finish time), so that a new ETL run is picked
up on the next call without restarting the app:

* the periods (year, month) at which a variable has usable values;
* the observations of one variable for one period (``WHERE variable, year, month``: the
  store's index), restricted to the ~600 codes of the observatory's scope (see ``territories``);
* the commune table of an indicator for one period (``aggregate.commune_table``) and its
  array view, so that a request is a dictionary lookup plus a few numpy sums;
* the territory names, levels and 2025 membership; the declared sources (credits, licences).

Caches are bounded (least recently used entries go first). ``store(engine)`` returns the shared
``Store`` of an engine.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Any

import pandas as pd
import sqlalchemy as sa

from etl.contract import SUPRA_CODES
from etl.store.schema import load_run, observation, source, territory, territory_member
from indicators import aggregate
from indicators.catalogue import Indicator
from indicators.geo import GEO_VINTAGE, Territories

OBS_COLUMNS = ["code", "variable", "year", "month", "value", "status", "source_id"]
MAX_SLICES = 512  # (variable, period) slices kept; the largest (national census files) are ~1 MB
MAX_TABLES = 512  # (indicator, period) commune tables kept

_VERSION = (
    sa.select(load_run.c.id, load_run.c.status, load_run.c.finished_at)
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
_SLICE = sa.select(*(_O[c] for c in OBS_COLUMNS)).where(
    *_AT, _O.code.in_(sa.bindparam("codes", expanding=True))
)


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_or(self, key: Hashable, make) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class Store:
    """Cached read access to one SQL store."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._lock = threading.RLock()
        self._version: Any = object()
        self._reset()

    def _reset(self) -> None:
        self._periods: dict[str, list[tuple[int, int]]] = {}
        self._slices = _LRU(MAX_SLICES)
        self._tables = _LRU(MAX_TABLES)
        self._territories: Territories | None = None
        self._scope: list[str] | None = None
        self._sources: dict[str, dict[str, Any]] | None = None

    def clear(self) -> None:
        """Forget every cached value (the next call reloads, as after a new ETL run)."""
        with self._lock:
            self._reset()
            self._version = object()

    def version(self) -> Any:
        """Identity of the loaded data (latest load_run row); clears the caches when it changes."""
        with self.engine.connect() as conn:
            current = tuple(conn.execute(_VERSION).first() or ())
        if current != self._version:
            with self._lock:
                self._reset()
                self._version = current
        return current

    # -- observations ------------------------------------------------------------------------
    def periods(self, variable: str) -> list[tuple[int, int]]:
        """Periods (year, month) where ``variable`` has at least one usable value."""
        if variable not in self._periods:
            with self.engine.connect() as conn:
                candidates = conn.execute(_CANDIDATES, {"variable": variable}).all()
                usable = [
                    (int(y), int(m))
                    for y, m in candidates
                    if conn.execute(_USABLE, {"variable": variable, "year": y, "month": m}).first()
                ]
            self._periods[variable] = sorted(usable)
        return self._periods[variable]

    def _slice(self, variable: str, period: tuple[int, int]) -> pd.DataFrame:
        def load() -> pd.DataFrame:
            params = {"variable": variable, "year": period[0], "month": period[1], "codes": self.scope()}
            with self.engine.connect() as conn:
                rows = conn.execute(_SLICE, params).all()
            return pd.DataFrame(rows, columns=OBS_COLUMNS).astype({"value": float})

        with self._lock:
            return self._slices.get_or((variable, period), load)

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
            used = sorted(set(obs.loc[obs["value"].notna(), "source_id"]))
            return aggregate.TableView.of(table), tuple(used)

        key = (ind.id, year, month)
        with self._lock:
            if key in self._tables:
                return self._tables.get_or(key, build)
        result = build()  # outside the lock: a slow first load must not block cached requests
        with self._lock:
            return self._tables.get_or(key, lambda: result)

    # -- reference tables --------------------------------------------------------------------
    def territories(self) -> Territories:
        """Names, levels and 2025 membership of the territories in the observatory's scope.

        Scope: the member communes of T1..T12, MGP and the departments with members (75, 91-95:
        about 500 communes), those groups, Paris arrondissements and the national rows (FR, FRM).
        The store holds the whole COG (35,000 communes) because some raw files are national;
        the rest of France is out of the observatory's scope.
        """
        if self._territories is None:
            with self.engine.connect() as conn:
                links = conn.execute(
                    sa.select(territory_member.c.group_code, territory_member.c.member_code)
                    .where(territory_member.c.geo_vintage == GEO_VINTAGE)
                    .order_by(territory_member.c.group_code, territory_member.c.member_code)
                ).all()
                members: dict[str, list[str]] = {}
                for group, member in links:
                    members.setdefault(group, []).append(member)
                wanted = set(members) | {m for ms in members.values() for m in ms}
                rows = conn.execute(
                    sa.select(territory.c.code, territory.c.name, territory.c.level).where(
                        territory.c.code.in_(sorted(wanted))
                        | territory.c.level.in_(("france", "mgp"))
                        | ((territory.c.level == "arrondissement") & territory.c.code.like("751%"))
                    )
                ).all()
            self._territories = Territories(
                names={c: n for c, n, _ in rows},
                levels={c: lv for c, _, lv in rows},
                members={g: tuple(m) for g, m in members.items()},
            )
        return self._territories

    def scope(self) -> list[str]:
        """Codes whose observations are read: the territories in scope and the published supra codes."""
        if self._scope is None:
            self._scope = sorted(set(self.territories().levels) | set(SUPRA_CODES))
        return self._scope

    def sources(self) -> dict[str, dict[str, Any]]:
        """Declared sources by id (titles, producer, vintage, licence, credits, page URL)."""
        if self._sources is None:
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(source)).mappings().all()
            self._sources = {r["id"]: dict(r) for r in rows}
        return self._sources


@lru_cache(maxsize=16)
def store(engine: sa.Engine) -> Store:
    """The shared ``Store`` of an engine (one per engine object)."""
    return Store(engine)
