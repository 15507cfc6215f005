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
"""

from __future__ import annotations

import re
from pathlib import Path

import pandera.pandas as pa

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
    ftth = read_csv(ftth_path, sep=",", columns=[CODE, "Champ", *QUARTERS], skip_lines=TITLE_LINES)
    com = read_csv(com_path, sep=",", columns=[CODE, *DENOMINATOR], skip_lines=TITLE_LINES)
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


def quarter_month(label: str) -> tuple[int, int]:
    """``"T1 2018"`` → ``(2018, 3)``: a quarter is stored at its last month."""
    m = QUARTER.match(label)
    if not m:
        raise ValueError(f"not a quarter label: {label!r}")
    return int(m.group(2)), 3 * int(m.group(1))
