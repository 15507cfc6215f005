"""SDES, RPLS: social housing stock at 1 January 2024, per commune (Paris by arrondissement).

Two national files of the SDES "COMMUNES" sheet (see PROVENANCE §6-7), one row per commune:
``main`` gives the stock ``nb_ls`` and the published rates (``densite`` per 100 main residences,
``tx_vac`` and ``tx_mob`` in %); ``detail`` splits the stock by occupancy (let, vacant, empty,
associations, financial occupancy, temporary occupancy) and repeats ``nb_ls``.
Each is read either as the mirror's CSV (a third-party export of the sheet, ``,``-separated) or
as the producer's workbook itself, told apart by the content (``PK``: xlsx): sheet ``COMMUNES``,
four rows of headings and an empty row above the row of column names (``DEPCOM_ARM``, …), one
row per commune below; both files are then that same sheet, read once.

Established on the data (all 16 859 communes) and checked here on every run (the first point
nationally, the others on the communes emitted):
- ``nb_ls`` is the same in both files;
- the six occupancy counts add up to ``nb_ls``;
- ``tx_vac = 100 * nb_vacants / (nb_loues + nb_vacants)`` (rounded to 4 decimals; 0 when the
  denominator is 0), so vacancy aggregates exactly as sum(ls_vacants) / sum(ls_loues + ls_vacants);
- ``tx_mob`` is not derivable: its numerator (move-ins) is not published and its denominator
  (dwellings let or offered for at least a year) is not ``nb_loues + nb_vacants``.
The occupancy detail is empty for 5 451 communes (mostly stocks of at most 10 dwellings, not
strictly): emitted as status ``missing`` with a flag, never as 0.
Geography: COG 2024 (93059 and 93066 separate; 24 codes merged on 1 January 2025 are present).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pandera.pandas as pa

from etl.contract import ParseResult, RawDataError
from etl.parsers._common import INTEGER, NUMBER, Flags, finish, in_scope, tidy
from etl.readers import LINE, check, code_check, read_csv, to_number
from etl.registry import SourceSpec

YEAR, COG = 2024, 2024
SHEET, CODE = "COMMUNES", "DEPCOM_ARM"
HEADER_ROWS = 10  # the row of column names is looked for in the sheet's first rows (row 6 in 2024)
RATES = {"nb_ls": "ls_nb", "densite": "ls_densite", "tx_vac": "ls_tx_vac", "tx_mob": "ls_tx_mob"}
DETAIL = {
    "nb_loues": "ls_loues",
    "nb_vacants": "ls_vacants",
    "nb_vides": "ls_vides",
    "nb_asso": "ls_asso",
    "nb_occup_finan": "ls_occup_finan",
    "nb_occup_temp": "ls_occup_temp",
}

MAIN_SCHEMA = pa.DataFrameSchema(
    {
        "DEPCOM_ARM": pa.Column(str, code_check(), unique=True),
        "LIBCOM": pa.Column(str),
        "nb_ls": pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")),
        **{
            c: pa.Column(str, pa.Check.str_matches(NUMBER, error="not a number"))
            for c in RATES
            if c != "nb_ls"
        },
    }
)
DETAIL_SCHEMA = pa.DataFrameSchema(
    {
        "DEPCOM_ARM": pa.Column(str, code_check(), unique=True),
        "nb_ls": pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")),
        # empty = detail not published for that commune
        **{c: pa.Column(str, pa.Check.str_matches(r"^(\d+)?$", error="not a count")) for c in DETAIL},
    }
)


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse both RPLS files into ``ls_*`` observations (year 2024, cog 2024)."""
    main, det = _read(files)
    main = check(main, MAIN_SCHEMA, files["main"])
    det = check(det, DETAIL_SCHEMA, files["detail"])
    rows_read = {"main": len(main), "detail": len(det)}
    flags = Flags()

    # the two files are the same SDES sheet: the stock must agree wherever both have the commune
    both = main[["DEPCOM_ARM", "nb_ls"]].merge(
        det[["DEPCOM_ARM", "nb_ls", LINE]], on="DEPCOM_ARM", suffixes=("", "_d")
    )
    bad = both["nb_ls"].astype(int) != both["nb_ls_d"].astype(int)
    if bad.any():
        r = both.loc[bad].iloc[0]
        raise RawDataError(
            files["detail"],
            f"nb_ls {r['nb_ls_d']} differs from {r['nb_ls']} in the main file",
            int(r[LINE]),
            "nb_ls",
        )

    main = main.loc[in_scope(main["DEPCOM_ARM"])].reset_index(drop=True)
    det = det.loc[in_scope(det["DEPCOM_ARM"])].reset_index(drop=True)
    only = set(main["DEPCOM_ARM"]) ^ set(det["DEPCOM_ARM"])
    if only:
        raise RawDataError(files["detail"], f"communes in only one of the two files: {sorted(only)[:5]}")

    parts = []
    for col, var in RATES.items():
        values, status = to_number(main, col, files["main"])
        parts.append(tidy(main["DEPCOM_ARM"], var, YEAR, 0, values, status, COG))
    counts = {}
    for col, var in DETAIL.items():
        values, status = to_number(det, col, files["detail"])
        counts[col] = values
        parts.append(tidy(det["DEPCOM_ARM"], var, YEAR, 0, values, status, COG))

    detail = pd.DataFrame(counts).assign(
        code=det["DEPCOM_ARM"], nb_ls=det["nb_ls"].astype(float), line=det[LINE]
    )
    published = detail[list(DETAIL)].notna().all(axis=1)
    for code in detail.loc[~published, "code"]:
        flags.add(
            "detail_not_published",
            "occupancy detail (let, vacant, …) empty in the SDES file: emitted as missing",
            code=code,
            year=YEAR,
        )
    _check_detail(detail.loc[published], main, files, flags)
    return ParseResult(finish(parts), flags.frame(), rows_read)


