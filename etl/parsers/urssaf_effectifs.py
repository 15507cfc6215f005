"""URSSAF: private-sector salaried jobs per commune, yearly from 2014 (variable ``eff_sal_priv``).

Two layouts of the same figures, told apart by content (Parquet magic bytes), never by name:

- the mirror's Parquet (PROVENANCE §10): the ptod-observatoire-territorial repository's sum of
  the URSSAF commune × APE file over all APE codes, one ``eff_total`` per (``code``, ``echelon``,
  ``year``), with that repository's own aggregates to departments, EPCI, region and France.
  ``indice_fr_2014`` (an undocumented index of the repository) is ignored. Geography COG 2023
  (91182, merged in 2019, absent; 95282, merged in 2024, and 93059 present);
- the producer's file: Urssaf's open data set
  ``etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last`` exported as CSV, one row
  per commune × APE code, wide by year, read by ``etl.parsers._urssaf_csv`` (in chunks, in scope,
  APE rows summed per commune and year, from 2014).

Emitted for communes: as published, Paris by arrondissement (751xx); a 75056 row is a residual
(a few jobs, some years): Paris's total is arrondissements + residual, so 75056 is emitted as
that total (status ``derived``, flag) — the core would otherwise keep the tiny residual.

Supra rows of the Parquet: ``dep`` → D75, D91…D95, ``epci`` 200054781 → MGP, ``reg`` 11 → R11,
``france`` → FR. Found in the data: the D93 and MGP rows are short of the sum of their communes
by exactly 93059 Pierrefitte-sur-Seine's jobs every year, and D95 by 95282's (0-2 jobs): the
repository aggregated on the 2025 map and dropped communes that no longer exist. Those rows are
emitted corrected (published + dropped communes, status ``derived``, flag). R11 and FR cannot be
checked (other departments absent) and are kept as published with a flag.
Supra rows of the producer's file (it has none): D75…D95 and MGP are the sums of their communes,
R11 and FR the sums over the whole file, emitted only when the file covers the eight departments
of Île-de-France / the 96 metropolitan departments (status ``derived``). The producer's commune
codes follow a recent map, inferred from the merged-away codes present (95282 → COG 2023, 93059
→ COG 2024, neither → COG 2025).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_DERIVED, STATUS_OK, ParseResult, RawDataError
from etl.parsers._common import SCOPE_DEPS, Flags, finish, in_scope, read_parquet, tidy
from etl.parsers._urssaf_csv import IDF_DEPS, METRO_DEPS, read_producer
from etl.readers import LINE, check, code_check
from etl.registry import SourceSpec

COG = 2023
VAR = "eff_sal_priv"
COLUMNS = {"code": "str", "echelon": "str", "year": "int", "eff_total": "int"}
MGP_SIREN = "200054781"
# IDF codes of this file's map that no longer exist in COG 2025 (merged 2024 and 2025)
GONE_BY_2025 = ("93059", "95282")
# MGP members outside 75/92/93/94 (COG 2024)
MGP_EXTRA = ("95018", "91027", "91326", "91432", "91479", "91589", "91687")

SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str),
        "echelon": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "eff_total": pa.Column(int, pa.Check.ge(0)),
    }
)
COMMUNE_SCHEMA = pa.DataFrameSchema({"code": pa.Column(str, code_check())})


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the URSSAF series (Parquet or the producer's CSV) into ``eff_sal_priv``."""
    path = files["main"]
    flags = Flags()
    with path.open("rb") as fh:
        parquet = fh.read(4) == b"PAR1"
    if parquet:
        df = check(read_parquet(path, COLUMNS), SCHEMA, path)
        rows_read = len(df)
        dup = df.duplicated(["code", "echelon", "year"])
        if dup.any():
            raise RawDataError(
                path, "duplicate (code, echelon, year)", int(df.loc[dup, LINE].iloc[0]), "code"
            )
        com, cog = df.loc[df["echelon"] == "communes"].reset_index(drop=True), COG
    else:
        com, totals, rows_read = read_producer(path)
        codes = set(com["code"])
        cog = 2023 if "95282" in codes else 2024 if "93059" in codes else 2025
    check(com, COMMUNE_SCHEMA, path)
    com = com.loc[in_scope(com["code"])]
    paris, com = _paris(com, flags)
    # the Parquet publishes its aggregates (checked, corrected); the producer's file has none
    supra = _supra(df, com, paris, flags, path) if parquet else _derived_supra(com, paris, totals, flags)
    parts = [
        tidy(com["code"], VAR, com["year"], 0, com["eff_total"].astype(float), STATUS_OK, cog),
        tidy(paris["code"], VAR, paris["year"], 0, paris["value"], STATUS_DERIVED, cog),
        tidy(supra["code"], VAR, supra["year"], 0, supra["value"], supra["status"], cog),
    ]
    return ParseResult(finish(parts), flags.frame(), {"main": rows_read})


