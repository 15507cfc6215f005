"""Where the simple non-INSEE tables keep a variable, for the recompute script (``indicators.recipe``).

Read from the parsers' own column tables, so that a parser change is followed:

* SDES Sitadel (``etl.parsers.sdes_sitadel``): a long Parquet file, one row per commune, year and
  dwelling type; the variable ``<measure><suffix>`` is column ``<measure>`` of the rows of its type
  (``TYPES``) and year;
* SDES RPLS (``etl.parsers.sdes_rpls_2024``): two CSV files, the published rates and the stock
  (``RATES``, file ``main``) and the occupancy detail (``DETAIL``, file ``detail``), one year.

Not covered (the page says why): DVF (column names change from one yearly file to the next and
the sums are derived from published means), URSSAF (Paris rebuilt from a residual line), France
Travail (monthly columns, conflicting rows resolved by the ETL) and ARCEP (title lines, padded
numbers, quarters): their parsers do more than read a column.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.texts import by_name
from etl.parsers import sdes_rpls_2024, sdes_sitadel

SOURCES = ("sdes_sitadel", "sdes_rpls_2024")
#: Why there is no script for the other sources whose raw files are tables (FR, EN).
NOT_COVERED = {k: (v["fr"], v["en"]) for k, v in by_name("recipe.not_covered.").items()}


@dataclass(frozen=True)
class Located:
    """Column of a variable in a source's table, with how to read it."""

    column: str
    file_key: str | None  # the declared file (``etl/sources``), None: every file of the source
    code: str  # the commune code column
    sep: str
    fmt: str  # csv or parquet
    filters: tuple[tuple[str, str], ...] = ()  # (column, value) the rows must have


def locate(source: str, variable: str, year: int) -> Located | None:
    """Where ``variable`` at ``year`` is in ``source`` (None when it is not there)."""
    if source == "sdes_sitadel":
        for typ, suffix in sdes_sitadel.TYPES.items():
            for measure in sdes_sitadel.MEASURES:
                if measure + suffix == variable:
                    filters = (("annee", str(year)), ("type_lgt", typ))
                    return Located(measure, None, "code_com", ",", "parquet", filters)
        return None
    if source == "sdes_rpls_2024" and year == sdes_rpls_2024.YEAR:
        for key, table in (("main", sdes_rpls_2024.RATES), ("detail", sdes_rpls_2024.DETAIL)):
            for column, var in table.items():
                if var == variable:
                    return Located(column, key, "DEPCOM_ARM", ",", "csv")
    return None