def _read(files: dict[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two files as text frames with their columns and ``_line``: the mirror's CSVs, or the
    producer's workbook (the same bytes for both files are read once)."""
    sheets: dict[str, pd.DataFrame] = {}
    frames = []
    for key, schema in (("main", MAIN_SCHEMA), ("detail", DETAIL_SCHEMA)):
        path, columns = files[key], list(schema.columns)
        with path.open("rb") as fh:
            xlsx = fh.read(2) == b"PK"
        if not xlsx:
            frames.append(read_csv(path, sep=",", columns=columns))
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in sheets:
            sheets[digest] = _read_sheet(path, data)
        sheet = sheets[digest]
        missing = [c for c in columns if c not in sheet.columns]
        if missing:
            raise RawDataError(path, f"sheet {SHEET}: missing column(s) {missing}", field=missing[0])
        frames.append(sheet[[*columns, LINE]].copy())
    return frames[0], frames[1]


def _read_sheet(path: Path, data: bytes) -> pd.DataFrame:
    """The producer's sheet ``COMMUNES`` as text (as the CSV export writes it), ``_line`` = row.
    Read from the bytes: the cache keeps the workbook under the mirror's ``.csv`` name, which
    openpyxl would refuse."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise RawDataError(path, f"not a readable xlsx workbook: {exc}") from exc
    try:
        if SHEET not in book.sheetnames:
            raise RawDataError(path, f"no sheet {SHEET!r}; found {book.sheetnames}")
        rows = book[SHEET].iter_rows(min_row=1, values_only=True)
        header, start = None, 0
        for number, row in enumerate(rows, start=1):
            names = [str(c).strip() if c is not None else "" for c in row]
            if CODE in names:
                header, start = names, number + 1
                break
            if number >= HEADER_ROWS:
                break
        if header is None:
            raise RawDataError(path, f"sheet {SHEET}: no row of column names ({CODE}) in its first rows")
        width = len(header)
        table = []
        for number, row in enumerate(rows, start=start):
            cells = [_text(c) for c in row[:width]]
            table.append([*cells, *[""] * (width - len(cells)), number])
    finally:
        book.close()
    df = pd.DataFrame(table, columns=[*header, LINE])
    df = df.loc[:, [c != "" for c in df.columns] & ~df.columns.duplicated()]  # unnamed: beyond the table
    df = df.loc[(df.drop(columns=LINE) != "").any(axis=1)].reset_index(drop=True)  # empty rows
    if df.empty:
        raise RawDataError(path, f"sheet {SHEET}: no data rows below the column names")
    # a code typed as a number would have lost its leading zero
    df[CODE] = df[CODE].where(~df[CODE].str.fullmatch(r"\d{1,4}"), df[CODE].str.zfill(5))
    return df


def _text(value: object) -> str:
    """A cell as the CSV export writes it: whole numbers without a decimal part, others in full."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _check_detail(detail: pd.DataFrame, main: pd.DataFrame, files: dict[str, Path], flags: Flags) -> None:
    """Counts must add up to the stock; the published vacancy rate must follow the formula."""
    total = detail[list(DETAIL)].sum(axis=1)
    bad = total != detail["nb_ls"]
    if bad.any():
        r = detail.loc[bad].iloc[0]
        raise RawDataError(
            files["detail"], f"occupancy counts add up to {total[bad].iloc[0]:g}", int(r["line"]), "nb_ls"
        )
    rates = detail.merge(main[["DEPCOM_ARM", "tx_vac"]], left_on="code", right_on="DEPCOM_ARM")
    denom = rates["nb_loues"] + rates["nb_vacants"]
    expected = np.where(denom > 0, 100 * rates["nb_vacants"] / denom.where(denom > 0), 0.0)
    off = (rates["tx_vac"].astype(float) - expected).abs() > 1e-4 + 1e-9
    for code in rates.loc[off, "code"]:
        flags.add(
            "rate_formula_mismatch",
            "published tx_vac differs from 100 * vacants / (loués + vacants)",
            code=code,
            variable="ls_tx_vac",
            year=YEAR,
        )
