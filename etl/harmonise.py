"""Clean step: put every source's observations on the current map (COG 2025) and one key.

- Communes merged since a file's geography (``merges``: old code -> chef-lieu, e.g. 93059 ->
  93066) are summed into the chef-lieu for additive variables; for the other variables (rates,
  medians) the old parts are dropped and the chef-lieu's old value is marked missing, because it
  describes only part of today's commune.
- Paris: 75056 is never the sum of arrondissements *and* itself. When a file has arrondissements
  (751xx) but no 75056 row, 75056 is derived as their sum for additive variables.
- The same (code, variable, year, month) from several sources: the higher ``priority`` wins and
  any disagreement beyond rounding is recorded as a quality flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from etl.contract import (
    FLAG_COLUMNS,
    OBS_COLUMNS,
    STATUS_DERIVED,
    STATUS_MISSING,
    STATUS_OK,
    STATUSES,
    SUPRA_CODES,
)

CURRENT_COG = 2025
KEY = ["code", "variable", "year", "month"]
PARIS = "75056"
PARIS_ARRONDISSEMENTS = frozenset(f"751{i:02d}" for i in range(1, 21))
CITY_ARRONDISSEMENTS = {
    PARIS: PARIS_ARRONDISSEMENTS,
    "69123": frozenset(f"6938{i}" for i in range(1, 10)),  # Lyon
    "13055": frozenset(f"132{i:02d}" for i in range(1, 17)),  # Marseille
}
# Severity used when parts of a sum do not all have a value: the sum takes the worst status.
_SEVERITY = {"ok": 0, "derived": 1, "suspect": 2, "missing": 3, "secret": 4}


def _flags(rows: pd.DataFrame, kind: str, message: str) -> pd.DataFrame:
    out = rows[["code", "variable", "year"]].copy()
    out["kind"] = kind
    out["message"] = message
    return out[FLAG_COLUMNS]


def _sum_parts(df: pd.DataFrame) -> pd.DataFrame:
    """Sum rows sharing (code, variable, year, month); the status is the worst of the parts."""
    df = df.assign(_sev=df["status"].map(_SEVERITY))
    grouped = df.groupby(KEY, sort=False, as_index=False).agg(
        value=("value", lambda s: s.sum(min_count=len(s))), _sev=("_sev", "max"), cog=("cog", "min")
    )
    inverse = {v: k for k, v in _SEVERITY.items()}
    grouped["status"] = grouped["_sev"].map(inverse)
    grouped.loc[grouped["status"].isin([STATUS_MISSING, "secret"]), "value"] = np.nan
    grouped.loc[grouped["status"] == STATUS_OK, "status"] = STATUS_DERIVED
    return grouped[OBS_COLUMNS]


def fold_merged_communes(
    obs: pd.DataFrame, merges: Mapping[str, str], additive: Mapping[str, bool]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fold communes merged since the file's geography into their chef-lieu (see module doc)."""
    old = _code_mask(obs, merges.keys()) & (obs["cog"] < CURRENT_COG)
    if not old.any():
        return obs, pd.DataFrame(columns=FLAG_COLUMNS)
    parts = obs.loc[old].copy()
    parts["code"] = parts["code"].map(merges)
    heads = set(parts["code"])
    # chef-lieu rows published on the older map, for the same variables and years as the parts
    head_mask = obs["code"].isin(heads) & (obs["cog"] < CURRENT_COG)
    key_of = parts.set_index(KEY).index
    head_mask &= obs.set_index(KEY).index.isin(key_of)
    heads_df = obs.loc[head_mask]
    rest = obs.loc[~old & ~head_mask]
    both = pd.concat([heads_df, parts], ignore_index=True)
    is_add = both["variable"].map(additive).fillna(False).astype(bool)
    summed = _sum_parts(both.loc[is_add]) if is_add.any() else both.iloc[0:0]
    # non-additive: the chef-lieu's old value covers only part of today's commune
    non_add = heads_df.loc[~heads_df["variable"].map(additive).fillna(False).astype(bool)].copy()
    non_add["value"] = np.nan
    non_add["status"] = STATUS_MISSING
    flags = pd.concat(
        [
            _flags(summed, "merged_commune", "summed with the communes merged into it since (COG 2025)"),
            _flags(non_add, "not_comparable_after_merger", "value of the pre-merger commune: not shown"),
        ],
        ignore_index=True,
    )
    out = pd.concat([rest, summed, non_add], ignore_index=True)
    return out[OBS_COLUMNS], flags


