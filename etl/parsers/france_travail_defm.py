"""France Travail: job seekers (categories A, B, C) per commune, monthly 2020-01 → 2024-12.

The file (PROVENANCE §8) is the 13_odis repository's long reshaping of the France Travail
extraction: ``codgeo, YEAR, Demandeurs_Emploi`` with YEAR like ``janvier_2020``. Besides
communes (> 5 000 inhabitants only: smaller ones are simply absent) it carries department rows
(``94``, ``2A``, ``971``) and region rows (``reg11``), emitted as D75, D91…D95 and R11.

Defects handled here (found in the data):
- exact duplicate rows (2 647 nationally; 60 in scope, all 92060): dropped and flagged;
- two different values for the same (code, month): in scope only 93066, every month. The
  department-93 row equals the sum of the other 38 communes of 93 *plus both* 93066 values (to the
  rounding to tens), never plus the larger one alone: the larger value is the former Saint-Denis
  and the smaller one is Pierrefitte-sur-Seine (93059) filed under the code of the commune it
  joined on 1 January 2025. That row is restored to 93059 (flag ``miscoded_commune``) so that the
  core folds it into 93066 like any COG 2024 file. Should a future file make the larger value
  equal the merged commune, the smaller one is dropped instead (flag ``conflicting_duplicate``).
  Any other conflict in scope is a ``RawDataError``.
Geography: the source predates the 2024 mergers (69149 and 49069 show the same pattern
nationally); in the six departments COG 2019 to 2024 are identical for communes above 5 000
inhabitants, so cog = 2024.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.contract import STATUS_DERIVED, ParseResult, RawDataError
from etl.parsers._common import INTEGER, SCOPE_DEPS, Flags, finish, in_scope, tidy
from etl.readers import LINE, check, read_csv, to_number
from etl.registry import SourceSpec

COG = 2024
MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre"]
MONTHS += ["novembre", "decembre"]
PERIOD = rf"^({'|'.join(MONTHS)})_(\d{{4}})$"
MERGED, ABSORBED = "93066", "93059"  # Saint-Denis and Pierrefitte-sur-Seine (merged 2025-01-01)
TOLERANCE = 5 * 45  # values are rounded to tens: at most 5 per commune of department 93

SCHEMA = pa.DataFrameSchema(
    {
        # commune, department (2 characters, 97x) or region (regNN) codes
        "codgeo": pa.Column(str, pa.Check.str_matches(r"^(\d{5}|2[AB]\d{3}|\d{2}|2[AB]|97\d|reg\d{2})$")),
        "YEAR": pa.Column(str, pa.Check.str_matches(PERIOD, error="not a month_year period")),
        "Demandeurs_Emploi": pa.Column(str, pa.Check.str_matches(INTEGER, error="not a count")),
    }
)


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the DEFM file into ``defm_abc`` (monthly) and its annual December value and mean."""
    path = files["main"]
    df = check(read_csv(path, sep=",", columns=list(SCHEMA.columns)), SCHEMA, path)
    rows_read = {"main": len(df)}
    flags = Flags()

    df["code"] = _scope_code(df["codgeo"])
    dup = df.duplicated(list(SCHEMA.columns))
    for code, n in df.loc[dup, "code"].dropna().value_counts().sort_index().items():
        flags.add(
            "duplicate_rows", f"{n} exact duplicate row(s) dropped (same code, month and value)", code=code
        )
    df = df.loc[~dup].dropna(subset=["code"]).reset_index(drop=True)

    period = df["YEAR"].str.extract(PERIOD)
    df["year"] = period[1].astype(int)
    df["month"] = period[0].map({m: i for i, m in enumerate(MONTHS, start=1)}).astype(int)
    df["value"], df["status"] = to_number(df, "Demandeurs_Emploi", path)
    df["cog"] = COG
    df = _resolve_conflicts(df, path, flags)

    clash = df.duplicated(["code", "year", "month"])
    if clash.any():
        r = df.loc[clash].iloc[0]
        raise RawDataError(
            path, f"second, different value for {r['code']} in {r['YEAR']}", int(r[LINE]), "codgeo"
        )

    parts = [tidy(df["code"], "defm_abc", df["year"], df["month"], df["value"], df["status"], df["cog"])]
    dec = df.loc[df["month"] == 12]
    parts.append(tidy(dec["code"], "defm_abc_dec", dec["year"], 0, dec["value"], dec["status"], dec["cog"]))
    # the annual mean only over a complete year of published months
    annual = (
        df.assign(ok=df["status"] == "ok")
        .groupby(["code", "year"], as_index=False)
        .agg(n=("month", "nunique"), all_ok=("ok", "all"), mean=("value", "mean"), cog=("cog", "max"))
    )
    full = annual["all_ok"] & (annual["n"] == 12)
    yr = annual.loc[full]
    parts.append(tidy(yr["code"], "defm_abc_moy", yr["year"], 0, yr["mean"], STATUS_DERIVED, yr["cog"]))
    for r in annual.loc[~full].itertuples():
        flags.add("incomplete_year", "fewer than 12 months: no annual mean", r.code, "defm_abc_moy", r.year)
    return ParseResult(finish(parts), flags.frame(), rows_read)


