"""Periods of an indicator: which (year, month) its numerator and denominator are read at.

Numerator: the requested period. Denominator: by the declared rule — ``same`` period,
``latest`` period at or before it where every denominator variable has data (e.g. the latest
census population for housing starts per 1,000 inhabitants), a ``fixed`` period (ARCEP's base),
or for a ``change`` the declared base year. Pure functions (no SQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from indicators.catalogue import Indicator

VALID = ("ok", "derived", "suspect")  # observation statuses that carry a usable value
Period = tuple[int, int]  # (year, month); month 0 = annual


class PeriodError(LookupError):
    """The indicator has no data for the requested period (or its denominator has none)."""


def available_periods(obs: pd.DataFrame) -> dict[str, list[Period]]:
    """Periods with at least one usable value, by variable (sorted)."""
    ok = obs["value"].notna().to_numpy() & obs["status"].isin(VALID).to_numpy()
    variables, years, months = (obs[c].to_numpy()[ok] for c in ("variable", "year", "month"))
    out: dict[str, set[Period]] = {}
    for var, year, month in zip(variables, years, months, strict=True):
        out.setdefault(var, set()).add((int(year), int(month)))
    return {k: sorted(v) for k, v in out.items()}


def resolve_periods(
    ind: Indicator, year: int, month: int = 0, available: Mapping[str, Sequence[Period]] | None = None
) -> tuple[Period, Period | None]:
    """Numerator and denominator periods for ``ind`` at (year, month), following the declared rule."""
    f = ind.formula
    num = (year, month)
    if f.kind == "change":
        base = f.base_year(year)
        if base is None:
            raise PeriodError(f"{ind.id}: no base year declared for {year} (years: {list(ind.years)})")
        return num, (base, month)
    if f.kind != "ratio":
        return num, None
    if f.denominator_period == "same":
        return num, num
    if f.denominator_period == "fixed":
        return num, f.denominator_fixed
    # latest: the latest period at or before the numerator's at which every denominator variable has data
    if available is None:
        raise PeriodError(f"{ind.id}: the 'latest' denominator rule needs the available periods")
    sets = [set(available.get(t.variable, ())) for t in f.denominator]
    common = sorted(p for p in set.intersection(*sets) if p <= num) if sets else []
    if not common:
        raise PeriodError(f"{ind.id}: no denominator data at or before {year}")
    return num, common[-1]
