"""DVF: property sales per commune and year 2014 → 2024 (data.gouv.fr "indicateurs immobiliers").

Eleven files, one per year (PROVENANCE §12), file keys ``y2014`` … ``y2024``, two layouts:
- 2014-2023: ``"", INSEE_COM, Annee, Nb_mutations, NbMaisons, NbApparts, propmaison, propappart,
  PrixMoyen, Prixm2Moyen, SurfaceMoy`` (unnamed row-number column, quoted strings, full precision;
  the 2014 file has CRLF line ends, handled by ``etl.readers``);
- 2024: ``INSEE_COM, annee, nb_mutations, NbMaisons, NbApparts, PropMaison, PropAppart, PrixMoyen,
  Prixm2Moyen, SurfaceMoy`` (values rounded to units).

Weights (established on all 11 files, every row, and checked here): ``Nb_mutations = NbMaisons +
NbApparts``, i.e. the sales counted are exactly the house and flat sales the means are computed
over. ``Prixm2Moyen`` is the mean of per-sale prices per m² (it is not PrixMoyen / SurfaceMoy), so
the exact aggregate over a territory is the sales-weighted mean: sum(dvf_prixm2_pond) /
sum(dvf_mutations), with ``dvf_prixm2_pond = Prixm2Moyen × Nb_mutations``; likewise
``dvf_prix_total`` (price) and ``dvf_surface_total`` (floor area). In 2024 these numerators carry
the rounding of the published means.

Files: the producer's national files (data.gouv.fr, one a year, comma CSV in the two layouts
above) or the mirror's row extracts of copies of them (departments 75, 91-95: whole lines, same
header); the layout is told by the header, the scope is applied when reading, before validation.

Defects handled: the 2024 PropMaison/PropAppart are swapped (detected, flagged; the Prop columns
are never used: shares come from the counts); volumes of 2014, 2017 and 2018 are partial in the
source (status ``suspect`` on dvf_mutations/maisons/apparts those years); a row with an empty
INSEE_COM (national files) is dropped with a flag.
Geography: the 2014-2023 files hold 95282 (merged 2024) and no code merged before 2019 → COG 2023;
the 2024 file holds 93059 (merged 2025) → COG 2024.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_DERIVED, STATUS_OK, STATUS_SUSPECT, ParseResult, RawDataError
from etl.parsers._common import INTEGER, NUMBER, Flags, finish, in_scope, tidy
from etl.readers import LINE, check, code_check, read_csv, to_number
from etl.registry import SourceSpec

YEARS = range(2014, 2025)
SUSPECT_YEARS = {2014, 2017, 2018}  # partial DVF coverage of those years in this dataset
# 2024 layout → 2014-2023 names
RENAME = {
    "annee": "Annee",
    "nb_mutations": "Nb_mutations",
    "PropMaison": "propmaison",
    "PropAppart": "propappart",
}
COUNTS = {"Nb_mutations": "dvf_mutations", "NbMaisons": "dvf_maisons", "NbApparts": "dvf_apparts"}
MEANS = {"PrixMoyen": "dvf_prix_moyen", "Prixm2Moyen": "dvf_prixm2_moyen", "SurfaceMoy": "dvf_surface_moy"}
NUMERATORS = {
    "PrixMoyen": "dvf_prix_total",
    "Prixm2Moyen": "dvf_prixm2_pond",
    "SurfaceMoy": "dvf_surface_total",
}

SCHEMA = pa.DataFrameSchema(
    {
        "INSEE_COM": pa.Column(str, code_check()),
        "Annee": pa.Column(str, pa.Check.str_matches(r"^\d{4}$", error="not a year")),
        **{c: pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")) for c in COUNTS},
        **{c: pa.Column(str, pa.Check.str_matches(NUMBER, error="not a number")) for c in MEANS},
    }
)


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the yearly DVF files into ``dvf_*`` observations (departments 75, 91-95)."""
    flags, parts, rows_read = Flags(), [], {}
    for year in YEARS:
        key = f"y{year}"
        if key not in files:
            raise RawDataError(key, f"file {key} not given to the DVF parser")
        df, n = _read(files[key], year, flags)
        rows_read[key] = n
        parts.extend(_observations(df, year, files[key]))
    for year in sorted(SUSPECT_YEARS):
        for var in COUNTS.values():
            flags.add(
                "partial_volumes",
                f"{year}: DVF coverage of this dataset is partial (national sales far below adjacent years): "
                "volumes are not a market trend; means are kept",
                variable=var,
                year=year,
            )
    return ParseResult(finish(parts), flags.frame(), rows_read)


