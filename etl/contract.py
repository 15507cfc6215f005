"""The contract between source parsers and the ETL core.

Every parser is a pure function ``parse(files, source) -> ParseResult``: it reads the raw
files of one source (paths already fetched and checksummed by the core), validates them
against a declared schema *before* anything is written, and returns tidy observations.

The core then harmonises codes to the current map (COG 2025: merged communes folded into
their chef-lieu for additive variables, Paris arrondissements never added to 75056),
de-duplicates overlapping sources by priority, and writes everything in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: Columns of ``ParseResult.observations`` (order matters for the loader).
OBS_COLUMNS = ["code", "variable", "year", "month", "value", "status", "cog"]
#: Columns of ``ParseResult.flags``.
FLAG_COLUMNS = ["code", "variable", "year", "kind", "message"]

#: Status values of an observation.
STATUS_OK = "ok"  # published value
STATUS_SECRET = "secret"  # statistical secrecy (``s`` or documented empty-as-secret); value is NaN
STATUS_MISSING = "missing"  # not published / not available; value is NaN
STATUS_DERIVED = "derived"  # computed by the ETL from published values (e.g. Paris = sum of arrondissements)
STATUS_SUSPECT = "suspect"  # published but known defective (documented in PROVENANCE); kept with a flag
STATUSES = (STATUS_OK, STATUS_SECRET, STATUS_MISSING, STATUS_DERIVED, STATUS_SUSPECT)

#: Codes for published supra-communal values (official values that cannot be rebuilt from communes).
SUPRA_CODES = ("MGP", "FRM", "FR", "D75", "D91", "D92", "D93", "D94", "D95", "R11")


class RawDataError(Exception):
    """A raw file does not match its declared schema.

    Always names the file, and when known the 1-based line number in the raw file and the field.
    """

    def __init__(
        self, file: str | Path, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.file = str(file)
        self.line = line
        self.field = field
        self.message = message
        where = self.file
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParseResult:
    """What a parser returns.

    ``observations``: one row per (code, variable, year, month) with columns ``OBS_COLUMNS``:
      - code: str, 5-character INSEE code as published (commune, arrondissement 751xx,
        merged-away commune such as 93059) or a ``SUPRA_CODES`` code for published supra values;
      - variable: str, a variable id declared in ``etl/variables/*.yaml``;
      - year: int; month: int (0 for annual values, 1-12 for monthly/quarterly ones);
      - value: float (NaN unless status is ok/derived/suspect);
      - status: one of ``STATUSES``;
      - cog: int, the year of the geography (Code officiel géographique) the row is published on,
        e.g. 2021 for RP2018 files, 2025 for RP2022 files.
    ``flags``: data-quality notes (columns ``FLAG_COLUMNS``) for defects handled in code:
      kind is a short slug (``swapped_columns``, ``zero_as_missing``, ``duplicate_key`` …).
    ``rows_read``: number of data rows read from the raw files (for provenance).
    """

    observations: pd.DataFrame
    flags: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FLAG_COLUMNS))
    rows_read: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def empty_flags() -> pd.DataFrame:
    """An empty flags frame with the right columns."""
    return pd.DataFrame(columns=FLAG_COLUMNS)
