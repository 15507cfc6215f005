"""INSEE "comparateur de territoires", 2025 edition (RP2022): the MGP row extract, the Essonne and
Val-d'Oise extract (source ``insee_comparateur_rp2022_dep91_95``), or the national file.

``;``-separated, LF, decimal point except in PIMP21 and TP6021 (decimal comma), ``s`` = secret,
empty = not available. Two geographies in one file:
- census (P22/P16), births/deaths and Sirene columns are on COG 2025 (75056 only, no
  arrondissements; 93066 is the new Saint-Denis that absorbed 93059 on 1 January 2025);
- the Filosofi 2021 columns (NBMENFISC21, PIMP21, MED21, TP6021) are on an older map: the file
  has a 93059 row carrying only Filosofi values, and 93066's NBMENFISC21 (41 208) is the old
  Saint-Denis alone (its 2019 value was 40 857; with Pierrefitte it would exceed 51 000). INSEE
  publishes Filosofi 2021 on the 2024 map; within the MGP the 2023 and 2024 maps are identical,
  so ``cog`` 2024 is safe: the core then folds 93059 into 93066 (additive) or withholds the
  pre-merger value (medians, rates).

A row whose census columns are all empty but which has Filosofi values (93059) is a commune
that no longer exists on the census map: its empty census cells are not emitted (flag
``filosofi_only_row``).
"""

from __future__ import annotations

from pathlib import Path

from etl.contract import STATUS_MISSING, ParseResult
from etl.parsers._insee import (
    annual_averages,
    concat_obs,
    flag,
    flags_frame,
    label_of,
    melt,
    read_table,
    validate,
)
from etl.registry import SourceSpec

COG_RP = 2025
COG_FILOSOFI = 2024
CODE = "CODGEO"

CENSUS = {
    "P22_POP": ("pop", 2022),
    "P16_POP": ("pop", 2016),
    "SUPERF": ("superf", 2022),
    # births/deaths from 01/01/2016 to 31/12/2021 (six years, see BIRTH_DEATH_YEARS), dated 2021
    "NAIS1621": ("nais_5y", 2021),
    "DECE1621": ("dece_5y", 2021),
    "P22_MEN": ("men", 2022),
    "NAISD24": ("naisd", 2024),
    "DECESD24": ("decesd", 2024),
    "P22_LOG": ("log", 2022),
    "P22_RP": ("rp", 2022),
    "P22_RSECOCC": ("rsecocc", 2022),
    "P22_LOGVAC": ("logvac", 2022),
    "P22_RP_PROP": ("rp_prop", 2022),
    "P22_EMPLT": ("emplt", 2022),
    "P22_EMPLT_SAL": ("emplt_sal", 2022),
    "P16_EMPLT": ("emplt", 2016),
    "P22_POP1564": ("pop1564", 2022),
    "P22_CHOM1564": ("chom1564", 2022),
    "P22_ACT1564": ("act1564", 2022),
    # Sirene establishments at the end of 2024 (this edition has no ETGZ column)
    "ETTOT24": ("ettot", 2024),
    "ETAZ24": ("etaz", 2024),
    "ETBE24": ("etbe", 2024),
    "ETFZ24": ("etfz", 2024),
    "ETGU24": ("etgu", 2024),
    "ETOQ24": ("etoq", 2024),
    "ETTEF124": ("ettef1", 2024),
    "ETTEFP1024": ("ettefp10", 2024),
}
FILOSOFI = {
    "NBMENFISC21": ("nbmenfisc", 2021),
    "PIMP21": ("pimp", 2021),
    "MED21": ("med_uc", 2021),
    "TP6021": ("tp60", 2021),
}
#: Length of the NAIS1621/DECE1621 period in years: 2016 to 2021 inclusive (INSEE's dictionary of
#: the previous edition gives NAIS1520 as 01/01/2015-31/12/2020; tests/etl check it).
BIRTH_DEATH_YEARS = 6
#: Columns written with a decimal comma in this edition.
COMMA = ("PIMP21", "TP6021")


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the RP2022 comparateur (file key ``main``)."""
    path = files["main"]
    label = label_of(path)
    decimals = {c: ("," if c in COMMA else ".") for c in [*CENSUS, *FILOSOFI]}
    df, flags = read_table(path, columns=[CODE, *CENSUS, *FILOSOFI])
    df = validate(df, CODE, decimals, label)

    census_empty = (df[list(CENSUS)] == "").all(axis=1)
    filo_any = (df[list(FILOSOFI)] != "").any(axis=1)
    only_filo = census_empty & filo_any
    for code in df.loc[only_filo, CODE]:
        flags.append(
            flag(
                code,
                None,
                None,
                "filosofi_only_row",
                f"{code}: no census values (commune absent from the COG {COG_RP} census map, "
                f"merged since); only its Filosofi values (COG {COG_FILOSOFI}) are emitted",
            )
        )
    rp_rows = df.loc[~only_filo]
    census = melt(rp_rows, CODE, {c: (v, y, COG_RP) for c, (v, y) in CENSUS.items()}, label, decimal=decimals)
    filo = melt(
        df,
        CODE,
        {c: (v, y, COG_FILOSOFI) for c, (v, y) in FILOSOFI.items()},
        label,
        decimal=decimals,
        empty=STATUS_MISSING,
    )
    averages = annual_averages(census, BIRTH_DEATH_YEARS)
    return ParseResult(
        observations=concat_obs([census, averages, filo]),
        flags=flags_frame(flags),
        rows_read={"main": len(df)},
    )
