"""Values, series, rankings and comparisons for the app and the API (re-exported by ``indicators``).

Each call checks the store's data version (one tiny query), then works on cached commune tables
(``indicators.query``) with the pure functions of ``indicators.aggregate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

import config
from indicators import aggregate, coverage
from indicators.aggregate import PeriodError
from indicators.catalogue import Indicator
from indicators.geo import Territories, Territory, TerritoryError, parse_territories, parse_territory
from indicators.home import peers as home_peers
from indicators.query import store
from indicators.vintages import resolve as resolve_vintages

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
RANKING_LEVELS = ("home", "mgp", "ept", "departement", "peers")
#: Deprecated level names still accepted for one release (issue #11): ``gosb`` is now ``home``.
LEVEL_ALIASES = {"gosb": "home"}
MGP = "MGP"
#: Departments of Île-de-France: a source whose communes all lie there "covers Île-de-France only".
IDF = frozenset(("75", "77", "78", "91", "92", "93", "94", "95"))


def territories(engine: sa.Engine) -> Territories:
    """Territory names, levels and 2025 membership (cached per data version)."""
    st = store(engine)
    st.version()
    return st.territories()


def resolve(engine: sa.Engine, codes: str | Sequence[str]) -> list[Territory]:
    """Parse and resolve territory codes (``"94081,HOME,MGP,group:94054+94065"`` or a list)."""
    refs = parse_territories(codes) if isinstance(codes, str) else [parse_territory(c) for c in codes]
    terr = territories(engine)
    return [terr.resolve(r) for r in refs]


def _period(engine: sa.Engine, ind: Indicator, year: int | None, month: int | None) -> tuple[int, int]:
    """Check (or default) the year and month against the vintages with data: latest year; latest month."""
    ind = resolve_vintages(engine, ind)
    year = ind.latest_year if year is None else int(year)
    if year not in ind.years:
        have = ", ".join(map(str, ind.years)) or "none"
        raise PeriodError(f"{ind.id}: no data for {year}; years: {have}")
    months = ind.months_of(year)
    if not months:
        if month not in (None, 0):
            raise PeriodError(f"{ind.id} is an annual series: no month")
        return year, 0
    if month is None:
        return year, max(months)
    if int(month) not in months:
        raise PeriodError(f"{ind.id}: no data for month {month} of {year}; months: {list(months)}")
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
        _not_covered(row, place, view)
    return rows


def _not_covered(row: dict[str, Any], place: Territory, view: aggregate.TableView) -> None:
    """Issue #11: where the file of this period has no row at all for the place (a source covering
    Île-de-France or the metropolis only, the home elsewhere in France), say so (``not_covered``)."""
    if row["status"] not in ("missing", "not_aggregable") or row.get("n_covered"):
        return
    codes = [*(place.members or ()), place.code]
    if (view.index.get_indexer(codes) >= 0).any():
        return
    deps = sorted({c[:2] for c in view.index if len(c) == 5})
    area = "Île-de-France" if set(deps) <= IDF else f"{len(deps)} departments"
    row.update(
        status="not_covered",
        reason=f"not covered: the source of this period covers {area} only "
        f"(departments {', '.join(deps[:8])}{' …' if len(deps) > 8 else ''}), none of this territory's communes",
    )


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
    ind = resolve_vintages(engine, indicator_id)
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
    ind = resolve_vintages(engine, indicator_id)
    places = resolve(engine, codes)
    rows: list[dict[str, Any]] = []
    for year, month in ind.periods:
        try:
            rows += _rows(ind, places, year, month, engine, min_coverage)
        except PeriodError:
            continue  # a denominator rule may still leave a period without a value
    return rows


def series(
    engine: sa.Engine, indicator_id: str, codes: str | Sequence[str], min_coverage: float = 0.5
) -> pd.DataFrame:
    """``values`` for every period with data (``indicators.vintages``), stacked (year, month order)."""
    return _frame(series_rows(engine, indicator_id, codes, min_coverage))


def _ranking_places(terr: Territories, level: str, engine: sa.Engine | None = None) -> list[Territory]:
    level = LEVEL_ALIASES.get(level, level)
    if level == "peers" and engine is not None:  # the 12 EPTs, or the EPCIs of the home's region
        return [terr.resolve(c) for c in home_peers(engine)]
    if level in ("home", "mgp"):
        return [terr.resolve(c) for c in terr.communes_of(config.home().code if level == "home" else MGP)]
    if level == "ept":
        return [terr.resolve(c) for c in terr.codes("ept")]
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
    """Rank the home's communes (``home``; ``gosb`` is a deprecated alias), the MGP communes
    (``mgp``), the 12 territories (``ept``), the home's peers (``peers``: the 12 territories, or
    the EPCIs of its region outside the metropolis) or the departments on one indicator. Rank 1 is the highest value unless ``descending`` is
    False; ties share the best rank (method "min"); territories without a value are not ranked."""
    ind = resolve_vintages(engine, indicator_id)
    st = store(engine)
    st.version()
    places = _ranking_places(st.territories(), level, engine)
    asked = year
    year, month = _period(engine, ind, year, month)
    rows = _rows(ind, places, year, month, engine, 0.5)
    if asked is None and all(pd.isna(r["value"]) for r in rows):
        # issue #11: no year asked and none of these places in the latest file (a source covering
        # Île-de-France only, peers elsewhere): the latest year with data for them
        latest = coverage.latest_year(engine, ind.id, [p.code for p in places])
        if latest is not None and latest != year:
            year, month = _period(engine, ind, latest, None)
            rows = _rows(ind, places, year, month, engine, 0.5)
    ranked = aggregate.ranking_table(_frame(rows), descending)
    ranked["polarity"] = ind.polarity
    return ranked


def rank_of(
    engine: sa.Engine, indicator_id: str, code: str, year: int | None = None, month: int | None = None
) -> dict[str, Any]:
    """A commune's rank among the home's communes and among the MGP communes: ``{level: (rank, n)}``
    (levels ``home`` and ``mgp``)."""
    out: dict[str, Any] = {}
    for level in ("home", "mgp"):
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
    ind = resolve_vintages(engine, indicator_id)
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


#: Columns of ``provenance``: the source's wording and each raw file loaded.
PROVENANCE_COLUMNS = [
    "id",
    "title_fr",
    "title_en",
    "producer",
    "vintage",
    "licence",
    "licence_url",
    "page_url",
    "file_key",
    "path",
    "url",
    "size",
    "rows",
    "sha256",
    "origin",
    "loaded_at",
]


def provenance(engine: sa.Engine) -> pd.DataFrame:
    """One row per raw file loaded, with its source's titles, producer, vintage and licence
    (source id, then file key order): the sources page and its download."""
    st = store(engine)
    st.version()
    known = st.sources()
    rows = [
        {**known[sid], **f, "id": sid}
        for sid, files in sorted(st.raw_files().items())
        if sid in known
        for f in files
    ]
    return pd.DataFrame([{c: r.get(c) for c in PROVENANCE_COLUMNS} for r in rows], columns=PROVENANCE_COLUMNS)
