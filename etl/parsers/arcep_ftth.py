"""ARCEP: FttH deployment per commune, 2017-T3 → 2018-T1, and its denominator (PROVENANCE §14).

Two sheets of the ARCEP T1 2018 "déploiements" workbook saved as CSV by another project, each
with 4 title lines before the header:
- ``ftth``: ``Code commune, Champ, T3 2017, T4 2017, T1 2018``, two rows per commune: ``Locaux
  Raccordables`` (FttH-connectable premises, additive) and ``Catégorie`` (ARCEP coverage class
  0/5/10/25/50/80, not additive). A quarter ``Tq yyyy`` is emitted as year yyyy, month 3q (the
  last month of the quarter);
- ``communes``: ``Logements`` and ``Établissements`` (INSEE counts whose sum is ARCEP's coverage
  denominator), emitted at 2018-03. They are text with non-breaking-space thousands separators and
  blank padding (" 37 855    "), and "-" for zero.
Geography: 91182 and 91222 (merged 1 January 2019) present, 95259 (merged 2018) absent → COG 2018.

Either file may also be ARCEP's workbook itself (told apart by content: the zip magic bytes of an
xlsx, never the file name): the sheet read is the first whose header row (within the first rows,
after ARCEP's title lines) has the columns wanted — ``Code commune`` and ``Champ`` for the FttH
sheet ("Déploiement par Commune"), ``Code commune``, ``Logements`` and ``Établissements`` for the
other (titled "Informations à l'échelle de la commune"; an xlsx sheet name holds at most 31
characters) — so a renamed, shortened or moved sheet is still found.
Cells are turned into the text the CSV export holds (a whole number as its digits, an empty cell
as ""), and the same checks then apply; a code stored as a number gets its leading zero back.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pandera.pandas as pa
from openpyxl.utils.exceptions import InvalidFileException

from etl.contract import ParseResult, RawDataError
from etl.parsers._common import INTEGER, Flags, finish, in_scope, tidy
from etl.readers import LINE, check, code_check, read_csv, to_number
from etl.registry import SourceSpec

COG = 2018
TITLE_LINES = 4
CODE = "Code commune"
LOCAUX, CATEGORIE = "Locaux Raccordables", "Catégorie"
QUARTER = re.compile(r"^T([1-4]) (\d{4})$")
QUARTERS = ["T3 2017", "T4 2017", "T1 2018"]  # required; any further "Tq yyyy" column is read too
CLASSES = ["0", "5", "10", "25", "50", "80"]
DENOMINATOR = {"Logements": "arcep_logements", "Établissements": "arcep_etablissements"}
# "-" is ARCEP's zero; values are otherwise digits with NBSP separators and blank padding
PADDED = r"^\s*(-|\d{1,3}([\u00a0\u202f ]?\d{3})*)\s*$"
HEADER_ROWS = 15  # an xlsx sheet's header row is looked for in its first rows (title lines above)

FTTH_SCHEMA = pa.DataFrameSchema(
    {
        CODE: pa.Column(str, code_check()),
        "Champ": pa.Column(str, pa.Check.isin([LOCAUX, CATEGORIE], error="unknown Champ")),
        **{q: pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")) for q in QUARTERS},
    }
)
COMMUNES_SCHEMA = pa.DataFrameSchema(
    {
        CODE: pa.Column(str, code_check(), unique=True),
        **{c: pa.Column(str, pa.Check.str_matches(PADDED, error="not a padded count")) for c in DENOMINATOR},
    }
)


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse both ARCEP sheets into ``ftth_*`` and ``arcep_*`` observations (cog 2018)."""
    flags = Flags()
    ftth_path, com_path = files["ftth"], files["communes"]
    ftth = read_sheet(ftth_path, [CODE, "Champ", *QUARTERS])
    com = read_sheet(com_path, [CODE, *DENOMINATOR])
    rows_read = {"ftth": len(ftth), "communes": len(com)}
    quarters = [c for c in ftth.columns if QUARTER.match(c)]
    schema = FTTH_SCHEMA.add_columns(
        {q: pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")) for q in quarters}
    )
    ftth = check(ftth, schema, ftth_path)
    com = check(com, COMMUNES_SCHEMA, com_path)
    dup = ftth.duplicated([CODE, "Champ"])
    if dup.any():
        raise RawDataError(
            ftth_path, "second row for the same commune and Champ", int(ftth.loc[dup, LINE].iloc[0]), CODE
        )
    bad_class = ftth.loc[(ftth["Champ"] == CATEGORIE) & ~ftth[quarters].isin(CLASSES).all(axis=1)]
    if not bad_class.empty:
        raise RawDataError(
            ftth_path, f"coverage class not in {CLASSES}", int(bad_class[LINE].iloc[0]), "Champ"
        )

    ftth = ftth.loc[in_scope(ftth[CODE])].reset_index(drop=True)
    com = com.loc[in_scope(com[CODE])].reset_index(drop=True)
    lonely = ftth.groupby(CODE)["Champ"].nunique()
    if (lonely < 2).any():
        code = lonely.index[lonely < 2][0]
        raise RawDataError(ftth_path, f"commune {code} lacks one of the two Champ rows", field="Champ")

    parts = []
    for champ, var in ((LOCAUX, "ftth_locaux"), (CATEGORIE, "ftth_categorie")):
        rows = ftth.loc[ftth["Champ"] == champ].reset_index(drop=True)
        for q in quarters:
            year, month = quarter_month(q)
            values, status = to_number(rows, q, ftth_path)
            parts.append(tidy(rows[CODE], var, year, month, values, status, COG))
    for col, var in DENOMINATOR.items():
        # "-" is the sheet's way of writing zero (documented format, not a defect)
        text = com[col].str.strip().replace("-", "0")
        values, status = to_number(com.assign(**{col: text}), col, com_path, thousands=" ")
        parts.append(tidy(com[CODE], var, 2018, 3, values, status, COG))
    only = set(ftth[CODE]) ^ set(com[CODE])
    for code in sorted(only):
        flags.add("code_in_one_sheet_only", "commune present in only one of the two ARCEP sheets", code=code)
    return ParseResult(finish(parts), flags.frame(), rows_read)


def read_sheet(path: Path, columns: list[str]) -> pd.DataFrame:
    """One ARCEP sheet, from the CSV export (4 title lines) or from the xlsx as ARCEP serves it."""
    with path.open("rb") as fh:
        xlsx = fh.read(2) == b"PK"
    if not xlsx:
        return read_csv(path, sep=",", columns=columns, skip_lines=TITLE_LINES)
    # opened from a handle: openpyxl judges a path by its extension, and the cache keeps a
    # download under the spec's ".csv" name
    with path.open("rb") as fh:
        try:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise RawDataError(path, f"not a readable xlsx workbook: {exc}") from exc
        try:
            for sheet in book.worksheets:
                head = list(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True))
                for number, row in enumerate(head, start=1):
                    names = [_text(v).strip() for v in row]
                    if set(columns) <= set(names):
                        return _sheet_frame(path, sheet, names, number)
        finally:
            book.close()
    raise RawDataError(path, f"no sheet of the workbook has the columns {columns}", field=columns[0])


