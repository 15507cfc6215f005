"""Key messages in English, generated from the data (pure): the counterpart of
``exports.messages`` for ``?lang=en`` decks.

« In Vitry-sur-Seine, the unemployment rate of 15-64 year-olds (census) was 14.6% in 2022, above
12.8% in the Grand-Orly Seine Bièvre territory and 11.8% in the Greater Paris Metropolis. »

The same rules as the French sentences, said the English way: the year calls for the past tense;
« above » (« below ») only when the value is above (below) every reference shown, « compared with »
otherwise; references equal once rounded are « the same as in … »; counts are given as a share of
the larger place that contains them (« there were N jobs …, or 13.1% of the total for … »); a
change over time is stated only between census vintages at least 5 years apart (INSEE). Numbers use
``indicators.formatting`` in English (« 27,441 », « 12.8% », « €1,234 »).
"""

from __future__ import annotations

import math

from config.texts import words
from exports.grammar_en import MONTHS, join, locative, noun, place_name, subject
from exports.model import Facts, Reading, change_allowed, share_of_container
from indicators.catalogue import Indicator
from indicators.formatting import fmt_comparator, fmt_number, fmt_percent, fmt_value

#: Why a place has no value, in words right for every indicator (``config/texts/deck.yaml``).
_WHY = words("deck.why.")["en"]


def no_value(readings: list[Reading], period: str = "") -> str:
    """One short sentence for places without a value, the reason said once: « No value for the …
    territory or the Greater Paris Metropolis: this figure … », or each reason in brackets."""
    if not readings:
        return ""
    when = f" {period}" if period else ""
    reasons = [_WHY.get(r.status, _WHY["missing"]) for r in readings]
    if len(set(reasons)) == 1:
        places, tail = [noun(r.place, names=False) for r in readings], f": {reasons[0]}"
    else:
        places = [f"{noun(r.place, names=False)} ({w})" for r, w in zip(readings, reasons, strict=True)]
        tail = ""
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " or " + places[-1]
    return f"No value for {listed}{when}{tail}."


def by_commune(facts: Facts) -> bool:
    """True when the slide shows the member communes of a territory or group that has no value
    itself (``exports.data``: a published median has no value for a territory)."""
    members = set(facts.focus.place.members)
    return (
        not facts.focus.shown
        and len(members) > 1
        and any(p.shown for p in facts.peers)
        and all(p.place.code in members for p in facts.peers)
    )


def _range(facts: Facts) -> str:
    """« In the 24 communes of the … territory, the median … ranges from €16,960
    (Villeneuve-Saint-Georges) to €29,730 (Sceaux) in 2021. »"""
    ind, place = facts.indicator, facts.focus.place
    shown = sorted((p for p in facts.peers if p.shown), key=lambda r: float(r.value))
    n, total = len(shown), len(place.members)
    which = f"the {n}" if n == total else f"{n} of the {total}"
    where = (
        f"in {which} selected communes"
        if place.level == "group"
        else f"in {which} communes of {noun(place, names=False)}"
    )
    low, high = shown[0], shown[-1]
    return (
        f"{capitalise(where)}, {subject(ind).text} ranges from {value_text(ind, low.value)} "
        f"({low.place.name}) to {value_text(ind, high.value)} ({high.place.name}) "
        f"{period_text(ind, facts.year, facts.month, facts.base_year)}."
    )


def period_text(ind: Indicator, year: int, month: int = 0, base_year: int | None = None) -> str:
    """« in 2022 », « in December 2024 », « between 2016 and 2022 » (changes)."""
    if ind.formula.kind == "change" and base_year is not None:
        return f"between {base_year} and {year}"
    if month:
        return f"in {MONTHS[month - 1]} {year}"
    return f"in {year}"


def value_text(ind: Indicator, value: float, bare: bool = False) -> str:
    """The value in English; ``bare`` drops the unit (the sentence already names it)."""
    if ind.formula.kind == "change" and ind.unit == "percent":
        return fmt_percent(value, ind.decimals, "en", sign=True)
    if bare:
        return fmt_number(value, ind.decimals, "en")
    return fmt_value(value, ind.unit, ind.decimals, "en")


def _coverage(reading: Reading) -> str:
    return f"{reading.n_covered} of {reading.n_members} communes" if reading.status == "partial" else ""


