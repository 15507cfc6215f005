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
import pyarrow as pa

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
    grouped = _group_sums(df)
    inverse = {v: k for k, v in _SEVERITY.items()}
    grouped["status"] = grouped["_sev"].map(inverse)
    grouped.loc[grouped["status"].isin([STATUS_MISSING, "secret"]), "value"] = np.nan
    grouped.loc[grouped["status"] == STATUS_OK, "status"] = STATUS_DERIVED
    return grouped[OBS_COLUMNS]


def _group_sums(df: pd.DataFrame) -> pd.DataFrame:
    """Per key (groups in order of appearance): the sum of the values, NaN as soon as one part
    has none (``Series.sum(min_count=len(s))`` per group), the worst ``_sev``, the lowest cog."""
    grouped = df.groupby(KEY, sort=False, as_index=False)
    ids = grouped.ngroup().to_numpy()
    if df.empty or ids.dtype.kind != "i" or (ids < 0).any() or df["value"].dtype != np.float64:
        # no group, a key with a missing value or values that are not floats: pandas, group by group
        return grouped.agg(
            value=("value", lambda s: s.sum(min_count=len(s))), _sev=("_sev", "max"), cog=("cog", "min")
        )
    out = grouped.agg(_sev=("_sev", "max"), cog=("cog", "min"))
    # each group's values summed by numpy in row order, as Series.sum does (not groupby's sum,
    # which compensates rounding errors and may differ in the last bit)
    order = np.argsort(ids, kind="stable")
    values = df["value"].to_numpy(dtype=float)[order]
    ends = np.cumsum(np.bincount(ids, minlength=len(out)))
    starts = ends - np.bincount(ids, minlength=len(out))
    has_nan = np.isnan(values)
    sums = np.array(
        [
            np.nan if has_nan[a:b].any() else values[a:b].sum()
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
        ],
        dtype=float,
    )
    out.insert(len(KEY), "value", sums)
    return out


