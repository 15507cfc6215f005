"""Indicators of the observatory: catalogue, exact territorial aggregation, rankings, data API.

Public facade (what the Dash app, the exports and the API use)::

    import indicators as ind

    ind.catalogue() -> dict[str, Indicator]          # all indicators, by id (indicators/catalogue/*.yaml)
    ind.themes() -> dict[str, Theme]                 # theme labels and documented data limits
    ind.get_indicator(id) -> Indicator               # KeyError if unknown
    ind.with_vintages(engine, id_or_ind) -> Indicator   # years, months, periods read from the store
    ind.territories(engine) -> Territories           # names, levels, 2025 members (T1, T2 …, MGP, D75…, the home)
    ind.values(engine, id, codes, year=None, month=None) -> DataFrame   (value_rows: same as dicts)
        # codes: "94081,HOME,MGP,group:94054+94065+91479" or a list; year None = latest vintage.
        # columns: indicator, code, name, level, year, month, value, numerator, denominator,
        #          denominator_year, unit, status, method, n_members, n_covered, reason, sources
    ind.series(engine, id, codes) -> DataFrame       # values for every vintage with data
    ind.ranking(engine, id, year=None, level="mgp") -> DataFrame   # level: home | mgp | ept | departement
    ind.rank_of(engine, id, code, year=None) -> {"home": (rank, n), "mgp": (rank, n)}
    ind.compare(engine, id, codes, year1, year2) -> (DataFrame, warnings)  # change, annualised growth
    ind.sources(engine, ids=None) -> list[dict]      # credit lines, licence, vintage, URL
    ind.provenance(engine) -> DataFrame              # every raw file loaded, with its source

Errors: ``KeyError`` (unknown indicator), ``indicators.geo.TerritoryError`` (malformed code, or
``unknown=True`` when not in the observatory's scope), ``indicators.PeriodError`` (no data for
that period). Results are cached per data version (the latest ``load_run``): a new ETL run is
seen on the next call; ``indicators.query.store(engine).clear()`` empties the caches. Statuses of a value: ok, suspect, secret, missing, partial (some member communes
secret or missing: see ``n_covered`` / ``n_members`` and ``reason``), not_aggregable, not_covered
(the file of that period has no row for the place's communes: a source covering Île-de-France
only, for a home elsewhere in France). The home territory is ``indicators.home.home(engine)``.
Formatting helpers (French/English numbers, percentages, euros) are in ``indicators.formatting``;
the Flask blueprint of the read-only API is ``indicators.api`` (``register_api(server, engine_factory)``).
"""

from __future__ import annotations

from indicators.aggregate import PeriodError
from indicators.catalogue import (
    Indicator,
    Theme,
    catalogue,
    get_indicator,
    headline_themes,
    headlines,
    themes,
)
from indicators.geo import Territories, Territory, TerritoryError, parse_territory
from indicators.service import (
    compare,
    provenance,
    rank_of,
    ranking,
    series,
    sources,
    territories,
    value_rows,
    values,
)
from indicators.vintages import resolve as with_vintages

__all__ = [
    "Indicator",
    "PeriodError",
    "Territories",
    "Territory",
    "TerritoryError",
    "Theme",
    "catalogue",
    "headline_themes",
    "headlines",
    "compare",
    "get_indicator",
    "parse_territory",
    "provenance",
    "rank_of",
    "ranking",
    "series",
    "sources",
    "territories",
    "themes",
    "value_rows",
    "values",
    "with_vintages",
]