def _sheet_frame(path: Path, sheet: Any, names: list[str], header: int) -> pd.DataFrame:
    """The rows under the header row as text, with their xlsx row numbers as line numbers."""
    rows, lines = [], []
    for number, row in enumerate(sheet.iter_rows(min_row=header + 1, values_only=True), start=header + 1):
        cells = [_text(v) for v in row]
        if any(c.strip() for c in cells):  # blank rows (spacing, the sheet's end) are not data
            rows.append((cells + [""] * len(names))[: len(names)])
            lines.append(number)
    if not rows:
        raise RawDataError(f"{path}!{sheet.title}", "no data rows after the header")
    keep = [i for i, n in enumerate(names) if n and names.index(n) == i]
    df = pd.DataFrame([[r[i] for i in keep] for r in rows], columns=[names[i] for i in keep])
    # a code typed as a number in the sheet has lost its leading zero
    short = df[CODE].str.fullmatch(r"\d{4}")
    df.loc[short, CODE] = df.loc[short, CODE].str.zfill(5)
    df[LINE] = lines
    return df


def _text(value: object) -> str:
    """A cell as the CSV export writes it: whole numbers as digits, empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def quarter_month(label: str) -> tuple[int, int]:
    """``"T1 2018"`` → ``(2018, 3)``: a quarter is stored at its last month."""
    m = QUARTER.match(label)
    if not m:
        raise ValueError(f"not a quarter label: {label!r}")
    return int(m.group(2)), 3 * int(m.group(1))