def _compare(ind: Indicator, focus: Reading, refs: list[Reading], bare: bool, year: int) -> tuple[str, bool]:
    """« , above 12.8% in … and 11.8% in … » and whether the focus is above every reference."""
    mine = value_text(ind, focus.value, bare)
    same, other = [], []
    above = below = bool(refs)
    for ref in refs:
        text = value_text(ind, ref.value, bare)
        notes = fmt_comparator(
            ref.value,
            ind.unit,
            ind.decimals,
            "en",
            year=ref.year,
            main_year=year,
            method=ref.method or None,
            text="",
        ).strip(" ()")
        extra = ", ".join(x for x in (_coverage(ref), notes) if x)
        cover = f" ({extra})" if extra else ""
        if text == mine:  # equal once rounded: say so rather than print two identical numbers
            same.append(locative(ref.place) + cover)
            above = below = False
        else:
            other.append(f"{text} {locative(ref.place)}{cover}")
            above = above and focus.value > ref.value
            below = below and focus.value < ref.value
    how = "above" if above else "below" if below else "compared with"
    clause = (", the same as " + join(same) if same else "") + (f", {how} " + join(other) if other else "")
    return clause, above


def _share(focus: Reading, refs: list[Reading]) -> str:
    """« , or 13.1% of the total for the … territory » for a count, against the first place containing it."""
    found = share_of_container(focus, refs)
    if found is None:
        return ""
    share, ref = found
    text = "less than 0.1%" if 0 < share < 0.05 else fmt_percent(share, 1, "en")
    cover = f" ({_coverage(ref)})" if _coverage(ref) else ""
    return f", or {text} of the total for {noun(ref.place, names=False)}{cover}"
    return ""


def key_message(facts: Facts) -> str:
    """The key message of an indicator slide, in English (one sentence, see the module docstring)."""
    ind, focus = facts.indicator, facts.focus
    start = capitalise(locative(focus.place))
    period = period_text(ind, facts.year, facts.month, facts.base_year)
    if not focus.shown:
        return _range(facts) if by_commune(facts) else no_value([focus], period)
    subj = subject(ind)
    refs = [r for r in facts.references if r.shown and r.place.code != focus.place.code]
    value = value_text(ind, focus.value, bare=subj.counted)
    if ind.formula.kind == "count":
        tail = _share(focus, refs)
    else:
        tail, _ = _compare(ind, focus, refs, bare=subj.counted, year=facts.year)
    partial = f" (partial estimate: {_coverage(focus)})" if focus.status == "partial" else ""
    # issue #14: references without a value say why, in one short sentence
    unknown = [r for r in facts.references if not r.shown and r.place.code != focus.place.code]
    why = " " + no_value(unknown) if unknown and ind.formula.kind != "count" else ""
    if subj.counted:
        average = " on average" if subj.average else ""
        head = f"{start}, there were{average} {value} {subj.phrase} {period}"
    else:
        head = f"{start}, {subj.text} was {value} {period}"
    return f"{head}{partial}{tail}.{why}"


def change_message(facts: Facts) -> str | None:
    """« In 2016, it was 13.4% (+1.2 points in 6 years). », or None when not allowed (the same
    rules as ``exports.messages.change_message``)."""
    ind, earlier, year0 = facts.indicator, facts.earlier, facts.earlier_year
    if not change_allowed(facts):
        return None
    v0, v1, gap = float(earlier.value), float(facts.focus.value), facts.year - year0
    if ind.unit in ("percent", "per_100"):
        points = v1 - v0
        unit = "point" if abs(float(round(points, ind.decimals))) == 1 else "points"
        delta = f"{fmt_number(points, ind.decimals, 'en', sign=True)} {unit}"
    elif v0 > 0 and math.isfinite(v1):
        delta = fmt_percent((v1 / v0 - 1.0) * 100.0, 1, "en", sign=True)
    else:
        return None
    years = f"{gap} year{'s' * (gap != 1)}"
    if subject(ind).counted:
        return f"In {year0}, there were {value_text(ind, v0, bare=True)} ({delta} in {years})."
    return f"In {year0}, it was {value_text(ind, v0)} ({delta} in {years})."


def coverage_note(facts: Facts) -> str | None:
    """A plain note when the focus or a reference is computed on part of its communes."""
    parts = [
        f"{place_name(r.place)}: {_coverage(r)} covered"
        for r in (facts.focus, *facts.references)
        if r.status == "partial" and r.shown
    ]
    return ("Partial estimate — " + "; ".join(parts) + ".") if parts else None


def capitalise(text: str) -> str:
    """Upper-case the first letter only (« in Orly » → « In Orly »)."""
    return text[:1].upper() + text[1:]
