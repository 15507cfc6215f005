"""Vintages from the data: the periods at which an indicator can be computed, read from the store.

The catalogue does not enumerate vintages: an indicator has every period (year, month) at which
the store holds usable values for its formula (``Store.periods`` of each variable), so that a new
file loaded by the ETL or published from the workspace shows everywhere with no code or YAML edit.
A declared ``years:`` / ``months:`` only *restricts* (e.g. a vintage known to be unusable).

A period counts when every numerator variable has data for communes at it (``Store.local_periods``:
a period with published supra values only, such as Filosofi 2017 for MGP and the departments,
is not a vintage of a commune-based observatory) and the denominator rule is met:

* ``same``: every denominator variable has data at the same period;
* ``latest``: they all have data at some period at or before it (census population …);
* ``fixed``: they all have data at the fixed period;
* ``change``: the numerator has data at the base year (same month). A year with a declared base
  (``base_years``) uses it; a newer year gets the gap of the latest declared pair (yearly change
  → the previous year; population growth → six years before), so a new vintage needs no edit.

``resolve(engine, ind)`` returns the ``Indicator`` with ``years``, ``months``, ``periods`` and the
change base years filled from the data (``dataclasses.replace``), cached by data version in
``indicators.cache`` (through the engine's ``Store``). Every reader of vintages goes through it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import sqlalchemy as sa

from indicators.catalogue import Indicator, get_indicator
from indicators.periods import Period
from indicators.query import store


def _has_all(available: Mapping[str, set[Period]], variables: Sequence[str], period: Period) -> bool:
    return all(period in available.get(v, set()) for v in variables)


def base_year_for(ind: Indicator, year: int) -> int | None:
    """Base year of a ``change`` for ``year``: the declared one, else the gap of the latest declared pair."""
    pairs = ind.formula.base_years
    declared = dict(pairs)
    if year in declared:
        return declared[year]
    if not pairs:
        return None
    last_year, last_base = pairs[-1]
    return year - (last_year - last_base) if year > last_year else None


def data_periods(ind: Indicator, available: Mapping[str, Sequence[Period]]) -> tuple[Period, ...]:
    """Periods at which ``ind`` can be computed, given each variable's periods with usable data.

    Pure function (no SQL): ``available`` maps variable → periods (``Store.periods``). The declared
    ``years`` / ``months`` (when given) restrict the result."""
    f = ind.formula
    have = {v: set(map(tuple, p)) for v, p in available.items()}
    num_vars = [t.variable for t in f.numerator]
    den_vars = [t.variable for t in f.denominator]
    candidates = set.intersection(*(have.get(v, set()) for v in num_vars)) if num_vars else set()
    out: list[Period] = []
    for year, month in sorted(candidates):
        if ind.years and year not in ind.years:
            continue
        if ind.months and month not in ind.months:
            continue
        if f.kind == "change":
            base = base_year_for(ind, year)
            if base is None or not _has_all(have, num_vars, (base, month)):
                continue
        elif f.kind == "ratio":
            if f.denominator_period == "same" and not _has_all(have, den_vars, (year, month)):
                continue
            if f.denominator_period == "fixed" and not _has_all(
                have, den_vars, f.denominator_fixed or (0, 0)
            ):
                continue
            if f.denominator_period == "latest":
                common = set.intersection(*(have.get(v, set()) for v in den_vars))
                if not any(p <= (year, month) for p in common):
                    continue
        out.append((year, month))
    return tuple(out)


def with_periods(ind: Indicator, periods: Sequence[Period]) -> Indicator:
    """``ind`` with its vintages set to ``periods`` (years, months, periods and change base years)."""
    periods = tuple(sorted(periods))
    years = tuple(sorted({y for y, _ in periods}))
    months = tuple(sorted({m for _, m in periods if m}))
    formula = ind.formula
    if formula.kind == "change":
        bases = tuple((y, base_year_for(ind, y)) for y in years)
        formula = replace(formula, base_years=tuple((y, b) for y, b in bases if b is not None))
    return replace(ind, years=years, months=months, periods=periods, formula=formula, resolved=True)


def resolve(engine: sa.Engine, ind: Indicator | str) -> Indicator:
    """The indicator with its vintages read from the store (cached per data version).

    An indicator without any usable period keeps no vintage (``years == ()``, ``latest_year == 0``):
    the service then answers « no data » (``PeriodError``) instead of computing anything."""
    ind = get_indicator(ind) if isinstance(ind, str) else ind
    if ind.resolved:
        return ind
    st = store(engine)

    def build() -> Indicator:
        available = {v: st.local_periods(v) for v in ind.formula.variables}
        return with_periods(ind, data_periods(ind, available))

    # the declaration is part of the key: a catalogue change between releases is a new entry
    return st._cached(("vintages", ind.id, repr(ind)), build)


def vintages(engine: sa.Engine, indicator_id: str) -> tuple[int, ...]:
    """Years with data of an indicator (newest last)."""
    return resolve(engine, indicator_id).years
