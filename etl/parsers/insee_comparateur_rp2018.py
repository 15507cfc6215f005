"""INSEE "comparateur de territoires", RP2018 edition: the original national zip.

Member ``base_cc_comparateur.CSV`` (35 010 rows = 34 965 communes of COG 2021 + the 45
arrondissements of Paris, Lyon and Marseille; CRLF, ``;``, decimal point). Every column is on
the geography of 1 January 2021 (``cog`` 2021): the comparateur publishes all its sources on one
geography, and MED19 equals Q219 of the Filosofi 2019 commune file for all 131 MGP communes.

Empty cells have two meanings, told apart here:
- census, civil-registration and Sirene columns: *not available* (the 17 communes of Mayotte,
  no traditional census; communes created after the reference year, e.g. 14666 for P13_EMPLT) →
  status ``missing``;
- Filosofi columns (NBMENFISC19, PIMP19, MED19, TP6019): INSEE's dissemination thresholds →
  status ``secret``, except in departments where no commune has any Filosofi value
  (971 Guadeloupe, 973 Guyane, 976 Mayotte: not covered by Filosofi 2019) → ``missing``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.contract import STATUS_MISSING, STATUS_SECRET, ParseResult
from etl.parsers._insee import (
    annual_averages,
    concat_obs,
    department,
    flags_frame,
    label_of,
    melt,
    read_table,
    validate,
)
from etl.registry import SourceSpec

MEMBER = "base_cc_comparateur.CSV"
COG = 2021
CODE = "CODGEO"

#: Census (P18/P13), births/deaths, area and Sirene columns: raw column -> (variable, year).
CENSUS = {
    "P18_POP": ("pop", 2018),
    "P13_POP": ("pop", 2013),
    # area: no vintage in the name; dated with the edition's census year
    "SUPERF": ("superf", 2018),
    # births/deaths "entre le 01/01/2013 et le 01/01/2018" (dictionary in the zip): five years
    # (2013-2017), dated with the edition's census year
    "NAIS1318": ("nais_5y", 2018),
    "DECE1318": ("dece_5y", 2018),
    "P18_MEN": ("men", 2018),
    "NAISD20": ("naisd", 2020),
    "DECESD20": ("decesd", 2020),
    "P18_LOG": ("log", 2018),
    "P18_RP": ("rp", 2018),
    "P18_RSECOCC": ("rsecocc", 2018),
    "P18_LOGVAC": ("logvac", 2018),
    "P18_RP_PROP": ("rp_prop", 2018),
    "P18_EMPLT": ("emplt", 2018),
    "P18_EMPLT_SAL": ("emplt_sal", 2018),
    "P13_EMPLT": ("emplt", 2013),
    "P18_POP1564": ("pop1564", 2018),
    "P18_CHOM1564": ("chom1564", 2018),
    "P18_ACT1564": ("act1564", 2018),
    "ETTOT18": ("ettot", 2018),
    "ETAZ18": ("etaz", 2018),
    "ETBE18": ("etbe", 2018),
    "ETFZ18": ("etfz", 2018),
    "ETGU18": ("etgu", 2018),
    "ETGZ18": ("etgz", 2018),
    "ETOQ18": ("etoq", 2018),
    "ETTEF118": ("ettef1", 2018),
    "ETTEFP1018": ("ettefp10", 2018),
}
#: Length of the NAIS1318/DECE1318 period in years (2013 to 2017 inclusive).
BIRTH_DEATH_YEARS = 5
#: Filosofi 2019 columns.
FILOSOFI = {
    "NBMENFISC19": ("nbmenfisc", 2019),
    "PIMP19": ("pimp", 2019),
    "MED19": ("med_uc", 2019),
    "TP6019": ("tp60", 2019),
}


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the national RP2018 comparateur (file key ``main``: the zip)."""
    path = files["main"]
    label = label_of(path, MEMBER)
    df, flags = read_table(path, columns=[CODE, *CENSUS, *FILOSOFI], member=MEMBER)
    df = validate(df, CODE, dict.fromkeys([*CENSUS, *FILOSOFI], "."), label)

    census = melt(df, CODE, {c: (v, y, COG) for c, (v, y) in CENSUS.items()}, label, empty=STATUS_MISSING)
    filo = melt(df, CODE, {c: (v, y, COG) for c, (v, y) in FILOSOFI.items()}, label, empty=STATUS_SECRET)
    filo = _uncovered_as_missing(filo, df)
    averages = annual_averages(census, BIRTH_DEATH_YEARS)
    return ParseResult(
        observations=concat_obs([census, averages, filo]),
        flags=flags_frame(flags),
        rows_read={"main": len(df)},
    )


def _uncovered_as_missing(filo: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """Departments with no Filosofi value at all were not covered: their empties are not secrets."""
    has_value = df[CODE].where(df["NBMENFISC19"] != "").dropna()
    covered = set(department(has_value))
    uncovered = ~department(filo["code"]).isin(covered) & (filo["status"] == STATUS_SECRET)
    filo.loc[uncovered, "status"] = STATUS_MISSING
    return filo
