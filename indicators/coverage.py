"""Which vintages have data for the places shown (issue #11): a home outside Île-de-France.

The catalogue's latest vintage is the latest in the store for *some* place; a source may cover
Île-de-France only (the 2022 comparateur files, France Travail …), so for the CA du Pays Basque
the latest year with a value is 2018. Pages default to ``latest_year(…)`` of the places they
show, and say « this source only covers Île-de-France » (``uncovered_area``) when no vintage has
any value for the home, instead of a grid of "n.d.".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from etl.store.schema import territory, territory_geometry
from indicators.aggregate import PeriodError
from indicators.geo import GEO_VINTAGE
from indicators.query import store
from indicators.vintages import resolve as resolve_vintages

#: What ``uncovered_area`` answers for a source whose communes all lie in Île-de-France.
IDF = "idf"
#: … and for a source that covers other places, none of them the home's.
ELSEWHERE = "elsewhere"


def _status_by_year(engine: sa.Engine, indicator_id: str, codes: tuple[str, ...]) -> dict[int, tuple]:
    """year → (any value, statuses, reasons) of ``codes`` at the year's latest period."""
    from indicators import service  # the facade imports this module's callers: import when used

    ind = resolve_vintages(engine, indicator_id)
    out: dict[int, tuple] = {}
    for year in ind.years:
        try:
            rows = service.value_rows(engine, ind.id, list(codes), year)
        except PeriodError:
            continue
        values = [r.get("value") for r in rows]
        has = any(v is not None and not pd.isna(v) for v in values)
        out[year] = (has, tuple(r.get("status") for r in rows), tuple(r.get("reason") or "" for r in rows))
    return out


def _table(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> dict[int, tuple]:
    key = tuple(codes)
    st = store(engine)
    return st._cached(("coverage", indicator_id, key), lambda: _status_by_year(engine, indicator_id, key))


def years_with_data(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> tuple[int, ...]:
    """The vintages where at least one of ``codes`` has a value (cached per data version)."""
    return tuple(y for y, (has, _, _) in sorted(_table(engine, indicator_id, codes).items()) if has)


def latest_year(engine: sa.Engine, indicator_id: str, codes: Sequence[str]) -> int | None:
    """The latest vintage with a value for one of ``codes`` (None: no vintage has any)."""
    years = years_with_data(engine, indicator_id, codes)
    return years[-1] if years else None


def uncovered_area(engine: sa.Engine, indicator_id: str, code: str) -> str | None:
    """``IDF`` or ``ELSEWHERE`` when no vintage of the indicator has a value for ``code`` because
    its sources do not cover the place (status ``not_covered`` every year); None otherwise (some
    value exists, or it is missing for another reason: secrecy, a non-additive rate …)."""
    table = _table(engine, indicator_id, (code,))
    if not table or any(has for has, _, _ in table.values()):
        return None
    statuses = [s for _, ss, _ in table.values() for s in ss]
    if not statuses or any(s != "not_covered" for s in statuses):
        return None
    reasons = [r for _, _, rs in table.values() for r in rs]
    return IDF if all("Île-de-France" in r for r in reasons) else ELSEWHERE


def shape_departments(engine: sa.Engine) -> tuple[str, ...]:
    """Departments (``75``, ``91`` …) whose communes have shapes in the store (2025 map): a map of
    communes elsewhere has no background and says so (« les contours chargés couvrent … »)."""

    def load() -> tuple[str, ...]:
        g, t = territory_geometry.c, territory.c
        query = (
            sa.select(t.dep_code)
            .distinct()
            .select_from(territory_geometry.join(territory, g.code == t.code))
            .where((g.geo_vintage == GEO_VINTAGE) & t.level.in_(("commune", "arrondissement")))
            .where(t.dep_code.is_not(None))
        )
        with engine.connect() as conn:
            return tuple(sorted(conn.execute(query).scalars()))

    return store(engine)._cached(("shape-departments",), load)