def fold_merged_communes(
    obs: pd.DataFrame, merges: Mapping[str, str], additive: Mapping[str, bool]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fold communes merged since the file's geography into their chef-lieu (see module doc)."""
    labels, distinct = _factorize_codes(obs)
    older = obs["cog"].to_numpy() < CURRENT_COG
    old = _lookup(labels, distinct, merges.keys()) & older
    if not old.any():
        return obs, pd.DataFrame(columns=FLAG_COLUMNS)
    parts = obs.loc[old].copy()
    parts["code"] = parts["code"].map(merges)
    heads = set(parts["code"])
    # chef-lieu rows published on the older map, for the same variables and years as the parts
    # (the key test runs on the few rows of the chefs-lieux only)
    head_mask = _lookup(labels, distinct, heads) & older
    key_of = parts.set_index(KEY).index
    candidates = np.flatnonzero(head_mask)
    head_mask[candidates] = obs.iloc[candidates].set_index(KEY).index.isin(key_of)
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
    # every row this needs is a city's or an arrondissement's: a few rows of a 1M-row frame
    labels, distinct = _factorize_codes(obs)
    involved = set(CITY_ARRONDISSEMENTS).union(*CITY_ARRONDISSEMENTS.values())
    rows = obs.loc[_lookup(labels, distinct, involved)]
    for city, arrondissements in CITY_ARRONDISSEMENTS.items():
        arr = rows["code"].isin(arrondissements)
        if not arr.any():
            continue
        have_city = rows.loc[rows["code"] == city].set_index(["variable", "year", "month"]).index
        cand = rows.loc[arr & rows["variable"].map(additive).fillna(False).astype(bool)]
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


def _factorize_codes(obs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(labels, distinct codes) of ``obs["code"]``: tests on codes then run on the ~35k distinct
    codes, not on the 1M+ rows; a missing code has label -1."""
    labels, distinct = pd.factorize(obs["code"])
    return labels, np.asarray(distinct, dtype=object)


def _lookup(labels: np.ndarray, distinct: np.ndarray, codes: Iterable[str]) -> np.ndarray:
    """Boolean array: rows whose code is one of ``codes`` (a missing code never is)."""
    wanted = codes if isinstance(codes, (set, frozenset, Mapping)) else set(codes)
    hit = np.zeros(len(distinct) + 1, dtype=bool)  # the extra slot, for label -1, stays False
    hit[:-1] = [c in wanted for c in distinct]
    return hit[labels]


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
    distinct = obs["code"].unique()
    unknown = [c for c in distinct if c not in known and c not in merges and c not in SUPRA_CODES]
    # as _code_mask(obs, unknown), on the distinct codes already at hand
    if not unknown:
        return pd.Series(False, index=obs.index)
    if len(unknown) == len(distinct):
        return pd.Series(True, index=obs.index)
    return obs["code"].isin(unknown)


def dedupe_by_priority(frames: Iterable[tuple[str, int, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Concatenate sources; keep the highest priority value per key; flag disagreements."""
    frames = [(sid, prio, df) for sid, prio, df in frames if not df.empty]
    columns = list(frames[0][2].columns) if frames else []
    if (
        "source_id" in columns
        or "_prio" in columns
        or any(list(df.columns) != columns for _, _, df in frames)
        or not all(isinstance(sid, str) for sid, _, _ in frames)
        or not all(isinstance(prio, int) for _, prio, _ in frames)
    ):
        return _dedupe_sorted(frames)
    allobs = pd.concat([df for _, _, df in frames], ignore_index=True)
    # source of each row as a number (source ids are decoded only for the rows kept)
    source = np.repeat(np.arange(len(frames)), [len(df) for _, _, df in frames])
    prio = np.array([prio for _, prio, _ in frames], dtype=np.int64)[source]
    key = _key_codes(allobs)
    if key is None:
        return _dedupe_sorted(frames)
    # a published value beats a missing or secret one, whatever the priority; then priority
    # decides; among equals, the order of the sources given (a stable sort)
    order = _descending_order(allobs["value"].notna().to_numpy(), prio)
    # the first row of each key in that order is kept (``duplicated(KEY, keep="first")``):
    # keys numbered in order of first appearance, on one integer per row
    labels = pd.factorize(key[order])[0]
    first = np.empty(labels.max() + 1, dtype=np.int64)
    first[labels[::-1]] = np.arange(len(labels) - 1, -1, -1)
    dup = first[labels] != np.arange(len(labels))
    kept_pos, lost_pos = order[~dup], order[dup]
    names = np.array([sid for sid, _, _ in frames], dtype=object)
    kept = allobs.take(kept_pos).drop(columns=["cog"]).reset_index(drop=True)
    kept.insert(len(kept.columns), "source_id", _text(names, source[kept_pos]))
    flags = pd.DataFrame(columns=FLAG_COLUMNS)
    if len(lost_pos):
        # each lost row next to the kept row of its key (``lost.merge(kept, on=KEY)``)
        match = order[first[labels[dup]]]
        cmp = allobs.take(lost_pos)[["code", "variable", "year", "value"]].reset_index(drop=True)
        cmp["source_id"] = _text(names, source[lost_pos])
        cmp["value_kept"] = allobs["value"].to_numpy()[match]
        cmp["source_id_kept"] = _text(names, source[match])
        flags = _disagreements(cmp)
    return kept, flags[FLAG_COLUMNS]


def _text(names: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``names[codes]`` as the text column ``DataFrame.assign(source_id=name)`` would make."""
    dtype = pd.Series(names[:1].tolist()).dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        values = pa.DictionaryArray.from_arrays(
            pa.array(codes.astype(np.int32)), pa.array(names.tolist(), pa.large_string())
        ).dictionary_decode()
        return pd.Series(values, dtype=dtype)
    return pd.Series(names[codes].tolist(), dtype=dtype)


def _dedupe_sorted(frames: list[tuple[str, int, pd.DataFrame]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``dedupe_by_priority`` by pandas sorting, de-duplicating and merging the whole frame."""
    allobs = pd.concat([df.assign(source_id=sid, _prio=prio) for sid, prio, df in frames], ignore_index=True)
    allobs["_has"] = allobs["value"].notna()
    allobs = allobs.sort_values(["_has", "_prio"], ascending=False, kind="stable").drop(columns="_has")
    dup = allobs.duplicated(KEY, keep="first")
    kept = allobs.loc[~dup]
    lost = allobs.loc[dup]
    flags = pd.DataFrame(columns=FLAG_COLUMNS)
    if not lost.empty:
        flags = _disagreements(lost.merge(kept[[*KEY, "value", "source_id"]], on=KEY, suffixes=("", "_kept")))
    return kept.drop(columns=["_prio", "cog"]).reset_index(drop=True), flags[FLAG_COLUMNS]


def _disagreements(cmp: pd.DataFrame) -> pd.DataFrame:
    """Flags for the dropped values that differ from the kept ones beyond rounding."""
    diff = (cmp["value"] - cmp["value_kept"]).abs()
    tol = np.maximum(1.0, 0.005 * cmp["value_kept"].abs())
    bad = cmp.loc[diff > tol]
    if bad.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    msgs = (
        bad["source_id"]
        + " gives "
        + bad["value"].map("{:.6g}".format)
        + ", "
        + bad["source_id_kept"]
        + " (kept) gives "
        + bad["value_kept"].map("{:.6g}".format)
    )
    return bad[["code", "variable", "year"]].assign(kind="source_disagreement", message=msgs.values)


def _descending_order(has: np.ndarray, prio: np.ndarray) -> np.ndarray:
    """Row positions by (has, prio) descending, ties in row order, as
    ``sort_values(["_has", "_prio"], ascending=False, kind="stable")`` orders them."""
    ranks, levels = pd.factorize(prio, sort=True)
    # few distinct values: a small integer sort key (numpy sorts 16-bit keys by radix sort)
    key = (len(levels) - 1 - ranks) + len(levels) * (~has).astype(np.int64)
    return np.argsort(key.astype(np.int16 if 2 * len(levels) < 2**15 else np.int64), kind="stable")


def _key_codes(obs: pd.DataFrame) -> np.ndarray | None:
    """One int64 per row, equal for two rows exactly when their ``KEY`` values are; None when a
    key has a missing value or the combinations do not fit in 63 bits."""
    key = np.zeros(len(obs), dtype=np.int64)
    size = 1.0
    for col in KEY:
        values = obs[col]
        if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu" and len(values):
            arr = values.to_numpy()
            lo, hi = int(arr.min()), int(arr.max())
            labels, n = (arr - lo).astype(np.int64), hi - lo + 1
        else:
            labels, uniques = pd.factorize(values)
            labels, n = labels.astype(np.int64), len(uniques)
            if (labels < 0).any():
                return None
        size *= max(n, 1)
        if size >= 2.0**62:
            return None
        key = key * max(n, 1) + labels
    return key


def check_statuses(obs: pd.DataFrame) -> pd.Series:
    """Rows with a status outside the contract."""
    return ~obs["status"].isin(STATUSES)
