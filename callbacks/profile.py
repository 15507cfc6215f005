"""Commune profiles, computed once per indicator for all the communes ranked and kept per data version.

``snapshot(indicator)`` holds, for one vintage: every ranked commune's value and rank, the values
of the comparators (``comparators()``), the previous comparable vintage (5+ years back for census
data) and the spread of the communes' values. A profile is then a lookup
(``commune_profile(code)``): no query per commune, so pages stay fast. Other communes are
computed on demand (values only, no rank).

The home decides what a commune is compared with (issue #11): in the metropolis, the MGP's 130
communes ranked on the catalogue's latest vintage, beside the home, the department and the MGP
(as before); elsewhere, the home's communes ranked on the latest vintage with data for them
(``data.home_year``: 2018 for the CA du Pays Basque), beside the home, the department and the
home's region (``Home.scope``); indicators whose sources do not cover the home (Île-de-France
files) leave the table and are named once (``uncovered``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import indicators as ind_api
from callbacks import data
from callbacks.engine import get_engine
from indicators import coverage
from indicators.aggregate import PeriodError
from indicators.evolution import comparable_year

#: The comparators of a home in the metropolis: the MGP, its six departments, its 12 territories.
GROUPS = ("MGP", "D75", "D91", "D92", "D93", "D94", "D95") + tuple(f"T{i}" for i in range(1, 13))


@dataclass
class Snapshot:
    """One indicator, all ranked communes (see the module docstring)."""

    ind_id: str
    year: int
    prev_year: int | None
    communes: pd.DataFrame  # index code: value, rank, n_ranked, prev_value
    groups: dict[str, float]  # comparators (``comparators()``) → value at ``year``
    spread: float
    sources: list[str]
    # group code → (status, method) of its value: why a group has none, or that it is published
    group_notes: dict[str, tuple[str, str]] = field(default_factory=dict)


def comparators() -> tuple[str, ...]:
    """Codes whose values a snapshot keeps: the home first, then the MGP, its departments and
    territories; outside the metropolis the home's departments, references and region."""
    home = data.home()
    if home.in_metropolis:
        return tuple(dict.fromkeys([home.code, *GROUPS]))
    return tuple(dict.fromkeys([home.code, *home.departments, *home.references, home.scope]))


def ranked_level() -> str:
    """The ranking level of the profile's communes: the MGP's, or the home's outside it."""
    return "mgp" if data.home().in_metropolis else "home"


def scope() -> str:
    """The profile's largest comparator: the MGP, or the home's region (``Home.scope``)."""
    return data.home().scope


def previous_year(ind: ind_api.Indicator, year: int) -> int | None:
    """The vintage a change is measured from: the rule shared with the fiche and the deck."""
    return comparable_year(ind, year)


def _year(ind: ind_api.Indicator) -> int:
    """The catalogue's latest vintage in the metropolis (unchanged); elsewhere the latest with
    data for the home's communes (a 2022 file covering Île-de-France only is skipped)."""
    return ind.latest_year if data.home().in_metropolis else data.home_year(ind)


def _build(ind_id: str) -> Snapshot:
    ind = data.indicator(ind_id)
    year = _year(ind)
    level = ranked_level()
    ranked = data.ranking(ind_id, year, level).set_index("code")
    communes = ranked[["value", "rank", "n_ranked"]].copy()
    prev = previous_year(ind, year)
    communes["prev_value"] = np.nan
    if prev is not None:
        try:
            before = data.ranking(ind_id, prev, level).set_index("code")["value"]
            communes["prev_value"] = before.reindex(communes.index)
        except PeriodError:
            prev = None
    groups_frame = data.values(ind_id, list(comparators()), year)
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
    """Build what a commune profile reads (run in a background thread at start-up): outside the
    metropolis the indicators its sources do not cover (``uncovered``, which also finds the
    home's latest vintage of each), then every snapshot, those of the profile first; those of the
    uncovered indicators are never shown (and would rank peers over every vintage): skipped."""
    try:
        skipped = uncovered()
    except Exception:  # noqa: BLE001 - the snapshots are still worth building
        skipped = {}
    ids = [i for i, ind in ind_api.catalogue().items() if i not in skipped and not ind.months]
    ids += [i for i, ind in ind_api.catalogue().items() if i not in skipped and ind.months]
    for ind_id in ids:
        try:
            snapshot(ind_id)
        except Exception:  # noqa: BLE001 - a bad indicator must not stop the others
            continue


