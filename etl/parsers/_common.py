"""Helpers shared by the non-INSEE parsers (RPLS, France Travail, URSSAF, Sitadel, DVF, ARCEP).

Kept beside the parsers rather than in ``etl.readers`` because they encode choices of these
sources: the departments the app covers, how a tidy frame is assembled, how a Parquet file's
schema is checked. Parquet rows have no line number: ``read_parquet`` puts the 1-based row
index in the ``_line`` column, so a ``RawDataError`` from ``etl.readers.check`` or ``to_number``
says "line N" for "row N of the Parquet file".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.contract import FLAG_COLUMNS, OBS_COLUMNS, RawDataError
from etl.readers import LINE

#: Departments of the app's scope (Paris, Essonne and the inner ring + Val-d'Oise): every
#: GOSB and MGP commune lives there. National or regional files are cut to these.
SCOPE_DEPS = ("75", "91", "92", "93", "94", "95")
#: Text patterns for pandera checks on values read as text.
INTEGER = r"^\d+$"
NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"


def in_scope(codes: pd.Series) -> pd.Series:
    """Mask of 5-character commune codes in ``SCOPE_DEPS``."""
    return codes.str.len().eq(5) & codes.str[:2].isin(SCOPE_DEPS)


def tidy(
    code: pd.Series | np.ndarray | str,
    variable: str,
    year: pd.Series | np.ndarray | int,
    month: pd.Series | np.ndarray | int,
    value: pd.Series | np.ndarray | float,
    status: pd.Series | np.ndarray | str,
    cog: pd.Series | np.ndarray | int,
) -> pd.DataFrame:
    """One tidy observation frame; scalars are broadcast to the length of the arrays given."""
    cols = {"code": code, "year": year, "month": month, "value": value, "status": status, "cog": cog}
    arrays = {k: np.asarray(v) for k, v in cols.items() if isinstance(v, (pd.Series, np.ndarray))}
    n = max((len(v) for v in arrays.values()), default=1)
    out = {k: arrays[k] if k in arrays else np.repeat(v, n) for k, v in cols.items()}
    out["variable"] = np.repeat(variable, n)
    return pd.DataFrame({k: out[k] for k in OBS_COLUMNS})


def finish(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy frames with the contract's dtypes; NaN value wherever status says so."""
    obs = pd.concat(parts, ignore_index=True)[OBS_COLUMNS]
    obs = obs.astype({"code": str, "variable": str, "year": int, "month": int, "value": float})
    obs["status"] = obs["status"].astype(str)
    obs["cog"] = obs["cog"].astype(int)
    obs.loc[obs["status"].isin(["secret", "missing"]), "value"] = np.nan
    dup = obs.duplicated(["code", "variable", "year", "month"], keep=False)
    if dup.any():  # a parser bug, not a data defect: fail loudly
        raise AssertionError(f"duplicate observation keys: {obs.loc[dup].head(3).to_dict('records')}")
    return obs.reset_index(drop=True)


@dataclass
class Flags:
    """Collects quality flags (``etl.contract.FLAG_COLUMNS``) while a parser runs."""

    rows: list[dict[str, object]] = field(default_factory=list)

    def add(
        self,
        kind: str,
        message: str,
        code: str | None = None,
        variable: str | None = None,
        year: int | None = None,
    ) -> None:
        self.rows.append({"code": code, "variable": variable, "year": year, "kind": kind, "message": message})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=FLAG_COLUMNS).astype({"year": "Int64"})


#: Arrow type families accepted for a declared column kind (int32 vs int64 is not a defect).
_KINDS = {
    "int": pa.types.is_integer,
    "float": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
    "str": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
}


def read_parquet(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """Read the declared ``columns`` (name -> "int" | "float" | "str") of a Parquet file.

    A missing column, a column of another type, an unreadable or empty file is a ``RawDataError``
    naming the file and the column. Extra columns are ignored. Adds ``_line`` = 1-based row.
    """
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise RawDataError(path, f"not a readable Parquet file: {exc}") from exc
    for name, kind in columns.items():
        if name not in schema.names:
            raise RawDataError(path, f"missing column; found {schema.names}", field=name)
        typ = schema.field(name).type
        if not _KINDS[kind](typ):
            raise RawDataError(path, f"column has type {typ}, expected {kind}", field=name)
    df = pq.read_table(path, columns=list(columns)).to_pandas()
    if df.empty:
        raise RawDataError(path, "no data rows")
    df = df.reset_index(drop=True)
    for name, kind in columns.items():
        if df[name].isna().any():
            row = int(df[name].isna().to_numpy().argmax()) + 1
            raise RawDataError(path, "null value (row = Parquet row)", line=row, field=name)
        # one dtype per kind downstream (int32 and int64 are the same thing to a parser)
        df[name] = df[name].astype({"int": "int64", "float": "float64", "str": str}[kind])
    df[LINE] = np.arange(1, len(df) + 1)
    return df