def _derived_supra(
    com: pd.DataFrame, paris: pd.DataFrame, totals: dict[str, object], flags: Flags
) -> pd.DataFrame:
    """Departments, MGP, R11 and FR as sums, from a file that publishes communes only."""
    members = pd.concat([com[["code", "year", "eff_total"]], paris.rename(columns={"value": "eff_total"})])
    members = members.loc[~members["code"].str.startswith("751")]
    deps = set(members["code"].str[:2])
    groups = {"D" + d: members["code"].str[:2] == d for d in SCOPE_DEPS if d in deps}
    if {"75", "92", "93", "94"} <= deps:
        groups["MGP"] = _in_mgp(members["code"])
    frames = [
        members.loc[mask].groupby("year", as_index=False)["eff_total"].sum().assign(code=target)
        for target, mask in groups.items()
    ]
    seen = totals["deps"]
    complete = {"R11": set(IDF_DEPS) <= seen, "FR": len(seen & METRO_DEPS) == len(METRO_DEPS)}
    for target, ok in complete.items():
        if ok:
            by_year = totals[target]
            frames.append(
                pd.DataFrame({"year": by_year.index, "eff_total": by_year.to_numpy(), "code": target})
            )
        else:
            flags.add(
                "supra_not_derived",
                "the file does not cover the whole area: no total",
                code=target,
                variable=VAR,
            )
    out = pd.concat(frames, ignore_index=True).rename(columns={"eff_total": "value"})
    return out.assign(value=out["value"].astype(float), status=STATUS_DERIVED)[
        ["code", "year", "value", "status"]
    ]


def _paris(com: pd.DataFrame, flags: Flags) -> tuple[pd.DataFrame, pd.DataFrame]:
    """75056 = 20 arrondissements + the residual 75056 row; returns (paris, communes without 75056)."""
    arr = com.loc[com["code"].str.match(r"^751(0[1-9]|1\d|20)$")]
    resid = com.loc[com["code"] == "75056"].set_index("year")["eff_total"]
    by_year = arr.groupby("year")["eff_total"].agg(["sum", "count"])
    by_year = by_year.loc[by_year["count"] == 20]  # no Paris total from a partial set
    total = by_year["sum"].add(resid.reindex(by_year.index).fillna(0))
    for year, value in resid.items():
        flags.add(
            "paris_residual_added",
            f"published 75056 row ({value} jobs) is a residual: 75056 = 20 arrondissements + residual",
            code="75056",
            variable=VAR,
            year=int(year),
        )
    paris = pd.DataFrame({"code": "75056", "year": total.index, "value": total.to_numpy(dtype=float)})
    return paris, com.loc[com["code"] != "75056"]


def _supra(
    df: pd.DataFrame, com: pd.DataFrame, paris: pd.DataFrame, flags: Flags, path: Path
) -> pd.DataFrame:
    """Published supra rows, corrected where the repository dropped merged-away communes."""
    target = pd.Series(None, index=df.index, dtype=object)
    target[(df["echelon"] == "dep") & df["code"].isin(SCOPE_DEPS)] = "D" + df["code"]
    target[(df["echelon"] == "epci") & (df["code"] == MGP_SIREN)] = "MGP"
    target[(df["echelon"] == "reg") & (df["code"] == "11")] = "R11"
    target[df["echelon"] == "france"] = "FR"
    sup = df.assign(target=target).dropna(subset=["target"])
    if sup.duplicated(["target", "year"]).any():
        r = sup.loc[sup.duplicated(["target", "year"])].iloc[0]
        raise RawDataError(path, f"two {r['echelon']} rows for {r['year']}", int(r[LINE]), "code")
    # communes of each group, Paris as its total (arrondissements + residual)
    members = pd.concat([com[["code", "year", "eff_total"]], paris.rename(columns={"value": "eff_total"})])
    members = members.loc[~members["code"].str.startswith("751")]
    group = {"MGP": _in_mgp(members["code"])} | {"D" + d: members["code"].str[:2] == d for d in SCOPE_DEPS}
    rows = []
    for r in sup.itertuples():
        value, status = float(r.eff_total), STATUS_OK
        if r.target in group:
            m = members.loc[group[r.target] & (members["year"] == r.year)]
            gap = m["eff_total"].sum() - r.eff_total
            gone = m.loc[m["code"].isin(GONE_BY_2025), "eff_total"].sum()
            if gap and gap == gone:
                value, status = value + gap, STATUS_DERIVED
                flags.add(
                    "supra_missing_merged_commune",
                    f"published total {r.eff_total} excludes {int(gone)} jobs of {'/'.join(GONE_BY_2025)} (dropped by the "
                    "repository's 2025-map aggregation): emitted published + those jobs = sum of communes",
                    code=r.target,
                    variable=VAR,
                    year=int(r.year),
                )
            elif gap:
                flags.add(
                    "supra_gap", f"sum of communes differs by {int(gap)} jobs", r.target, VAR, int(r.year)
                )
        elif r.year == sup["year"].min():
            flags.add(
                "supra_possible_undercount",
                "repository aggregate on the 2025 map: probably excludes communes merged away before 2025 "
                "(93059, 95282 in IDF; < 0.1 %); not checkable here",
                code=r.target,
                variable=VAR,
            )
        rows.append((r.target, int(r.year), value, status))
    return pd.DataFrame(rows, columns=["code", "year", "value", "status"])


def _in_mgp(codes: pd.Series) -> pd.Series:
    """MGP members on the COG 2024 map (131 communes, Paris as 75056)."""
    return (codes == "75056") | codes.str[:2].isin(["92", "93", "94"]) | codes.isin(MGP_EXTRA)
