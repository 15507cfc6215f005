"""What publishing an upload would change, compared with the store (read-only).

The summary names the new vintage (periods the store does not have yet), the revised periods,
the number of rows and of communes covered (and of the home territory's communes), and the largest changes
per commune: against the same period for a revision, against the latest published period for a
new vintage.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

import config
from etl.uploads import Checked
from indicators.query import store

KEY = ["code", "variable", "year", "month"]
TOP = 10
_COMMUNE_LEVELS = ("commune", "arrondissement")


def period_label(year: int, month: int) -> str:
    return f"{int(year)}" if not month else f"{int(year)}-{int(month):02d}"


def _span(periods: list[tuple[int, int]]) -> str:
    labels = [period_label(y, m) for y, m in sorted(periods)]
    return labels[0] if len(labels) == 1 else f"{labels[0]} … {labels[-1]} ({len(labels)})"


def _years(periods: list[tuple[int, int]]) -> str:
    """The new vintage as years: ``2025`` or ``2024-2025`` (empty: revisions only)."""
    years = sorted({y for y, _ in periods})
    return "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _store_rows(engine: sa.Engine, variables: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    provider = store(engine)  # the data provider: no SQL here (issue #12)
    stored, places = provider.stored_values(variables), provider.places()
    # the home territory's communes (observatoire.yaml; issue #11: from territory_member)
    places["in_gosb"] = places["code"].isin(provider.territories().members.get(config.home().code, ()))
    return stored, places


def _changes(new: pd.DataFrame, stored: pd.DataFrame, new_slices: set) -> pd.DataFrame:
    """One row per (code, variable): the upload's value against the store's comparable value."""
    parts = []
    is_new = pd.Series(
        [s in new_slices for s in zip(new["variable"], new["year"], new["month"], strict=True)],
        index=new.index,
        dtype=bool,
    )
    revised = new.loc[~is_new].merge(stored, on=KEY, suffixes=("", "_before"))
    if not revised.empty:
        parts.append(
            revised.assign(kind="revision", year_before=revised["year"], month_before=revised["month"])
        )
    for variable, rows in new.loc[is_new].groupby("variable"):
        latest = rows[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
        now = rows.loc[(rows["year"] == latest["year"]) & (rows["month"] == latest["month"])]
        same_kind = stored.loc[
            (stored["variable"] == variable)
            & ((stored["month"] == 0) == (latest["month"] == 0))
            & stored["value"].notna()
        ]
        if same_kind.empty:
            continue
        prev = same_kind[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
        before = same_kind.loc[
            (same_kind["year"] == prev["year"]) & (same_kind["month"] == prev["month"]), ["code", "value"]
        ]
        merged = now.merge(before, on="code", suffixes=("", "_before"))
        parts.append(
            merged.assign(kind="new_vintage", year_before=int(prev["year"]), month_before=int(prev["month"]))
        )
    if not parts:
        return pd.DataFrame(
            columns=[*KEY, "value", "value_before", "kind", "year_before", "month_before", "change"]
        )
    out = pd.concat(parts, ignore_index=True)
    ok = out["value"].notna() & out["value_before"].notna() & (out["value_before"].abs() > 0)
    out = out.loc[ok].copy()
    out["change"] = (out["value"] - out["value_before"]) / out["value_before"].abs()
    return out


def summarise(engine: sa.Engine, checked: Checked) -> dict[str, Any]:
    """A JSON-ready summary of what publishing ``checked`` would change."""
    obs = checked.observations
    variables = sorted(obs["variable"].unique())
    stored, places = _store_rows(engine, variables)
    slices = set(zip(obs["variable"], obs["year"], obs["month"], strict=True))
    stored_slices = set(zip(stored["variable"], stored["year"], stored["month"], strict=True))
    new_slices = slices - stored_slices
    by_var: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for v, y, m in slices:
        by_var.setdefault(v, {"new": [], "revised": []})[
            "new" if (v, y, m) in new_slices else "revised"
        ].append((y, m))
    communes = set(places.loc[places["level"].isin(_COMMUNE_LEVELS), "code"])
    gosb = set(places.loc[places["in_gosb"].astype(bool) & places["level"].isin(_COMMUNE_LEVELS), "code"])
    codes = set(obs.loc[obs["value"].notna(), "code"])
    changes = _changes(obs, stored, new_slices)
    changes = changes.loc[changes["code"].isin(communes)]
    names = dict(zip(places["code"], places["name"], strict=True))
    # the GOSB's communes first (what the EPT follows), then the others, largest change first
    changes = changes.assign(gosb_flag=changes["code"].isin(gosb), abs_change=changes["change"].abs())
    top = changes.sort_values(["gosb_flag", "abs_change"], ascending=False).head(TOP)
    new_periods = sorted({(int(y), int(m)) for _, y, m in new_slices})
    return {
        "upload_source": checked.spec.id,
        "sha256": checked.sha256,
        "size": checked.size,
        "rows_read": checked.rows_read,
        "observations": len(obs),
        "slices_kept": len(slices),
        "slices_in_file": checked.slices_total,
        "vintage": _years(new_periods),
        "new_periods": [period_label(y, m) for y, m in new_periods],
        "variables": [
            {
                "variable": v,
                "new": _span(p["new"]) if p["new"] else "",
                "revised": _span(p["revised"]) if p["revised"] else "",
            }
            for v, p in sorted(by_var.items())
        ],
        "communes_covered": len(codes & communes),
        "gosb_covered": len(codes & gosb),
        "gosb_total": len(gosb),
        "flags": len(checked.flags),
        "largest_changes": [
            {
                "code": r.code,
                "name": names.get(r.code, r.code),
                "variable": r.variable,
                "period": period_label(r.year, r.month),
                "value": _num(r.value),
                "before_period": period_label(r.year_before, r.month_before),
                "before": _num(r.value_before),
                "change_pct": _num(100 * r.change),
                "kind": r.kind,
                "in_gosb": bool(r.gosb_flag),
            }
            for r in top.itertuples()
        ],
    }


def _num(x: Any) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)
