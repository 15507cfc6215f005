"""Which vintages have data for the places shown (issue #11): a home outside Île-de-France.

The catalogue's latest vintage is the latest in the store for *some* place; a source may cover
Île-de-France only (the 2022 comparateur files, France Travail …), so for the CA du Pays Basque
the latest year with a value is 2018. Pages default to ``latest_year(…)`` of the places they
show, and say « this source only covers Île-de-France » (``uncovered_area``) when no vintage has
any value for the home, instead of a grid of "n.d.".

The answers are those of ``service.value_rows`` at every vintage (a value, its status, the
« not covered » rule of ``service._not_covered``), computed without building a commune table of
the whole scope per vintage: a territory's value depends only on its own rows and its members'
(``aggregate``), so the table of the places asked (one query per set of places and data
version) gives the same rows. Only « not covered » asks about the rest of the scope: which
departments the commune rows of each variable cover (one query per data version, when needed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd
import sqlalchemy as sa

import config
from etl.store.schema import observation
from indicators import aggregate
from indicators.aggregate import PeriodError
from indicators.query import OBS_COLUMNS, store
from indicators.vintages import resolve as resolve_vintages

#: What ``uncovered_area`` answers for a source whose communes all lie in Île-de-France.
IDF = "idf"
#: … and for a source that covers other places, none of them the home's.
ELSEWHERE = "elsewhere"
#: … and for census variables that the census file loaded for the home lacks (its vintages
#: covering Île-de-France only, e.g. the 2022 files, while the national 2018 file has no such
#: column): not an Île-de-France limit of the source (review R2, point 7).
ABSENT = "absent"
#: Census sources (``insee_comparateur_rp2018`` …), not ``sdes_rpls_2024``.
_CENSUS = re.compile(r"^insee_.*_rp\d{4}")
#: Minimum coverage of a group's sum: ``service.value_rows``' default.
MIN_COVERAGE = 0.5

_O = observation.c
_ROWS = sa.select(*(_O[c] for c in OBS_COLUMNS)).where(_O.code.in_(sa.bindparam("codes", expanding=True)))
# the departments of the commune rows (5-character codes: communes, Paris arrondissements) in the
# observatory's scope, by variable and period: what a « not covered » reason names (one query, the
# primary key's code first: ~0.15 s for a region's 5,000 codes)
_DEPARTMENTS = (
    sa.select(_O.variable, _O.year, _O.month, sa.func.substr(_O.code, 1, 2))
    .distinct()
    .where(sa.func.length(_O.code) == 5)
    .where(_O.code.in_(sa.bindparam("codes", expanding=True)))
)

Slot = tuple[str, tuple[int, int]]  # (variable, period) read by a commune table
T = TypeVar("T")


def _home_key() -> tuple[str, tuple[str, ...] | None]:
    home = config.home()  # the scope of what is read depends on it (``query.Store.scope``)
    return home.code, home.references


def _observations(engine: sa.Engine, codes: tuple[str, ...]) -> pd.DataFrame:
    """Every observation of ``codes`` (all variables and periods): one indexed query (primary key
    ``code, variable, year, month``), cached per data version."""

    def load() -> pd.DataFrame:
        with engine.connect() as conn:
            rows = conn.execute(_ROWS, {"codes": list(codes)}).all() if codes else []
        return pd.DataFrame([tuple(r) for r in rows], columns=OBS_COLUMNS).astype({"value": float})

    return store(engine)._cached(("coverage-rows", codes, *_home_key()), load)


def _departments(engine: sa.Engine) -> dict[Slot, frozenset[str]]:
    """(variable, period) → departments of the scope's commune rows there (any status)."""
    st = store(engine)

    def load() -> dict[Slot, frozenset[str]]:
        out: dict[Slot, set[str]] = {}
        with engine.connect() as conn:
            for variable, year, month, dep in conn.execute(_DEPARTMENTS, {"codes": st.scope()}).all():
                out.setdefault((variable, (int(year), int(month))), set()).add(dep)
        return {k: frozenset(d) for k, d in out.items()}

    return st._cached(("coverage-departments", *_home_key()), load)


def _idf_only(known: dict[Slot, frozenset[str]], slots: frozenset[Slot]) -> bool:
    """Whether the commune rows of a period's table (its ``slots``) all lie in Île-de-France:
    the departments ``service._not_covered`` names (« covers Île-de-France only »)."""
    from indicators.service import IDF as IDF_DEPARTMENTS  # the facade imports this module

    return all(known.get(slot, frozenset()) <= IDF_DEPARTMENTS for slot in slots)


