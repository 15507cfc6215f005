"""Shared readers for raw files: explicit encodings, separators, decimal commas, secrecy markers.

Every reader keeps the 1-based line number of each data row in the raw file (column ``_line``),
so that a validation failure can name the file, the line and the field.
"""

from __future__ import annotations

import csv
import io
import operator
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
from pandera.engines import pandas_engine

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


def _check_field_counts(text: str, sep: str, skip_lines: int, label: str) -> None:
    """Every non-blank line must have as many fields as the header: pandas silently pads a short
    line, which is what a truncated file or a damaged line looks like."""
    if not _check_field_counts_fast(text, sep, skip_lines, label):
        _check_field_counts_csv(text, sep, skip_lines, label)


def _check_field_counts_csv(text: str, sep: str, skip_lines: int, label: str) -> None:
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    width = None
    for number, row in enumerate(rows, start=1):
        if number <= skip_lines or not row:
            continue
        if width is None:
            # trailing empty header cells (spreadsheet artefacts) need no value on each line
            width = len(row)
            while width and not row[width - 1].strip():
                width -= 1
        elif len(row) < width and any(cell.strip() for cell in row):
            _short_line(label, len(row), width, number)


def _short_line(label: str, fields: int, width: int, number: int) -> None:
    raise RawDataError(
        label,
        f"{fields} fields where the header has {width} (truncated file or damaged line)",
        line=number,
    )


