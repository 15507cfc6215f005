"""The producer's layout of the URSSAF series (``etl.parsers.urssaf_effectifs``): Urssaf's open data
set ``etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last`` exported as CSV (``;``, or
``,``), one row per commune × APE code, wide by year (``effectifs_salaries_YYYY``; the portal's
labels ``Effectifs salariés YYYY`` are accepted too).

The national file is read in chunks; rows outside the six departments are dropped while reading,
after their jobs are added to the whole-file totals by year (France, Île-de-France) from which the
parser derives R11 and FR. The APE rows are summed per commune and year (an empty cell is no jobs;
a commune whose cells are all empty for a year has no observation that year, as in the mirror's
Parquet). Years before 2014 are not read (the series is declared from 2014).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from etl.contract import RawDataError
from etl.parsers._common import in_scope
from etl.readers import LINE

# year columns, the first year read, chunk size, departments of the totals
YEAR_FIELD = re.compile(r"^effectifs_salaries_(\d{4})$")
FIRST_YEAR = 2014
CHUNK_ROWS = 200_000
IDF_DEPS = ("75", "77", "78", "91", "92", "93", "94", "95")
METRO_DEPS = {f"{d:02d}" for d in range(1, 96) if d != 20} | {"2A", "2B"}


def _normal(name: str) -> str:
    """A portal label or a field name as the field name: ``Effectifs salariés 2014`` →
    ``effectifs_salaries_2014`` (the export serves either, depending on its options)."""
    text = unicodedata.normalize("NFKD", str(name).strip()).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def read_producer(path: Path) -> tuple[pd.DataFrame, dict[str, object], int]:
    """The producer's commune × APE CSV: (in-scope communes summed over APE: code, year,
    eff_total, _line), whole-file totals by year and the departments seen, rows read."""
    with path.open("rb") as fh:  # the export's delimiter is an option of its URL: ";" asked, "," accepted
        sep = "," if b";" not in fh.readline() else ";"
    try:
        header = list(pd.read_csv(path, sep=sep, nrows=0, encoding="utf-8-sig").columns)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise RawDataError(path, f"neither Parquet nor a readable CSV ({exc})") from exc
    names = {_normal(c): c for c in header}
    for need in ("code_commune", "code_ape"):
        if need not in names:
            raise RawDataError(path, f"missing column; found {header[:12]}", line=1, field=need)
    years = {int(m.group(1)): names[n] for n in names if (m := YEAR_FIELD.match(n))}
    years = {y: c for y, c in sorted(years.items()) if y >= FIRST_YEAR}
    if not years:
        raise RawDataError(path, f"no effectifs_salaries_YYYY column from {FIRST_YEAR}", line=1)
    code_col, ape_col = names["code_commune"], names["code_ape"]
    kept, seen, n = [], set(), 0
    fr = pd.Series(0.0, index=list(years))
    r11 = fr.copy()
    try:
        chunks = pd.read_csv(
            path, sep=sep, usecols=[code_col, ape_col, *years.values()], dtype=str,
            keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS,
        )  # fmt: skip
        for chunk in chunks:
            chunk[LINE] = np.arange(n + 2, n + 2 + len(chunk))  # the header is line 1
            n += len(chunk)
            if chunk.isna().any().any():  # pandas pads a short line with NaN
                raise RawDataError(
                    path,
                    "fewer fields than the header",
                    int(chunk.loc[chunk.isna().any(axis=1), LINE].iloc[0]),
                )
            code = chunk[code_col].str.strip()
            code = code.where(~code.str.fullmatch(r"\d{4}"), code.str.zfill(5))  # a lost leading zero
            values = pd.DataFrame({y: _counts(chunk, c, path) for y, c in years.items()})
            dep = code.str[:2]
            seen |= set(dep)
            fr += values.sum()
            r11 += values.loc[dep.isin(IDF_DEPS)].sum()
            scope = in_scope(code)
            kept.append(
                values.loc[scope].assign(
                    code=code[scope],
                    ape=chunk.loc[scope, ape_col].str.strip(),
                    **{LINE: chunk.loc[scope, LINE]},
                )
            )
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise RawDataError(path, f"cannot read as CSV: {exc}") from exc
    if not n:
        raise RawDataError(path, "no data rows after the header")
    rows = pd.concat(kept, ignore_index=True)
    dup = rows.duplicated(["code", "ape"])
    if dup.any():
        raise RawDataError(
            path, "second row for the same commune and APE code", int(rows.loc[dup, LINE].iloc[0]), ape_col
        )
    long = rows.melt(id_vars=["code", "ape", LINE], value_vars=list(years), var_name="year", value_name="v")
    com = (
        long.dropna(subset=["v"])
        .groupby(["code", "year"], as_index=False)
        .agg(eff_total=("v", "sum"), **{LINE: (LINE, "min")})
    )
    com = com.astype({"year": "int64", "eff_total": "int64"})
    totals = {"FR": fr, "R11": r11, "deps": seen}
    return com, totals, n


def _counts(chunk: pd.DataFrame, col: str, path: Path) -> pd.Series:
    """A year's column as counts (NaN where empty); anything but a whole number ≥ 0 names the line."""
    text = chunk[col].str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = (text != "") & ~(values.ge(0) & (values % 1 == 0))
    if bad.any():
        i = bad.to_numpy().argmax()
        raise RawDataError(path, f"not a count: {text.iloc[i]!r}", int(chunk[LINE].iloc[i]), col)
    return values.astype(float)