def _places(engine: sa.Engine, codes: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """``codes`` resolved (code → member communes) and the codes of the scope whose rows decide
    their values (the places and their members), cached: the same for every indicator."""
    from indicators import service  # the facade imports this module's callers: import when used

    def load() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
        places = service.resolve(engine, list(codes))
        in_scope = set(store(engine).scope())
        needed = sorted({c for p in places for c in (p.code, *p.members)} & in_scope)
        return {p.code: p.members for p in places}, tuple(needed)

    return store(engine)._cached(("coverage-places", codes, *_home_key()), load)


def _statuses(engine: sa.Engine, indicator_id: str, codes: tuple[str, ...]) -> Iterator[tuple[int, tuple]]:
    """(year, (any value, statuses, slots)) of ``codes`` at each year's latest period, newest
    first, as ``service.value_rows`` gives them; ``slots``: for each row « not covered », the
    (variable, period) pairs its reason is about (None for the other rows). Lazy: the latest
    year with a value is often the first."""
    ind = resolve_vintages(engine, indicator_id)
    st = store(engine)
    groups, needed = _places(engine, codes)
    variables = ind.formula.variables
    obs = _observations(engine, needed)
    obs = obs[obs["variable"].isin(variables)]
    where = obs.groupby(["variable", "year", "month"]).indices if len(obs) else {}
    available = {v: st.periods(v) for v in variables}
    for year in sorted(ind.years, reverse=True):
        months = ind.months_of(year)
        month = max(months) if months else 0
        # the period rule of ``Store.commune_table`` on the periods of the whole store
        try:
            num_p, den_p = aggregate.resolve_periods(ind, year, month, available)
        except PeriodError:
            continue
        if not any(num_p in available[t.variable] for t in ind.formula.numerator):
            continue
        slots = frozenset(
            (v, p) for v in variables for p in {num_p, den_p} - {None} if p in set(available[v])
        )
        keys = [(v, *p) for v, p in sorted(slots) if (v, *p) in where]
        if not keys:
            # no row for any of the places or their communes: no value, none covered, nothing at
            # their codes, so every row is « not covered » whatever ``aggregate`` says (missing,
            # not aggregable): the common case of an Île-de-France source, without a table
            yield year, (False, ("not_covered",) * len(groups), (slots,) * len(groups))
            continue
        rows_at = np.concatenate([where[k] for k in keys])
        table = aggregate.commune_table(ind, obs.iloc[rows_at], year, month, available)
        view = aggregate.TableView.of(table)
        rows = aggregate.aggregate_rows(ind, view, groups, year, month, MIN_COVERAGE)
        statuses, marks = [], []
        for row in rows:
            place = [row["code"], *groups[row["code"]]]
            # ``service._not_covered``: no value, and no row at all for the place or its communes
            uncovered = (
                row["status"] in ("missing", "not_aggregable")
                and not row.get("n_covered")
                and not (view.positions(place) >= 0).any()
            )
            statuses.append("not_covered" if uncovered else row["status"])
            marks.append(slots if uncovered else None)
        has = any(r["value"] is not None and not pd.isna(r["value"]) for r in rows)
        yield year, (has, tuple(statuses), tuple(marks))


def _cached(
    engine: sa.Engine, name: str, indicator_id: str, codes: Sequence[str], make: Callable[[], T]
) -> T:
    # the home is in the key: it decides the scope (the codes read, the departments named)
    return store(engine)._cached((name, indicator_id, tuple(codes), *_home_key()), make)


def _table(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> dict[int, tuple]:
    """year → (any value, statuses, slots) of every vintage (``_statuses``), cached."""
    return _cached(
        engine, "coverage", indicator_id, codes, lambda: dict(_statuses(engine, indicator_id, tuple(codes)))
    )


def years_with_data(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> tuple[int, ...]:
    """The vintages where at least one of ``codes`` has a value (cached per data version)."""
    return tuple(y for y, (has, _, _) in sorted(_table(engine, indicator_id, codes).items()) if has)


def latest_year(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> int | None:
    """The latest vintage with a value for one of ``codes`` (None: no vintage has any)."""

    def first() -> int | None:
        return next((y for y, (has, _, _) in _statuses(engine, indicator_id, tuple(codes)) if has), None)

    return _cached(engine, "coverage-latest", indicator_id, codes, first)


def uncovered_area(engine: sa.Engine, indicator_id: str, code: str) -> str | None:
    """``IDF`` or ``ELSEWHERE`` when no vintage of the indicator has a value for ``code`` because
    its sources do not cover the place (status ``not_covered`` every year); None otherwise (some
    value exists, or it is missing for another reason: secrecy, a non-additive rate …)."""

    def area() -> str | None:
        marks = []
        for _, (has, statuses, slots) in _statuses(engine, indicator_id, (code,)):
            if has or any(s != "not_covered" for s in statuses):
                return None
            marks += slots
        if not marks:  # no vintage at all
            return None
        known = _departments(engine)
        if not all(_idf_only(known, m) for m in marks):
            return ELSEWHERE
        return ABSENT if _census_elsewhere(engine, indicator_id, code) else IDF

    return _cached(engine, "coverage-area", indicator_id, (code,), area)


def _census_elsewhere(engine: sa.Engine, indicator_id: str, code: str) -> bool:
    """Whether ``indicator_id`` is a census indicator and a census file with rows for ``code``
    or its communes is loaded (its variables are then absent from that file, not out of reach)."""
    from indicators.catalogue import get_indicator  # the facade imports this module

    if not any(_CENSUS.match(s) for s in get_indicator(indicator_id).sources):
        return False
    groups, _ = _places(engine, (code,))
    places = sorted({code, *groups.get(code, ())})
    query = sa.select(_O.source_id).distinct().where(_O.code.in_(sa.bindparam("codes", expanding=True)))
    with engine.connect() as conn:
        return any(_CENSUS.match(s) for s in conn.execute(query, {"codes": places}).scalars())
