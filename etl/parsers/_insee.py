"""Helpers shared by the INSEE parsers (comparateur, dossier complet, logement, population, Filosofi).

They sit on top of ``etl.readers``: read every cell as text, check the header, reject duplicate
codes, validate with a pandera schema built from the columns a parser emits, then melt the wide
INSEE tables into tidy observations; a workbook's sheet (a producer's xlsx or xls, read by
``etl.parsers._workbook``) is read into the same text table as a CSV. Nothing here writes anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.contract import FLAG_COLUMNS, OBS_COLUMNS, STATUS_MISSING, RawDataError
from etl.parsers._workbook import sheet_rows
from etl.readers import CODE_PATTERN, LINE, check, code_check, read_csv, to_numbers

#: A published number: optional sign, decimal point or comma, optional exponent (INSEE writes
#: full-precision floats such as ``353.730434782608``; a comma is only allowed where declared).
_NUMBER = {".": r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", ",": r"-?\d+(?:,\d+)?(?:[eE][-+]?\d+)?"}
#: pandas names header cells left empty (``…;PIMPOT17;;;;``) "Unnamed: 31".
_UNNAMED = re.compile(r"^Unnamed: \d+$")

#: A column mapping: raw column -> (variable id, year, cog).
ColumnMap = Mapping[str, tuple[str, int, int]]


def label_of(path: Path, member: str | None = None) -> str:
    """How a file is named in errors and flags."""
    return f"{path}!{member}" if member else str(path)


def flag(code: str | None, variable: str | None, year: int | None, kind: str, message: str) -> dict:
    """One quality-flag row (see ``etl.contract.FLAG_COLUMNS``)."""
    return {"code": code, "variable": variable, "year": year, "kind": kind, "message": message}


def flags_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Flag rows as a frame with exactly ``FLAG_COLUMNS``."""
    # object dtype keeps years as Python ints next to None (a float column would print 2014.0)
    return pd.DataFrame(list(rows), columns=FLAG_COLUMNS, dtype=object)


def read_table(
    path: Path,
    *,
    columns: Iterable[str],
    sep: str = ";",
    member: str | None = None,
    encoding: str = "utf-8",
) -> tuple[pd.DataFrame, list[dict]]:
    """Read a raw INSEE table as text (``etl.readers.read_csv``) and tidy its header.

    Header cells left empty produce unnamed columns: they are dropped with a flag when every value
    is empty (a spreadsheet artefact, e.g. the 2017 Filosofi supra-communal files) and are an
    error otherwise, since an unnamed value cannot be interpreted.
    """
    df = read_csv(path, sep=sep, columns=list(columns), member=member, encoding=encoding)
    return drop_unnamed(df, label_of(path, member), Path(path).name)


def drop_unnamed(df: pd.DataFrame, label: str, name: str) -> tuple[pd.DataFrame, list[dict]]:
    """Drop the columns with an empty header (flag ``trailing_empty_columns``); a value under one
    is a ``RawDataError`` naming its line."""
    unnamed = [c for c in df.columns if _UNNAMED.match(c)]
    flags: list[dict] = []
    for col in unnamed:
        filled = df[col].fillna("").astype(str).str.strip() != ""
        if filled.any():
            i = filled.idxmax()
            raise RawDataError(
                label, "value under an empty header cell", line=int(df.loc[i, LINE]), field=col
            )
    if unnamed:
        df = df.drop(columns=unnamed)
        flags.append(
            flag(
                None,
                None,
                None,
                "trailing_empty_columns",
                f"{name}: {len(unnamed)} empty column(s) with an empty header dropped",
            )
        )
    return df, flags


def read_workbook(
    data: bytes,
    *,
    columns: Iterable[str],
    label: str,
    sheet: str | None = None,
    header: str = "CODGEO",
    decimal: str = ".",
) -> tuple[pd.DataFrame, list[dict]]:
    """A workbook's sheet (xlsx or xls) as the text table ``read_table`` gives for a CSV of the same cells.

    INSEE workbooks put title lines above the header: the header is the first row whose first
    cell is ``header``. ``sheet`` (default: the first) is the sheet read. Cells become text as a
    CSV export would write them (numbers with ``decimal``, empty cells ""); ``_line`` is the
    sheet's row number. Empty header cells are handled as in ``read_table``.
    """
    rows = sheet_rows(data, label=label, sheet=sheet, decimal=decimal)
    start = next((i for i, row in enumerate(rows) if row and row[0].strip() == header), None)
    if start is None:
        raise RawDataError(label, f"no header row starting with {header!r}")
    names = [c.strip() or f"Unnamed: {j}" for j, c in enumerate(rows[start])]
    body = [(n, r + [""] * (len(names) - len(r))) for n, r in enumerate(rows[start + 1 :], start + 2)]
    # rows below the table (notes, blank rows) have no code
    body = [(n, r[: len(names)]) for n, r in body if r[0].strip()]
    if not body:
        raise RawDataError(label, "no data rows after the header", line=start + 1)
    df = pd.DataFrame([r for _, r in body], columns=names, dtype=object)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise RawDataError(label, f"missing column(s) {missing}", line=start + 1, field=missing[0])
    df[LINE] = [n for n, _ in body]
    return drop_unnamed(df, label, label.rsplit("/", 1)[-1])


def require_unique(df: pd.DataFrame, field: str, label: str) -> None:
    """A code appearing twice in one file is an error naming the second line."""
    dup = df[field].duplicated()
    if dup.any():
        i = dup.idxmax()
        raise RawDataError(
            label, f"duplicate code {df.loc[i, field]!r}", line=int(df.loc[i, LINE]), field=field
        )


