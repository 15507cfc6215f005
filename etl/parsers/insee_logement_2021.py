"""INSEE base communale "Logement en 2021" (RP2021, COG 2024): column subset, Île-de-France rows.

``;``-separated, CRLF, decimal point; 75056 **and** its arrondissements 75101-75120 are both
present (emitted as published: the core never adds one to the other); 93059 and 93066 separate
(``cog`` 2024, the map of the file: Gouzangrez 95282, merged into Commeny on 1 January 2024, is
absent).

Known defects of this copy (PROVENANCE section 4), handled here:
- the P10_* columns kept by the repository author are empty for every row: they are validated
  (numeric or empty) but never emitted (flag ``empty_column``; a filled one would be flagged
  ``column_not_emitted``, no variable is declared for them);
- CODGEO lost its leading zero for departments 01-09 (read as numbers upstream): 4-digit codes are
  left-padded to 5 characters, each with a ``lost_leading_zero`` flag.
"""

from __future__ import annotations

from pathlib import Path

from etl.contract import ParseResult
from etl.parsers._insee import concat_obs, flag, flags_frame, label_of, melt, read_table, validate
from etl.registry import SourceSpec

COG = 2024
CODE = "CODGEO"

COLUMNS = {
    "P21_LOG": ("log", 2021),
    "P21_RP": ("rp", 2021),
    "P21_RSECOCC": ("rsecocc", 2021),
    "P21_LOGVAC": ("logvac", 2021),
    "P21_MAISON": ("maison", 2021),
    "P21_APPART": ("appart", 2021),
    "P21_RP_1P": ("rp_1p", 2021),
}
#: Columns present in this copy but never emitted (empty for every row here).
NOT_EMITTED = ("P10_RP_HABFOR", "P10_RP_CASE", "P10_RP_MIBOIS", "P10_RP_MIDUR")


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the logement 2021 extract (file key ``main``)."""
    path = files["main"]
    label = label_of(path)
    df, flags = read_table(path, columns=[CODE, *COLUMNS])
    extra = [c for c in NOT_EMITTED if c in df.columns]

    # a code that lost its leading zero ("1001" for 01001) is restored before the format check
    df[CODE] = df[CODE].fillna("").astype(str).str.strip()
    short = df[CODE].str.fullmatch(r"\d{4}")
    for code in df.loc[short, CODE]:
        flags.append(
            flag(
                code.zfill(5),
                None,
                None,
                "lost_leading_zero",
                f"CODGEO {code!r} padded to {code.zfill(5)!r} (leading zero lost upstream)",
            )
        )
    df.loc[short, CODE] = df.loc[short, CODE].str.zfill(5)

    df = validate(df, CODE, dict.fromkeys([*COLUMNS, *extra], "."), label)
    for col in extra:
        filled = int((df[col] != "").sum())
        if filled == 0:
            flags.append(flag(None, None, None, "empty_column", f"{col} is empty for every row: not emitted"))
        else:
            flags.append(
                flag(
                    None,
                    None,
                    None,
                    "column_not_emitted",
                    f"{col} has {filled} value(s): no variable declared",
                )
            )
    obs = melt(df, CODE, {c: (v, y, COG) for c, (v, y) in COLUMNS.items()}, label)
    return ParseResult(observations=concat_obs([obs]), flags=flags_frame(flags), rows_read={"main": len(df)})
