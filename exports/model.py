"""Plain data shared by the export modules: places, values read for them, the facts of a slide.

Nothing here reads the store; ``exports.data`` fills these from ``indicators``, and the tests
build them by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import config
from indicators.catalogue import Indicator

#: Statuses whose value may be shown (``partial``: a group with some members not covered).
SHOWN = ("ok", "suspect", "partial", "derived")


@dataclass(frozen=True)
class Place:
    """A territory as the sentences need it: its name, its level and (for groups) its members."""

    code: str
    name: str
    level: str  # commune, arrondissement, ept, mgp, departement, france, group
    members: tuple[str, ...] = ()
    member_names: tuple[str, ...] = ()  # groups only, in the order given
    ept: str | None = None  # communes of the MGP: their territory (T1, T2 …)

    @property
    def is_home(self) -> bool:
        """The configured home territory (``observatoire.yaml``)."""
        return self.code == config.home().code


@dataclass(frozen=True)
class Reading:
    """The value of one indicator for one place and period, with its status."""

    place: Place
    value: float | None
    status: str = "ok"  # ok, suspect, partial, secret, missing, not_aggregable
    n_members: int = 1
    n_covered: int = 1
    #: how the value was obtained (``indicators.aggregate``): ``official`` = published for the area
    method: str = ""
    year: int | None = None  # the vintage read, when known (a comparator may be older than the focus)

    @property
    def shown(self) -> bool:
        """True when the value can be printed (finite and of a usable status)."""
        return self.status in SHOWN and self.value is not None and math.isfinite(self.value)


@dataclass(frozen=True)
class Credit:
    """One source as credited in footers, notes and the sources slide (from ``etl/sources``)."""

    source_id: str
    producer: str
    dataset: str
    vintage: str
    licence: str
    credit: str  # « Source : Insee, … » line of the source declaration
    page_url: str = ""
    licence_url: str = ""
    credit_en: str = ""  # « Source: Insee, … »: the English credit line (``credit_en``)


@dataclass(frozen=True)
class Facts:
    """Everything an indicator slide (sentence, chart, notes) says, read for one period.

    ``references`` are the comparison places named in the key message (e.g. the home then MGP for a
    commune of the home), ``peers`` the bars of the chart besides the focus and the references, and
    ``earlier`` the focus value at ``earlier_year`` (only set when the change may be stated).
    """

    indicator: Indicator
    year: int
    focus: Reading
    month: int = 0
    base_year: int | None = None  # ``change`` formulas: the year the change is measured from
    references: tuple[Reading, ...] = ()
    peers: tuple[Reading, ...] = ()
    earlier: Reading | None = None
    earlier_year: int | None = None
    credits: tuple[Credit, ...] = field(default_factory=tuple)
    #: ``denominator_period: latest``: the year the denominator was read at (the source line names it)
    denominator_year: int | None = None


def share_of_container(focus: Reading, refs: list[Reading]) -> tuple[float, Reading] | None:
    """(percentage, place) of a count in the first reference place that contains it (its members
    include the focus'), or None: no such place, or values that make no share."""
    mine = set(focus.place.members or (focus.place.code,))
    for ref in refs:
        if not (ref.place.members and mine <= set(ref.place.members)) or ref.place.code == focus.place.code:
            continue
        if focus.value is None or focus.value < 0 or not ref.value or ref.value <= 0:
            return None
        return 100.0 * focus.value / ref.value, ref
    return None


def change_allowed(facts: Facts) -> bool:
    """Whether a change since the earlier vintage may be stated: both values shown, an annual
    level (not monthly data, not a ``change`` indicator: a change of a change misleads), and
    census vintages at least 5 years apart (INSEE guidance, ``census_guard``)."""
    from indicators.aggregate import census_guard  # noqa: PLC0415 - the model stays a plain data module

    ind, earlier, year0 = facts.indicator, facts.earlier, facts.earlier_year
    if earlier is None or year0 is None or not earlier.shown or not facts.focus.shown:
        return False
    if ind.formula.kind == "change" or facts.month or year0 >= facts.year:
        return False
    return not census_guard(ind, year0, facts.year)
