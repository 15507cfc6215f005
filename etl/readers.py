"""Shared readers for raw files: explicit encodings, separators, decimal commas, secrecy markers.

Every reader keeps the 1-based line number of each data row in the raw file (column ``_line``),
so that a validation failure can name the file, the line and the field.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_MISSING, STATUS_OK, STATUS_SECRET, RawDataError

LINE = "_line"


def read_text(path: Path, member: str | None = None, encoding: str = "utf-8") -> str:
    """Decode a raw file (or a zip member) strictly; strip a BOM; normalise CRLF to LF.

    A wrong encoding is a ``RawDataError`` naming the file and the line of the first bad byte.
    """
    if member is not None:
        try:
            with zipfile.ZipFile(path) as zf:
                data = zf.read(member)
        except (zipfile.BadZipFile, KeyError) as exc:
            raise RawDataError(path, f"cannot read zip member {member!r}: {exc}") from exc
        label: str | Path = f"{path}!{member}"
    else:
        data = path.read_bytes()
        label = path
    if not data.strip():
        raise RawDataError(label, "file is empty")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawDataError(label, f"not valid {encoding} ({exc.reason})", line=line) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


def read_csv(
    path: Path,
    *,
    sep: str = ";",
    columns: Sequence[str],
    member: str | None = None,
    skip_lines: int = 0,
    encoding: str = "utf-8",
    allow_extra: bool = True,
) -> pd.DataFrame:
    """Read a delimited raw file as strings, check its header, add the raw line number.

    ``columns`` are the required columns (a missing one is an error naming it); every value is
    read as text so that no code loses its leading zero and no ``s`` is silently coerced.
    ``skip_lines`` title lines before the header are skipped (ARCEP sheets).
    """
    label = f"{path}!{member}" if member else str(path)
    text = read_text(path, member, encoding)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skiprows=skip_lines,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise RawDataError(label, f"cannot parse as CSV: {exc}") from exc
    # keep_default_na=False reads every present cell as text: a NaN can only be a row with fewer
    # fields than the header, i.e. a truncated or damaged line
    short = df.isna().any(axis=1) & ~df.isna().all(axis=1)  # all-NaN rows are blank lines
    if short.any():
        i = int(short.to_numpy().argmax())
        col = str(df.columns[int(df.iloc[i].isna().to_numpy().argmax())]).strip()
        raise RawDataError(
            label,
            "fewer fields than the header (truncated file or damaged line)",
            line=skip_lines + 2 + i,
            field=col,
        )
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise RawDataError(
            label,
            f"missing column(s) {missing}; found {list(df.columns)[:12]}…",
            line=skip_lines + 1,
            field=missing[0],
        )
    if not allow_extra:
        extra = [c for c in df.columns if c not in columns]
        if extra:
            raise RawDataError(label, f"unexpected column(s) {extra}", line=skip_lines + 1, field=extra[0])
    # header is line skip_lines+1, first data row is skip_lines+2
    df[LINE] = range(skip_lines + 2, skip_lines + 2 + len(df))
    # drop fully blank trailing lines (files without a final newline, spreadsheets saved as CSV)
    blank = df.drop(columns=LINE).apply(lambda c: c.fillna("").str.strip() == "").all(axis=1)
    df = df.loc[~blank].reset_index(drop=True)
    if df.empty:
        raise RawDataError(label, "no data rows after the header")
    return df


def check(df: pd.DataFrame, schema: pa.DataFrameSchema, label: str | Path) -> pd.DataFrame:
    """Validate ``df`` with a pandera schema; the first failure becomes a ``RawDataError``."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        row = cases.iloc[0]
        field = row.get("column")
        index = row.get("index")
        line = None
        if index is not None and not pd.isna(index) and LINE in df.columns:
            try:
                line = int(df.loc[int(index), LINE])
            except (KeyError, ValueError, TypeError):
                line = None
        value = row.get("failure_case")
        msg = f"{row.get('check')} failed for value {value!r} ({len(cases)} failure(s) in all)"
        raise RawDataError(label, msg, line=line, field=None if pd.isna(field) else str(field)) from exc


def code_check(pattern: str = r"^(\d{5}|2[AB]\d{3})$") -> pa.Check:
    """Check that a column holds 5-character INSEE codes."""
    return pa.Check.str_matches(pattern, error="not a 5-character INSEE code")


def to_number(
    df: pd.DataFrame,
    field: str,
    label: str | Path,
    *,
    decimal: str = ".",
    secret: Iterable[str] = ("s",),
    empty: str = STATUS_MISSING,
    thousands: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse a text column into (value, status).

    Empty cells get status ``empty`` (missing by default, or secret where the source says so),
    ``secret`` tokens get ``secret``; anything else that is not a number is a ``RawDataError``
    naming the file, line and field.
    """
    raw = df[field].astype(str).str.strip()
    txt = raw
    if thousands:
        txt = txt.str.replace(thousands, "", regex=False)
    txt = txt.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    if decimal != ".":
        txt = txt.str.replace(decimal, ".", regex=False)
    is_empty = raw == ""
    is_secret = raw.isin(list(secret))
    values = pd.to_numeric(txt.where(~(is_empty | is_secret)), errors="coerce")
    bad = values.isna() & ~is_empty & ~is_secret
    if bad.any():
        i = bad.idxmax()
        line = int(df.loc[i, LINE]) if LINE in df.columns else None
        raise RawDataError(label, f"not a number: {raw[i]!r}", line=line, field=field)
    status = pd.Series(STATUS_OK, index=df.index, dtype=object)
    status[is_empty] = empty
    status[is_secret] = STATUS_SECRET
    return values.astype(float), status


def melt_columns(
    df: pd.DataFrame,
    code_field: str,
    mapping: dict[str, tuple[str, int]],
    label: str | Path,
    *,
    cog: int,
    decimal: str | dict[str, str] = ".",
    secret: Iterable[str] = ("s",),
    empty: str = STATUS_MISSING,
    month: int = 0,
) -> pd.DataFrame:
    """Turn wide columns into tidy observations.

    ``mapping``: raw column -> (variable id, year). ``decimal`` may be per column.
    Returns a frame with the columns of ``etl.contract.OBS_COLUMNS``.
    """
    parts = []
    for col, (var, year) in mapping.items():
        dec = decimal.get(col, ".") if isinstance(decimal, dict) else decimal
        values, status = to_number(df, col, label, decimal=dec, secret=secret, empty=empty)
        parts.append(
            pd.DataFrame(
                {
                    "code": df[code_field].to_numpy(),
                    "variable": var,
                    "year": year,
                    "month": month,
                    "value": values.to_numpy(),
                    "status": status.to_numpy(),
                    "cog": cog,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
