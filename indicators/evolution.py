"""Change over time (pure): absolute and relative change, annualised growth, and the guard that
warns when two census vintages less than 5 years apart are compared (INSEE guidance: successive
annual census results share most of their survey rounds, so their difference is mostly noise).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.catalogue import Indicator

CENSUS_MIN_GAP = 5


def census_guard(ind: Indicator, year1: int, year2: int) -> str | None:
    """A warning when two census vintages less than 5 years apart are compared (INSEE guidance:
    successive annual census results share most of their survey rounds)."""
    if ind.census and 0 < abs(year2 - year1) < CENSUS_MIN_GAP:
        return (
            f"{ind.id}: census vintages {min(year1, year2)} and {max(year1, year2)} are less than "
            f"{CENSUS_MIN_GAP} years apart; INSEE advises against comparing them "
            "(they share survey rounds)."
        )
    return None


def comparable_year(ind: Indicator, year: int) -> int | None:
    """The vintage a change is measured from, one rule for the profile, the fiche and the deck.

    * a change indicator is a change already, and has none;
    * a monthly series: the same month one year earlier (year - 1), when that year is loaded;
    * census data: the latest vintage at least 5 years earlier (INSEE guidance), else none;
    * other annual data: the latest vintage at least 5 years earlier, else the earliest one
      before ``year`` (the longest span the files allow).

    ``ind.years`` are the vintages in use (the store's, see ``indicators.vintages``)."""
    if ind.formula.kind == "change":
        return None
    if ind.months:
        return year - 1 if year - 1 in ind.years else None
    far = [y for y in ind.years if y <= year - CENSUS_MIN_GAP]
    if far:
        return max(far)
    older = [y for y in ind.years if y < year]
    return min(older) if older and not ind.census else None


def change(value1, value2, year1: int, year2: int) -> dict[str, float]:
    """Absolute change, relative change (%) and annualised growth rate (% a year) from year1 to year2."""
    v1, v2 = float(value1), float(value2)
    out = {"change": v2 - v1, "change_pct": np.nan, "annual_growth_pct": np.nan}
    if np.isfinite(v1) and v1 != 0:
        out["change_pct"] = (v2 / v1 - 1.0) * 100.0
    if year2 != year1 and v1 > 0 and v2 > 0:
        out["annual_growth_pct"] = ((v2 / v1) ** (1.0 / (year2 - year1)) - 1.0) * 100.0
    return out


def compare(ind: Indicator, first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Join two ``aggregate`` results (same territories, two vintages) with the changes and warnings."""
    y1, y2 = int(first["year"].iloc[0]), int(second["year"].iloc[0])
    merged = first[["code", "value", "status"]].merge(
        second[["code", "value", "status"]], on="code", suffixes=("_1", "_2"), how="outer"
    )
    changes = [change(a, b, y1, y2) for a, b in zip(merged["value_1"], merged["value_2"], strict=True)]
    merged = pd.concat([merged, pd.DataFrame(changes, index=merged.index)], axis=1)
    merged.insert(1, "year_1", y1)
    merged.insert(2, "year_2", y2)
    warning = census_guard(ind, y1, y2)
    return merged, [warning] if warning else []
