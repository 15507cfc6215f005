"""URSSAF: private-sector salaried jobs per commune, yearly 2014 → 2024 (repo-derived totals).

The Parquet file (PROVENANCE §10) is the ptod-observatoire-territorial repository's sum of the
URSSAF commune × APE file over all APE codes, one ``eff_total`` per (``code``, ``echelon``,
``year``), with that repository's own aggregates to departments, EPCI, region and France.
``indice_fr_2014`` (an undocumented index of the repository) is ignored.

Emitted (variable ``eff_sal_priv``):
- communes as published, Paris by arrondissement (751xx); the file also has a residual 75056
  row (a few jobs, some years): Paris's total is arrondissements + residual, so 75056 is emitted
  as that total (status ``derived``, flag) — the core would otherwise keep the tiny residual;
- supra rows: ``dep`` → D75, D91…D95, ``epci`` 200054781 → MGP, ``reg`` 11 → R11, ``france`` → FR.
  Found in the data: the D93 and MGP rows are short of the sum of their communes by exactly
  93059 Pierrefitte-sur-Seine's jobs every year, and D95 by 95282's (0-2 jobs): the repository
  aggregated on the 2025 map and dropped communes that no longer exist. Those rows are emitted
  corrected (published + dropped communes, status ``derived``, flag). R11 and FR cannot be
  checked (other departments absent) and are kept as published with a flag.
Geography of the commune rows: COG 2023 (91182, merged in 2019, absent; 95282, merged in 2024,
and 93059 present) — identical to COG 2019-2023 in the six departments.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_DERIVED, STATUS_OK, ParseResult, RawDataError
from etl.parsers._common import SCOPE_DEPS, Flags, finish, in_scope, read_parquet, tidy
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
    """Parse the URSSAF series into ``eff_sal_priv`` for communes and published supra rows."""
    path = files["main"]
    df = check(read_parquet(path, COLUMNS), SCHEMA, path)
    rows_read = {"main": len(df)}
    flags = Flags()
    com = df.loc[df["echelon"] == "communes"].reset_index(drop=True)
    check(com, COMMUNE_SCHEMA, path)
    dup = df.duplicated(["code", "echelon", "year"])
    if dup.any():
        raise RawDataError(path, "duplicate (code, echelon, year)", int(df.loc[dup, LINE].iloc[0]), "code")

    com = com.loc[in_scope(com["code"])]
    paris, com = _paris(com, flags)
    supra = _supra(df, com, paris, flags, path)
    parts = [
        tidy(com["code"], VAR, com["year"], 0, com["eff_total"].astype(float), STATUS_OK, COG),
        tidy(paris["code"], VAR, paris["year"], 0, paris["value"], STATUS_DERIVED, COG),
        tidy(supra["code"], VAR, supra["year"], 0, supra["value"], supra["status"], COG),
    ]
    return ParseResult(finish(parts), flags.frame(), rows_read)


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
