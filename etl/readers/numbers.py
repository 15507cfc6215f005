"""Numbers from text cells: decimal commas, thousands separators, secrecy markers, empty cells.

Raw files are read as text (``etl.readers.text``); here a column becomes (value, status) with
pandas' own parser (``pd.to_numeric``), after the separators the producers use are removed. A
cell that is neither a number, a secrecy marker nor empty is a ``RawDataError`` naming the
file, the line and the field.

Measured (issue #12, ``bench/etl.py`` and the parsers' own calls on the real files): the former
hand-written block parse (Arrow casts, with rules to match pandas to the bit) took 0.27 s of CPU
over a full run where this takes 0.91 s; 0.6 s of a run of about 13 s is no reason to keep a
second number parser beside pandas', so there is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from etl.contract import STATUS_MISSING, STATUS_OK, STATUS_SECRET, RawDataError
from etl.readers.text import LINE


def _parse_column(
    text: pd.Series, decimal: str, secret: list[str], thousands: str | None
) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """One column: (stripped text, values, empty mask, secret mask); a cell that is neither a
    number, a secrecy marker nor empty is NaN with both masks False."""
    raw = text.astype(str).str.strip()
    txt = raw
    if thousands:
        txt = txt.str.replace(thousands, "", regex=False)
    if not txt.str.isascii().all():  # no-break and narrow no-break spaces: French thousands
        txt = txt.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    if decimal != ".":
        txt = txt.str.replace(decimal, ".", regex=False)
    # empty cells and secrecy markers are not numbers either: NaN, told apart by the masks
    values = pd.to_numeric(txt, errors="coerce")
    is_empty = (raw == "").to_numpy(dtype=bool)
    is_secret = raw.isin(secret).to_numpy(dtype=bool)
    return raw, values, is_empty, is_secret


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
    raw, values, is_empty, is_secret = _parse_column(df[field], decimal, list(secret), thousands)
    bad = values.isna().to_numpy(dtype=bool) & ~is_empty & ~is_secret
    if bad.any():
        i = int(bad.argmax())
        line = int(df[LINE].iloc[i]) if LINE in df.columns else None
        raise RawDataError(label, f"not a number: {raw.iloc[i]!r}", line=line, field=field)
    # a secrecy marker wins over empty (where a source declares "" as a marker)
    status = np.where(is_secret, STATUS_SECRET, np.where(is_empty, empty, STATUS_OK)).astype(object)
    return values.astype(float).rename(field), pd.Series(status, index=df.index, dtype=object)


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
    """``to_number`` over several columns: (values, statuses), arrays of shape
    ``(len(fields), len(df))`` (float64 and object), row ``i`` for ``fields[i]``; ``decimal`` may
    be given per column. The first column, in the order of ``fields``, holding a cell that is
    not a number raises the ``RawDataError``."""
    secret = list(secret)
    values = np.empty((len(fields), len(df)), dtype=float)
    statuses = np.empty((len(fields), len(df)), dtype=object)
    for j, col in enumerate(fields):
        dec = decimal.get(col, ".") if isinstance(decimal, Mapping) else decimal
        v, s = to_number(df, col, label, decimal=dec, secret=secret, empty=empty, thousands=thousands)
        values[j], statuses[j] = v.to_numpy(dtype=float), s.to_numpy(dtype=object)
    return values, statuses