def _check_field_counts_fast(text: str, sep: str, skip_lines: int, label: str) -> bool:
    """``_check_field_counts_csv`` counting separators with numpy, for text where a csv row is a
    line and a field the text between two separators: no quote, no carriage return, no NUL, an
    ASCII one-character separator, lines within the csv field size limit. False (nothing
    checked) otherwise."""
    if len(sep) != 1 or not sep.isascii() or sep in '"\r\n' or any(c in text for c in '"\r\x00'):
        return False
    raw = text.encode("utf-8")
    data = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero(data == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    if len(data) and data[-1] == 10:  # no row after the final newline
        starts, ends = starts[:-1], ends[:-1]
    if len(ends) and int((ends - starts).max()) > csv.field_size_limit():
        return False
    seps = np.flatnonzero(data == ord(sep))
    fields = np.searchsorted(seps, ends) - np.searchsorted(seps, starts) + 1
    rows = np.flatnonzero(ends > starts)  # an empty line is no row
    rows = rows[rows >= skip_lines]
    if not len(rows):
        return True
    header = rows[0]
    cells = raw[starts[header] : ends[header]].decode("utf-8").split(sep)
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    for i in rows[1:][fields[rows[1:]] < width].tolist():
        cells = raw[starts[i] : ends[i]].decode("utf-8").split(sep)
        if any(cell.strip() for cell in cells):
            _short_line(label, len(cells), width, i + 1)
    return True


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
    _check_field_counts(text, sep, skip_lines, label)
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
    df = df.loc[~_blank_rows(df.drop(columns=LINE))].reset_index(drop=True)
    if df.empty:
        raise RawDataError(label, "no data rows after the header")
    return df


def _blank_rows(df: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or blank, column by column on the rows still blank (after
    the first column, usually none: a data row has a code)."""
    blank = np.ones(len(df), dtype=bool)
    for i in range(df.shape[1]):
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        col = df.iloc[rows, i]
        blank[rows] = (col.fillna("").str.strip() == "").to_numpy(dtype=bool)
    return blank


def check(df: pd.DataFrame, schema: pa.DataFrameSchema, label: str | Path) -> pd.DataFrame:
    """Validate ``df`` with a pandera schema; the first failure becomes a ``RawDataError``.

    The schema's column checks that are pandera built-ins (``str_matches`` — the number and code
    formats, the bulk of every schema here —, ``isin``, ``in_range``, ``ge``), with the column's
    dtype, missing values and uniqueness, are evaluated first, vectorised: the columns sharing a
    pattern are stacked and matched in one call rather than column by column. When they all
    pass, pandera validates whatever else the schema declares (nothing, for the schemas here);
    when anything fails, the whole schema is validated by pandera as declared, so that the error
    (file, line, field, failing check and count of failures) is exactly pandera's.
    """
    fast = _fast_check(df, schema)
    if fast:
        if len(fast) == len(schema.columns) and not schema.checks and schema.index is None:
            return df.copy()  # what pandera returns: a copy of the validated frame
        try:
            return schema.remove_columns(list(fast)).validate(df, lazy=True)
        except pa.errors.SchemaErrors:
            pass  # validated again below with the whole schema, for the exact error
    return _validate(df, schema, label)


def _validate(df: pd.DataFrame, schema: pa.DataFrameSchema, label: str | Path) -> pd.DataFrame:
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


#: pandera's ``str``, ``int`` and ``float`` dtypes: the declared dtypes handled outside pandera.
_STR, _INT, _FLOAT = (pandas_engine.Engine.dtype(t) for t in (str, int, float))
#: pandera's dtype verdicts met so far, by (declared dtype, column dtype): for the declared dtypes
#: above and a pandas string or numpy column dtype, the verdict depends on the two dtypes only.
_DTYPE_OK: dict[tuple[object, object], bool] = {}


def _fast_check(df: pd.DataFrame, schema: pa.DataFrameSchema) -> list[str]:
    """The columns of ``schema`` that pass all their constraints, checked outside pandera (see
    ``check``); an empty list when one of them fails (pandera then validates everything).

    A column qualifies when it is present with no missing value, is declared ``str`` (and holds
    a pandas string dtype) or ``int``/``float`` (and holds a numpy dtype), is not coerced or
    parsed, and all its checks are built-ins evaluated here. Schemas with options that depend on
    the whole set of columns (strict, ordered, coercion, added columns, dropped rows, uniqueness
    across columns) are left to pandera.
    """
    if (
        schema.strict
        or schema.ordered
        or schema.coerce
        or schema.unique
        or schema.add_missing_columns
        or schema.drop_invalid_rows
        or schema.unique_column_names
        or schema.dtype is not None
        or schema.parsers
    ):
        return []
    patterns: dict[tuple[str, str], list[str]] = {}
    others: list[tuple[pd.Series, str, dict]] = []
    fast = []
    for name, col in schema.columns.items():
        if col.regex or name not in df.columns or col.coerce or col.parsers or col.drop_invalid_rows:
            continue
        series = df[name]
        if not isinstance(series, pd.Series) or not _dtype_ok(col.dtype, series):
            continue
        checks = [_builtin(chk) for chk in col.checks]
        if any(c is None for c in checks) or series.hasnans or (col.unique and not series.is_unique):
            continue
        for check_name, stats in checks:  # type: ignore[misc]
            if check_name == "str_matches":
                patterns.setdefault((stats["pattern"], str(series.dtype)), []).append(name)
            else:
                others.append((series, check_name, stats))
        fast.append(name)
    try:
        for (pattern, _), names in patterns.items():
            if not all_match(df, dict.fromkeys(names, pattern)):
                return []
        for series, check_name, stats in others:
            if not bool(_BUILTINS[check_name](series, **stats).all()):
                return []
    except Exception:  # noqa: BLE001 - pandera turns such errors into failures: let it report them
        return []
    return fast


def _dtype_ok(declared: object, series: pd.Series) -> bool:
    """pandera's dtype check of a column declared ``str``, ``int`` or ``float``."""
    if declared == _STR:
        if not isinstance(series.dtype, pd.StringDtype):
            return False
    elif declared not in (_INT, _FLOAT) or not isinstance(series.dtype, np.dtype):
        return False
    key = (declared, series.dtype)
    if key in _DTYPE_OK:
        return _DTYPE_OK[key]
    try:
        ok = declared.check(pandas_engine.Engine.dtype(series.dtype), series)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return False
    ok = ok if isinstance(ok, bool) else bool(np.all(ok))
    if len(series):  # an empty column proves nothing about the dtype
        _DTYPE_OK[key] = ok
    return ok


#: pandera's built-in checks evaluated here, as pandera's pandas backend defines them.
_BUILTINS = {
    "in_range": lambda data, min_value, max_value, include_min=True, include_max=True: (
        (operator.le if include_min else operator.lt)(min_value, data)
        & (operator.ge if include_max else operator.gt)(max_value, data)
    ),
    "greater_than_or_equal_to": lambda data, min_value: data >= min_value,
    "isin": lambda data, allowed_values: data.isin(allowed_values),
}


def _builtin(chk: pa.Check) -> tuple[str, dict] | None:
    """(name, arguments) of a plain built-in check evaluated here; None for any other check."""
    fn = getattr(chk, "_check_fn", None)
    name = getattr(fn, "__name__", None)
    if name not in ("str_matches", *_BUILTINS) or chk.name != name:
        return None
    if chk.raise_warning or chk.groupby is not None or chk.element_wise or not chk.ignore_na:
        return None
    stats = dict(chk.statistics)
    if name == "str_matches" and not isinstance(stats.get("pattern"), str):
        return None
    return name, stats


def all_match(df: pd.DataFrame, patterns: Mapping[str, str]) -> bool:
    """Whether every cell of each column matches its pattern, as pandera's ``str_matches`` tests
    it (``Series.str.match(pattern, na=False)``): one call per pattern over the stacked columns."""
    by_pattern: dict[tuple[str, str], list[str]] = {}
    for name, pattern in patterns.items():
        by_pattern.setdefault((pattern, str(df[name].dtype)), []).append(name)
    return all(
        stack_text([df[n] for n in names]).str.match(pattern, na=False).all()
        for (pattern, _), names in by_pattern.items()
    )


def stack_text(columns: list[pd.Series]) -> pd.Series:
    """Text columns one after the other as one Series (index 0..n-1): the Arrow chunks of the
    columns side by side when they are Arrow-backed (no copy), ``pd.concat`` otherwise."""
    dtype = columns[0].dtype
    if (
        isinstance(dtype, pd.StringDtype)
        and dtype.storage == "pyarrow"
        and all(c.dtype == dtype for c in columns)
    ):
        chunks = []
        for col in columns:
            arr = pa_arrow.array(col.array)
            chunks += arr.chunks if isinstance(arr, pa_arrow.ChunkedArray) else [arr]
        if len({c.type for c in chunks}) == 1:
            return pd.Series(pa_arrow.chunked_array(chunks), dtype=dtype)
    if len(columns) == 1:
        return columns[0].reset_index(drop=True)
    return pd.concat(columns, ignore_index=True)


#: A 5-character INSEE commune code.
CODE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"


def code_check(pattern: str = CODE_PATTERN) -> pa.Check:
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
    values, status = to_numbers(
        df, [field], label, decimal=decimal, secret=secret, empty=empty, thousands=thousands
    )
    return (
        pd.Series(values[0], index=df.index, name=field),
        pd.Series(status[0], index=df.index, dtype=object),
    )


def to_numbers(
    df: pd.DataFrame,
    fields: Sequence[str],
    label: str | Path,
    *,
    decimal: str | Mapping[str, str] = ".",
    secret: Iterable[str] = ("s",),
    empty: str = STATUS_MISSING,
    thousands: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``to_number`` over several columns at once: (values, statuses), arrays of shape
    ``(len(fields), len(df))`` (float64 and object), row ``i`` for ``fields[i]``.

    ``decimal`` may be given per column. The columns sharing a decimal separator are stacked and
    parsed as one block with the Arrow compute kernels that pandas' string methods call, instead
    of a dozen pandas operations per column. The first column, in the order of ``fields``,
    holding a cell that is not a number raises the ``RawDataError``.
    """
    secret = list(secret)
    n, k = len(df), len(fields)
    values = np.empty((k, n), dtype=float)
    codes = np.empty((k, n), dtype=np.int8)  # 0 ok, 1 empty, 2 secret (secret wins)
    groups: dict[str, list[int]] = {}
    for j, col in enumerate(fields):
        groups.setdefault(_decimal_of(decimal, col), []).append(j)
    for dec, idx in groups.items():
        texts = [df[fields[j]].astype(str) for j in idx]
        block = _arrow_block(texts) if dec and thousands != "" else None
        if block is None:  # text not held by Arrow: pandas, column by column
            for j, text in zip(idx, texts, strict=True):
                _, parsed, is_empty, is_secret = _parse_column(text, dec, secret, thousands)
                values[j] = parsed.to_numpy(dtype=float)
                codes[j] = np.where(is_secret.to_numpy(dtype=bool), 2, is_empty.to_numpy(dtype=bool))
            continue
        parsed, is_empty, is_secret, redo = _parse_block(block, n, len(idx), dec, secret, thousands)
        values[idx] = parsed
        codes[idx] = np.where(is_secret, 2, is_empty)
        for r in redo:  # a cell Arrow and pandas might read differently: pandas reads the column
            values[idx[r]] = _parse_column(texts[r], dec, secret, thousands)[1].to_numpy(dtype=float)
    bad = np.isnan(values) & (codes == 0)
    if bad.any():
        # the first column with a bad cell is parsed again on its own to name the line and value
        col = fields[int(bad.any(axis=1).argmax())]
        _number_column(df, col, label, _decimal_of(decimal, col), secret, thousands)
        raise AssertionError(f"{col}: block and column parses disagree")  # pragma: no cover
    statuses = np.array([STATUS_OK, empty, STATUS_SECRET], dtype=object)[codes]
    return values, statuses


def _decimal_of(decimal: str | Mapping[str, str], col: str) -> str:
    return decimal.get(col, ".") if isinstance(decimal, Mapping) else decimal


def _arrow_block(texts: list[pd.Series]) -> pa_arrow.Array | None:
    """The columns one after the other as one Arrow string array (None unless all are Arrow)."""
    arrays = []
    for text in texts:
        if not (isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"):
            return None
        arr = pa_arrow.array(text.array)
        arrays += arr.chunks if isinstance(arr, pa_arrow.ChunkedArray) else [arr]
    if not arrays:
        return None
    return pa_arrow.concat_arrays([a.cast(pa_arrow.large_string()) for a in arrays])


#: Plain decimal numbers. pandas' parser reads them exactly (to the correctly rounded double,
#: as Arrow's cast does) when the integer mantissa is below 2**53 (at most 15 significant
#: digits) and they have at most 17 digits in all (pandas ignores digits beyond the 17th).
_PLAIN = r"^-?[0-9]+(?:\.[0-9]+)?$"
_SIGNIFICANT, _DIGITS = 15, 17


def _parse_block(
    block: pa_arrow.Array, n: int, k: int, decimal: str, secret: list[str], thousands: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Values, empty and secret masks (shape ``(k, n)``) of ``k`` stacked text columns of ``n``
    cells, and the columns to read with ``pd.to_numeric`` instead (any cell not ``_PLAIN``)."""
    raw = pc.utf8_trim_whitespace(block)  # Series.str.strip()
    txt = raw
    if thousands:
        txt = pc.replace_substring(txt, thousands, "")
    if not pc.all(pc.string_is_ascii(txt)).as_py():  # the replacements are no-ops on ASCII text
        txt = pc.replace_substring(pc.replace_substring(txt, "\u00a0", ""), "\u202f", "")
    if decimal != ".":
        txt = pc.replace_substring(txt, decimal, ".")
    is_empty = pc.fill_null(pc.equal(raw, ""), False)
    secrets = pa_arrow.array(secret, pa_arrow.large_string())
    is_secret = pc.fill_null(pc.is_in(raw, value_set=secrets), False)
    wanted = pc.and_(pc.is_valid(txt), pc.invert(pc.or_(is_empty, is_secret)))
    has_point = pc.cast(pc.match_substring(txt, "."), pa_arrow.int64())
    digits = pc.subtract(
        pc.subtract(pc.binary_length(txt), has_point), pc.cast(pc.starts_with(txt, "-"), pa_arrow.int64())
    )
    mantissa = pc.utf8_ltrim(txt, "-0.")  # from the first significant digit
    significant = pc.subtract(
        pc.binary_length(mantissa), pc.cast(pc.match_substring(mantissa, "."), pa_arrow.int64())
    )
    safe = pc.and_(
        pc.fill_null(pc.match_substring_regex(txt, _PLAIN), False),
        pc.fill_null(
            pc.and_(pc.less_equal(digits, _DIGITS), pc.less_equal(significant, _SIGNIFICANT)), False
        ),
    )
    unsafe = pc.and_(wanted, pc.invert(safe)).to_numpy(zero_copy_only=False)
    keep = pc.and_(wanted, safe)
    cast = pc.cast(pc.if_else(keep, txt, pa_arrow.scalar(None, txt.type)), pa_arrow.float64())
    values = cast.to_numpy(zero_copy_only=False).astype(float)
    neg_zero = (values == 0) & np.signbit(values)  # "-0" is 0 in a column of integers for pandas
    redo = np.flatnonzero((unsafe | neg_zero).reshape(k, n).any(axis=1)).tolist()
    return (
        values.reshape(k, n),
        is_empty.to_numpy(zero_copy_only=False).reshape(k, n),
        is_secret.to_numpy(zero_copy_only=False).reshape(k, n),
        redo,
    )


def _parse_column(
    text: pd.Series, decimal: str, secret: list[str], thousands: str | None
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """The reference parse of one column: (stripped text, values, empty mask, secret mask)."""
    raw = text.astype(str).str.strip()
    txt = raw
    if thousands:
        txt = txt.str.replace(thousands, "", regex=False)
    txt = txt.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    if decimal != ".":
        txt = txt.str.replace(decimal, ".", regex=False)
    is_empty = raw == ""
    is_secret = raw.isin(secret)
    values = pd.to_numeric(txt.where(~(is_empty | is_secret)), errors="coerce")
    return raw, values, is_empty, is_secret


def _number_column(
    df: pd.DataFrame,
    field: str,
    label: str | Path,
    decimal: str,
    secret: list[str],
    thousands: str | None,
) -> pd.Series:
    """One column parsed on its own; a cell that is not a number is a ``RawDataError``."""
    raw, values, is_empty, is_secret = _parse_column(df[field], decimal, secret, thousands)
    bad = values.isna() & ~is_empty & ~is_secret
    if bad.any():
        i = bad.idxmax()
        line = int(df.loc[i, LINE]) if LINE in df.columns else None
        raise RawDataError(label, f"not a number: {raw[i]!r}", line=line, field=field)
    return values.astype(float)


def melt_arrays(
    df: pd.DataFrame,
    code_field: str,
    mapping: Mapping[str, tuple[str, int]],
    label: str | Path,
    *,
    cog: int,
    decimal: str | Mapping[str, str] = ".",
    secret: Iterable[str] = ("s",),
    empty: str = STATUS_MISSING,
    month: int = 0,
) -> dict[str, np.ndarray]:
    """The columns of ``melt_columns`` as numpy arrays (object arrays for the text columns),
    built in one go: column after column, each with every row of ``df``."""
    fields = list(mapping)
    values, status = to_numbers(df, fields, label, decimal=decimal, secret=secret, empty=empty)
    n, k = len(df), len(fields)
    variables = np.array([var for var, _ in mapping.values()], dtype=object)
    years = np.array([year for _, year in mapping.values()], dtype=np.int64)
    return {
        "code": np.tile(df[code_field].to_numpy(dtype=object), k),
        "variable": np.repeat(variables, n),
        "year": np.repeat(years, n),
        "month": np.full(n * k, month, dtype=np.int64),
        "value": values.reshape(-1),
        "status": status.reshape(-1),
        "cog": np.full(n * k, cog, dtype=np.int64),
    }


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
    if not mapping:
        raise ValueError("No objects to concatenate")  # as pd.concat of no part
    arrays = melt_arrays(
        df, code_field, mapping, label, cog=cog, decimal=decimal, secret=secret, empty=empty, month=month
    )
    return pd.DataFrame(arrays)