def _scope_code(codgeo: pd.Series) -> pd.Series:
    """Code of the row in the app's scope (commune as published, D75…, R11) or NaN outside it."""
    out = pd.Series(np.nan, index=codgeo.index, dtype=object)
    out[in_scope(codgeo)] = codgeo
    out[codgeo.isin(SCOPE_DEPS)] = "D" + codgeo
    out[codgeo == "reg11"] = "R11"
    return out


def _resolve_conflicts(df: pd.DataFrame, path: Path, flags: Flags) -> pd.DataFrame:
    """Two values for 93066 in a month: decide with the department-93 total (see module doc)."""
    key = ["code", "year", "month"]
    pairs = df.loc[(df["code"] == MERGED) & df.duplicated(key, keep=False)]
    if pairs.empty:
        return df
    if (pairs.groupby(["year", "month"]).size() != 2).any():
        raise RawDataError(path, f"more than two values for {MERGED} in a month", field="codgeo")
    c93 = df.loc[df["code"].str.match(r"^93\d{3}$") & (df["code"] != MERGED)]
    others = c93.groupby(["year", "month"])["value"].sum()
    dep = df.loc[df["code"] == "D93"].set_index(["year", "month"])["value"]
    small = pairs.loc[pairs.groupby(["year", "month"])["value"].idxmin()]
    big = pairs.loc[pairs.groupby(["year", "month"])["value"].idxmax()]
    small_v = small.set_index(["year", "month"])["value"]
    big_v = big.set_index(["year", "month"])["value"]
    both = (dep - (others + small_v + big_v)).abs()
    larger_only = (dep - (others + big_v)).abs()
    if dep.reindex(small_v.index).isna().any():
        raise RawDataError(
            path, f"conflicting values for {MERGED} and no department-93 total to decide", field="codgeo"
        )
    if bool(((both <= TOLERANCE) & (both < larger_only)).reindex(small_v.index).all()):
        df.loc[small.index, "code"] = ABSORBED
        flags.add(
            "miscoded_commune",
            f"the smaller of the two {MERGED} values is {ABSORBED} Pierrefitte-sur-Seine (department 93 = other "
            f"communes + both values, max gap {both.max():g}): restored to {ABSORBED}",
            code=ABSORBED,
            variable="defm_abc",
        )
        return df
    df.loc[big.index, "cog"] = 2025  # the larger value is the merged commune, on the 2025 map
    flags.add(
        "conflicting_duplicate",
        f"two values for {MERGED}: kept the larger (merged commune), dropped the smaller",
        code=MERGED,
        variable="defm_abc",
    )
    return df.drop(index=small.index)