def uncovered() -> dict[str, str]:
    """Indicators of the profile (not monthly) whose sources cover none of the home's vintages:
    id → ``coverage.IDF`` / ``coverage.ELSEWHERE`` (catalogue order). Always empty in the
    metropolis (every source covers Île-de-France)."""
    if data.home().in_metropolis:
        return {}
    return data.derived(("profile-uncovered",), _uncovered)


def _uncovered() -> dict[str, str]:
    home = data.home()
    places = (home.code, *home.members)
    out = {}
    for ind_id, ind in ind_api.catalogue().items():
        if ind.months:
            continue
        area = data.uncovered(data.indicator(ind_id))
        # no value for the home nor its communes at any vintage, for another reason than a source
        # status (a rate whose numerator comes from an Île-de-France file): its sources do not cover it
        if area is None and coverage.latest_year(get_engine(), ind_id, places) is None:
            area = coverage.ELSEWHERE
        if area:
            out[ind_id] = area
    return out


def _group(snap: Snapshot, code: str) -> tuple[float, tuple[str, str]]:
    """(value, (status, method)) of a comparator: the snapshot's, or read on demand (a commune's
    department that is not among ``comparators()``)."""
    if code in snap.groups:
        return snap.groups[code], snap.group_notes.get(code, ("", ""))
    try:
        frame = data.values(snap.ind_id, [code], snap.year)
    except (PeriodError, LookupError, ValueError):
        return np.nan, ("", "")
    row = frame.iloc[0]
    return float(row["value"]), (str(row.get("status", "")), str(row.get("method", "")))


def commune_profile(code: str) -> pd.DataFrame:
    """One row per indicator (catalogue order; those whose sources do not cover the home left
    out, see ``uncovered``): theme, id, year, value, home, dep, scope (the MGP, or the home's
    region) with their ``…_note``, prev_year, prev_value, rank, n, spread, sources."""
    rows = []
    home, dep, whole = data.home().code, data.dep_of(code), scope()
    skipped = uncovered()
    for ind_id, ind in ind_api.catalogue().items():
        if ind.months or ind_id in skipped:
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
        row = {"theme": ind.theme, "id": ind_id, "year": snap.year, "value": value}
        for key, place in (("home", home), ("dep", dep), ("scope", whole)):
            # (status, method) of each comparator, for fmt_comparator
            row[key], row[f"{key}_note"] = _group(snap, place)
        row.update(
            {
                "prev_year": int(snap.prev_year) if snap.prev_year else None,
                "prev_value": prev_value,
                "rank": None if pd.isna(rank) else int(rank),
                "n": None if pd.isna(n) else int(n),
                "spread": snap.spread,
                "sources": ",".join(snap.sources),
            }
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.astype({"prev_year": "Int64", "rank": "Int64", "n": "Int64"}) if len(frame) else frame


def _outside(ind_id: str, code: str, snap: Snapshot) -> tuple[float, None, None, float]:
    """Value (and previous value) of a commune that is not ranked, computed on demand."""
    try:
        value = float(data.values(ind_id, [code], snap.year)["value"].iloc[0])
        prev = (
            float(data.values(ind_id, [code], snap.prev_year)["value"].iloc[0]) if snap.prev_year else np.nan
        )
    except (PeriodError, LookupError, ValueError):
        return np.nan, None, None, np.nan
    return value, None, None, prev
