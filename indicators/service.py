"""Values, series, rankings and comparisons for the app and the API (re-exported by ``indicators``).

Each call checks the store's data version (one tiny query), then works on cached commune tables
(``indicators.query``) with the pure functions of ``indicators.aggregate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from indicators import aggregate
from indicators.aggregate import PeriodError
from indicators.catalogue import Indicator, get_indicator
from indicators.geo import Territories, Territory, TerritoryError, parse_territories, parse_territory
from indicators.query import store

VALUE_COLUMNS = [
    "indicator",
    "code",
    "name",
    "level",
    "year",
    "month",
    "value",
    "numerator",
    "denominator",
    "denominator_year",
    "unit",
    "status",
    "method",
    "n_members",
    "n_covered",
    "reason",
    "sources",
]
RANKING_LEVELS = ("gosb", "mgp", "ept", "departement")
GOSB, MGP = "T12", "MGP"


def territories(engine: sa.Engine) -> Territories:
    """Territory names, levels and 2025 membership (cached per data version)."""
    st = store(engine)
    st.version()
    return st.territories()


def resolve(engine: sa.Engine, codes: str | Sequence[str]) -> list[Territory]:
    """Parse and resolve territory codes (``"94081,T12,group:94054+94065"`` or a list)."""
    refs = parse_territories(codes) if isinstance(codes, str) else [parse_territory(c) for c in codes]
    terr = territories(engine)
    return [terr.resolve(r) for r in refs]


def _period(engine: sa.Engine, ind: Indicator, year: int | None, month: int | None) -> tuple[int, int]:
    """Check (or default) the year and month: latest declared year; latest month with data."""
    year = ind.latest_year if year is None else int(year)
    if year not in ind.years:
        raise PeriodError(f"{ind.id}: no data for {year}; years: {', '.join(map(str, ind.years))}")
    if not ind.months:
        if month not in (None, 0):
            raise PeriodError(f"{ind.id} is an annual series: no month")
        return year, 0
    if month is None:
        have = [m for y, m in store(engine).periods(ind.formula.numerator[0].variable) if y == year]
        if not have:
            raise PeriodError(f"{ind.id}: no data for {year}")
        return year, max(have)
    if int(month) not in ind.months:
        raise PeriodError(f"{ind.id}: no data for month {month}; months: {list(ind.months)}")
    return year, int(month)


def _rows(
    ind: Indicator, places: Sequence[Territory], year: int, month: int, engine: sa.Engine, min_coverage: float
) -> list[dict[str, Any]]:
    view, sources = store(engine).commune_table(ind, year, month)
    rows = aggregate.aggregate_rows(ind, view, {t.code: t.members for t in places}, year, month, min_coverage)
    by_code = {t.code: t for t in places}
    common = {"indicator": ind.id, "unit": ind.unit, "sources": ",".join(sources)}
    for row in rows:
        place = by_code[row["code"]]
        row.update(common, name=place.name, level=place.level)
    return rows


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return aggregate.rows_to_frame(rows, VALUE_COLUMNS)


def value_rows(
    engine: sa.Engine,
    indicator_id: str,
    codes: str | Sequence[str],
    year: int | None = None,
    month: int | None = None,
    min_coverage: float = 0.5,
) -> list[dict[str, Any]]:
    """``values`` as a list of dicts (keys ``VALUE_COLUMNS``): what the API serialises."""
    ind = get_indicator(indicator_id)
    places = resolve(engine, codes)
    year, month = _period(engine, ind, year, month)
    return _rows(ind, places, year, month, engine, min_coverage)


def values(
    engine: sa.Engine,
    indicator_id: str,
    codes: str | Sequence[str],
    year: int | None = None,
    month: int | None = None,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """One row per territory (columns ``VALUE_COLUMNS``) for one period (default: the latest).

    Raises ``KeyError`` (unknown indicator), ``TerritoryError`` (bad or unknown code) and
    ``PeriodError`` (no data for that year/month).
    """
    return _frame(value_rows(engine, indicator_id, codes, year, month, min_coverage))


def series_rows(
    engine: sa.Engine, indicator_id: str, codes: str | Sequence[str], min_coverage: float = 0.5
) -> list[dict[str, Any]]:
    """``series`` as a list of dicts."""
    ind = get_indicator(indicator_id)
    places = resolve(engine, codes)
    rows: list[dict[str, Any]] = []
    for year in ind.years:
        for month in ind.months or (0,):
            try:
                rows += _rows(ind, places, year, month, engine, min_coverage)
            except PeriodError:
                continue  # declared years may have gaps for some months (e.g. ARCEP quarters)
    return rows


def series(
    engine: sa.Engine, indicator_id: str, codes: str | Sequence[str], min_coverage: float = 0.5
) -> pd.DataFrame:
    """``values`` for every declared period that has data, stacked (year, month order)."""
    return _frame(series_rows(engine, indicator_id, codes, min_coverage))


def _ranking_places(terr: Territories, level: str) -> list[Territory]:
    if level in ("gosb", "mgp"):
        return [terr.resolve(c) for c in terr.communes_of(GOSB if level == "gosb" else MGP)]
    if level == "ept":
        return [terr.resolve(f"T{i}") for i in range(1, 13)]
    if level == "departement":
        return [terr.resolve(c) for c in terr.codes("departement") if terr.communes_of(c)]
    raise TerritoryError(f"unknown ranking level {level!r}: expected one of {', '.join(RANKING_LEVELS)}")


def ranking(
    engine: sa.Engine,
    indicator_id: str,
    year: int | None = None,
    level: str = "mgp",
    month: int | None = None,
    descending: bool = True,
) -> pd.DataFrame:
    """Rank the GOSB communes (``gosb``), the MGP communes (``mgp``), the 12 territories (``ept``)
    or the departments on one indicator. Rank 1 is the highest value unless ``descending`` is
    False; ties share the best rank (method "min"); territories without a value are not ranked."""
    ind = get_indicator(indicator_id)
    st = store(engine)
    st.version()
    places = _ranking_places(st.territories(), level)
    year, month = _period(engine, ind, year, month)
    ranked = aggregate.ranking_table(_frame(_rows(ind, places, year, month, engine, 0.5)), descending)
    ranked["polarity"] = ind.polarity
    return ranked


def rank_of(
    engine: sa.Engine, indicator_id: str, code: str, year: int | None = None, month: int | None = None
) -> dict[str, Any]:
    """A commune's rank among the GOSB communes and among the MGP communes: ``{level: (rank, n)}``."""
    out: dict[str, Any] = {}
    for level in ("gosb", "mgp"):
        table = ranking(engine, indicator_id, year, level, month)
        row = table[table["code"] == code]
        rank = row["rank"].iloc[0] if len(row) else pd.NA
        out[level] = None if pd.isna(rank) else (int(rank), int(table["n_ranked"].iloc[0]))
    return out


def compare(
    engine: sa.Engine, indicator_id: str, codes: str | Sequence[str], year1: int, year2: int
) -> tuple[pd.DataFrame, list[str]]:
    """Values at two vintages with absolute, relative and annualised change, and the warnings
    (census vintages less than 5 years apart)."""
    ind = get_indicator(indicator_id)
    first = values(engine, indicator_id, codes, year1)
    second = values(engine, indicator_id, codes, year2)
    merged, warnings = aggregate.compare(ind, first, second)
    names = dict(zip(first["code"], first["name"], strict=True))
    merged.insert(1, "name", merged["code"].map(names))
    return merged, warnings


def sources(engine: sa.Engine, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Declared sources (credit lines, licence, vintage, page URL), all or those of ``ids``."""
    st = store(engine)
    st.version()
    known = st.sources()
    return [known[i] for i in (ids if ids is not None else sorted(known)) if i in known]