def value_schema(
    code_field: str,
    value_fields: Mapping[str, str],
    *,
    secret: Iterable[str] = ("s",),
    code_pattern: str | None = None,
) -> pa.DataFrameSchema:
    """Schema of a wide table: a code (5-character INSEE code by default) and numeric values.

    A value is a number, a secret token or empty; what empty means is decided by the parser.

    ``value_fields`` maps each column to its decimal separator. Columns not listed are not
    checked (supersets of the expected file are accepted).
    """
    patterns = value_patterns(code_field, value_fields, secret=secret, code_pattern=code_pattern)
    cols = {code_field: pa.Column(str, code_check(code_pattern or CODE_PATTERN), nullable=False)}
    for col in value_fields:
        cols[col] = pa.Column(
            str,
            pa.Check.str_matches(patterns[col], error="not a number, secret marker or empty"),
            nullable=False,
        )
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


def value_patterns(
    code_field: str,
    value_fields: Mapping[str, str],
    *,
    secret: Iterable[str] = ("s",),
    code_pattern: str | None = None,
) -> dict[str, str]:
    """The pattern ``value_schema`` declares for each column (``str_matches``)."""
    tokens = "|".join(re.escape(t) for t in secret)
    out = {code_field: code_pattern or CODE_PATTERN}
    for col, dec in value_fields.items():
        out[col] = rf"^(?:{_NUMBER[dec]}|{tokens}|)$" if tokens else rf"^(?:{_NUMBER[dec]}|)$"
    return out


def validate(
    df: pd.DataFrame,
    code_field: str,
    value_fields: Mapping[str, str],
    label: str,
    *,
    secret: Iterable[str] = ("s",),
    code_pattern: str | None = None,
) -> pd.DataFrame:
    """Strip cells, reject duplicate codes, then validate with ``value_schema`` (pandera)."""
    df = df.assign(**{c: df[c].fillna("").astype(str).str.strip() for c in [code_field, *value_fields]})
    require_unique(df, code_field, label)
    return check(df, value_schema(code_field, value_fields, secret=secret, code_pattern=code_pattern), label)


def melt(
    df: pd.DataFrame,
    code_field: str,
    mapping: ColumnMap,
    label: str,
    *,
    decimal: str | Mapping[str, str] = ".",
    secret: Iterable[str] = ("s",),
    empty: str = STATUS_MISSING,
) -> pd.DataFrame:
    """Wide columns -> observations; ``mapping`` gives (variable, year, cog) per raw column.

    Rows come column after column, the columns grouped by cog (in order of first appearance);
    every column is parsed by ``etl.readers.to_numbers``.
    """
    by_cog: dict[int, list[str]] = {}
    for col, (_, _, cog) in mapping.items():
        by_cog.setdefault(cog, []).append(col)
    fields = [col for cols in by_cog.values() for col in cols]
    if not fields:
        return concat_obs([])
    values, status = to_numbers(df, fields, label, decimal=decimal, secret=secret, empty=empty)
    n, k = len(df), len(fields)
    spec = [mapping[col] for col in fields]
    arrays = {
        "code": np.tile(df[code_field].to_numpy(dtype=object), k),
        "variable": np.repeat(np.array([var for var, _, _ in spec], dtype=object), n),
        "year": np.repeat(np.array([year for _, year, _ in spec], dtype=np.int64), n),
        "month": np.zeros(n * k, dtype=np.int64),
        "value": values.reshape(-1),
        "status": status.reshape(-1),
        "cog": np.repeat(np.array([cog for _, _, cog in spec], dtype=np.int64), n),
    }
    # text columns straight as object (the dtype ``concat_obs`` gives them)
    return concat_obs([pd.DataFrame({c: pd.Series(v, dtype=v.dtype, copy=False) for c, v in arrays.items()})])


def concat_obs(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate observation frames and fix the dtypes of ``OBS_COLUMNS``."""
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OBS_COLUMNS})
    out = pd.concat(parts, ignore_index=True)[OBS_COLUMNS]
    dtypes = {"code": object, "variable": object, "year": int, "month": int, "value": float, "status": object}
    return out.astype({**dtypes, "cog": int})


def department(code: pd.Series) -> pd.Series:
    """Department of commune codes: 3 characters overseas (971…976), 2 otherwise."""
    labels, distinct = pd.factorize(code)
    if len(distinct) < len(code) and (labels >= 0).all():
        # tidy frames repeat each code once per variable: work on the distinct codes
        deps = _department(pd.Series(np.asarray(distinct, dtype=object), dtype=code.dtype))
        return pd.Series(deps.to_numpy()[labels], index=code.index, name=code.name, dtype=deps.dtype)
    return _department(code)


def _department(code: pd.Series) -> pd.Series:
    return code.str[:3].where(code.str.startswith("97"), code.str[:2])


#: Births and deaths between two censuses: the comparateur's NAISaabb/DECEaabb count the events
#: of a multi-year period, whose length changes between editions (per INSEE's dictionaries:
#: NAIS1318 = 01/01/2013-01/01/2018, five years; NAIS1520 = 01/01/2015-31/12/2020 and so
#: NAIS1621 = 01/01/2016-31/12/2021, six years). Their yearly average is what can be compared.
PERIOD_TOTALS = {"nais_5y": "nais_an", "dece_5y": "dece_an"}


def annual_averages(obs: pd.DataFrame, years_in_period: int) -> pd.DataFrame:
    """``nais_5y``/``dece_5y`` rows divided by the number of years of their period, as
    ``nais_an``/``dece_an`` (births/deaths per year on average): sums over communes of these
    averages are the averages of the sums, so they stay additive."""
    part = obs.loc[obs["variable"].isin(list(PERIOD_TOTALS))].copy()
    part["variable"] = part["variable"].map(PERIOD_TOTALS)
    part["value"] = part["value"] / years_in_period
    return part