def derive_paris(obs: pd.DataFrame, additive: Mapping[str, bool]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add Paris (and Lyon, Marseille) as the sum of their arrondissements where a file has
    arrondissements but no row for the city (additive variables only, all arrondissements present)."""
    flags = []
    for city, arrondissements in CITY_ARRONDISSEMENTS.items():
        arr = _code_mask(obs, arrondissements)
        if not arr.any():
            continue
        have_city = obs.loc[obs["code"] == city].set_index(["variable", "year", "month"]).index
        cand = obs.loc[arr & obs["variable"].map(additive).fillna(False).astype(bool)]
        cand = cand.loc[~cand.set_index(["variable", "year", "month"]).index.isin(have_city)]
        if cand.empty:
            continue
        complete = cand.groupby(["variable", "year", "month"])["code"].transform("nunique") == len(
            arrondissements
        )
        derived = _sum_parts(cand.loc[complete].assign(code=city))
        obs = pd.concat([obs, derived], ignore_index=True)[OBS_COLUMNS]
        flags.append(_flags(derived, "city_from_arrondissements", f"{city} = sum of its arrondissements"))
    return obs, (pd.concat(flags, ignore_index=True) if flags else pd.DataFrame(columns=FLAG_COLUMNS))


def _code_mask(obs: pd.DataFrame, codes: Iterable[str]) -> pd.Series:
    """``obs["code"].isin(codes)``, computed on the few distinct codes (1M+ rows, ~35k codes)."""
    wanted = set(codes)
    distinct = obs["code"].unique()
    hits = [c for c in distinct if c in wanted]
    if not hits:
        return pd.Series(False, index=obs.index)
    if len(hits) == len(distinct):
        return pd.Series(True, index=obs.index)
    return obs["code"].isin(hits)


def check_codes(obs: pd.DataFrame, known: set[str], merges: Mapping[str, str]) -> pd.Series:
    """Boolean mask of rows whose code is neither a known territory, a merged commune nor supra."""
    ok = known | set(merges) | set(SUPRA_CODES)
    return _code_mask(obs, [c for c in obs["code"].unique() if c not in ok])


def dedupe_by_priority(frames: Iterable[tuple[str, int, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Concatenate sources; keep the highest priority value per key; flag disagreements."""
    parts = [df.assign(source_id=sid, _prio=prio) for sid, prio, df in frames if not df.empty]
    allobs = pd.concat(parts, ignore_index=True)
    # a published value beats a missing or secret one, whatever the priority; then priority decides
    allobs["_has"] = allobs["value"].notna()
    allobs = allobs.sort_values(["_has", "_prio"], ascending=False, kind="stable").drop(columns="_has")
    dup = allobs.duplicated(KEY, keep="first")
    kept = allobs.loc[~dup]
    lost = allobs.loc[dup]
    flags = pd.DataFrame(columns=FLAG_COLUMNS)
    if not lost.empty:
        cmp = lost.merge(kept[[*KEY, "value", "source_id"]], on=KEY, suffixes=("", "_kept"))
        diff = (cmp["value"] - cmp["value_kept"]).abs()
        tol = np.maximum(1.0, 0.005 * cmp["value_kept"].abs())
        bad = cmp.loc[diff > tol]
        if not bad.empty:
            msgs = (
                bad["source_id"]
                + " gives "
                + bad["value"].map("{:.6g}".format)
                + ", "
                + bad["source_id_kept"]
                + " (kept) gives "
                + bad["value_kept"].map("{:.6g}".format)
            )
            flags = bad[["code", "variable", "year"]].assign(kind="source_disagreement", message=msgs.values)
    return kept.drop(columns=["_prio", "cog"]).reset_index(drop=True), flags[FLAG_COLUMNS]


def check_statuses(obs: pd.DataFrame) -> pd.Series:
    """Rows with a status outside the contract."""
    return ~obs["status"].isin(STATUSES)