def _read(path: Path, year: int, flags: Flags) -> tuple[pd.DataFrame, int]:
    """One yearly file, either layout, validated; returns (rows in scope, rows read)."""
    df = read_csv(path, sep=",", columns=["INSEE_COM"])
    # validate under the file's own column names so that an error names the raw field
    raw_names = {canon: raw for raw, canon in RENAME.items() if raw in df.columns and canon in SCHEMA.columns}
    schema = SCHEMA.rename_columns(raw_names)
    missing = [c for c in schema.columns if c not in df.columns]
    if missing:
        raise RawDataError(path, f"missing column(s) {missing}", line=1, field=missing[0])
    n = len(df)
    empty = df["INSEE_COM"].str.strip() == ""
    for line in df.loc[empty, LINE]:
        flags.add("empty_code", f"{path.name}, line {line}: row without INSEE_COM dropped", year=year)
    # The scope is applied before validation: the producer's national file is read whole, and a
    # defect in a row of another department (an "NA" cell, say) must not stop the observatory's
    # run; every row in scope is validated as strictly as the mirror's extract.
    df = df.loc[~empty & in_scope(df["INSEE_COM"].str.strip())].reset_index(drop=True)
    df = check(df, schema, path).rename(columns=RENAME)
    wrong = df["Annee"] != str(year)
    if wrong.any():
        raise RawDataError(
            path,
            f"year {df.loc[wrong, 'Annee'].iloc[0]} in the {year} file",
            int(df.loc[wrong, LINE].iloc[0]),
            "Annee",
        )
    if {"propmaison", "propappart"} <= set(df.columns):
        _check_shares(df, path, year, flags)
    return df, n


def _observations(df: pd.DataFrame, year: int, path: Path) -> list[pd.DataFrame]:
    cog = 2024 if year >= 2024 else 2023
    num = {c: to_number(df, c, path)[0] for c in [*COUNTS, *MEANS]}
    total = num["Nb_mutations"]
    split = num["NbMaisons"] + num["NbApparts"]
    if (total != split).any():  # the weights below rely on it
        i = (total != split).idxmax()
        raise RawDataError(path, "Nb_mutations ≠ NbMaisons + NbApparts", int(df.loc[i, LINE]), "Nb_mutations")
    code = df["INSEE_COM"]
    out = []
    for col, var in COUNTS.items():
        status = STATUS_SUSPECT if year in SUSPECT_YEARS else STATUS_OK
        out.append(tidy(code, var, year, 0, num[col], status, cog))
    for col, var in MEANS.items():
        out.append(tidy(code, var, year, 0, num[col], STATUS_OK, cog))
        out.append(tidy(code, NUMERATORS[col], year, 0, num[col] * total, STATUS_DERIVED, cog))
    return out


def _check_shares(df: pd.DataFrame, path: Path, year: int, flags: Flags) -> None:
    """Detect swapped PropMaison/PropAppart (the columns are not used either way)."""
    n = df["Nb_mutations"].astype(float)
    maisons = 100 * df["NbMaisons"].astype(float) / n
    prop = pd.to_numeric(df["propmaison"], errors="coerce")
    straight = ((prop - maisons).abs() <= 1).mean()
    swapped = ((prop - (100 - maisons)).abs() <= 1).mean()
    if swapped > straight:
        flags.add(
            "swapped_columns",
            f"{path.name}: PropMaison and PropAppart are swapped ({swapped:.0%} of rows); shares are "
            "computed from NbMaisons/NbApparts, the Prop columns are not used",
            variable="dvf_maisons",
            year=year,
        )
