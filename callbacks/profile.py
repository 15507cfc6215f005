"""Commune profiles, computed once per indicator for all MGP communes and kept per data version.

``snapshot(indicator)`` holds, for the indicator's latest vintage: every MGP commune's value and
rank, the values of the territories, departments and MGP, the previous comparable vintage (5+
years back for census data) and the spread of the communes' values. A profile is then a lookup
(``commune_profile(code)``): no query per commune, so pages stay fast.
Communes outside the MGP are computed on demand (values only, no rank).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import indicators as ind_api
from callbacks import data
from indicators.aggregate import PeriodError
from indicators.evolution import comparable_year

GROUPS = ("MGP", "D75", "D91", "D92", "D93", "D94", "D95") + tuple(f"T{i}" for i in range(1, 13))


@dataclass
class Snapshot:
    """One indicator, all MGP communes (see the module docstring)."""

    ind_id: str
    year: int
    prev_year: int | None
    communes: pd.DataFrame  # index code: value, rank, n_ranked, prev_value
    groups: dict[str, float]  # T1, T2 …, D75.., MGP, the home → value at ``year``
    spread: float
    sources: list[str]
    # group code → (status, method) of its value: why a group has none, or that it is published
    group_notes: dict[str, tuple[str, str]] = field(default_factory=dict)


def previous_year(ind: ind_api.Indicator, year: int) -> int | None:
    """The vintage a change is measured from: the rule shared with the fiche and the deck."""
    return comparable_year(ind, year)


def _build(ind_id: str) -> Snapshot:
    ind = data.indicator(ind_id)
    year = ind.latest_year
    ranked = data.ranking(ind_id, year, "mgp").set_index("code")
    communes = ranked[["value", "rank", "n_ranked"]].copy()
    prev = previous_year(ind, year)
    communes["prev_value"] = np.nan
    if prev is not None:
        try:
            before = data.ranking(ind_id, prev, "mgp").set_index("code")["value"]
            communes["prev_value"] = before.reindex(communes.index)
        except PeriodError:
            prev = None
    # the comparators: the 12 territories, the MGP, the departments, and the configured home
    groups_frame = data.values(ind_id, list(dict.fromkeys([data.home().code, *GROUPS])), year)
    groups = dict(zip(groups_frame["code"], groups_frame["value"].astype(float), strict=True))
    notes = {
        c: (str(st), str(me))
        for c, st, me in zip(
            groups_frame["code"],
            groups_frame.get("status", pd.Series("", index=groups_frame.index)),
            groups_frame.get("method", pd.Series("", index=groups_frame.index)),
            strict=True,
        )
    }
    vals = communes["value"].dropna().to_numpy(dtype=float)
    spread = float(np.std(vals)) if len(vals) > 1 else 0.0
    sources = sorted(set(ranked["sources"].iloc[0].split(","))) if len(ranked) else list(ind.sources)
    return Snapshot(ind_id, year, prev, communes, groups, spread, sources, notes)


def snapshot(ind_id: str) -> Snapshot:
    """The cached snapshot of an indicator (rebuilt when the store is reloaded)."""
    # the data cache (issue #12): keyed by data version and home, shared by workers with Redis
    return data.derived(("snapshot", ind_id), lambda: _build(ind_id))


def warm() -> None:
    """Build every snapshot (run in a background thread at start-up)."""
    for ind_id in ind_api.catalogue():
        try:
            snapshot(ind_id)
        except Exception:  # noqa: BLE001 - a bad indicator must not stop the others
            continue


def commune_profile(code: str) -> pd.DataFrame:
    """One row per indicator (catalogue order): theme, id, year, value, gosb, dep, mgp, prev_year,
    prev_value, rank, n, spread, sources."""
    rows = []
    dep = data.dep_of(code)
    for ind_id, ind in ind_api.catalogue().items():
        if ind.months:
            continue  # monthly series are shown on their own pages, not in the profile
        try:
            snap = snapshot(ind_id)
        except (PeriodError, LookupError, ValueError):
            continue
        if code in snap.communes.index:
            rec = snap.communes.loc[code]
            value, rank, n, prev_value = rec["value"], rec["rank"], rec["n_ranked"], rec["prev_value"]
        else:
            value, rank, n, prev_value = _outside(ind_id, code, snap)
        rows.append(
            {
                "theme": ind.theme,
                "id": ind_id,
                "year": snap.year,
                "value": value,
                "gosb": snap.groups.get(data.home().code, np.nan),  # the home territory
                "dep": snap.groups.get(dep, np.nan),
                "mgp": snap.groups.get("MGP", np.nan),
                # (status, method) of each comparator, for fmt_comparator
                "gosb_note": snap.group_notes.get(data.home().code, ("", "")),
                "dep_note": snap.group_notes.get(dep, ("", "")),
                "mgp_note": snap.group_notes.get("MGP", ("", "")),
                "prev_year": int(snap.prev_year) if snap.prev_year else None,
                "prev_value": prev_value,
                "rank": None if pd.isna(rank) else int(rank),
                "n": None if pd.isna(n) else int(n),
                "spread": snap.spread,
                "sources": ",".join(snap.sources),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"prev_year": "Int64", "rank": "Int64", "n": "Int64"}) if len(frame) else frame


def _outside(ind_id: str, code: str, snap: Snapshot) -> tuple[float, None, None, float]:
    """Value (and previous value) of a commune outside the MGP, computed on demand."""
    try:
        value = float(data.values(ind_id, [code], snap.year)["value"].iloc[0])
        prev = (
            float(data.values(ind_id, [code], snap.prev_year)["value"].iloc[0]) if snap.prev_year else np.nan
        )
    except (PeriodError, LookupError, ValueError):
        return np.nan, None, None, np.nan
    return value, None, None, prev
