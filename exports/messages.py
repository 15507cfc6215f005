"""Key messages in French (English: ``exports.messages_en``), generated from the data (pure functions).

« À Vitry-sur-Seine, le taux de chômage des 15-64 ans (recensement) atteint 14,6 % en 2022, contre
12,8 % dans le territoire Grand-Orly Seine Bièvre et 11,8 % dans la Métropole du Grand Paris. »

Rules, so that a sentence read aloud on stage is right:

* places take their preposition and article (``etl.geography.locative`` for communes: « au
  Kremlin-Bicêtre », « à L'Haÿ-les-Roses »; « dans le territoire … », « dans la Métropole … »);
* the indicator label becomes the subject with its article (« le taux … », « la part … ») or,
  for counted things (« Emplois … », « Logements sociaux »), « on compte N … »;
* numbers use ``indicators.formatting`` (no-break spaces, decimal comma, units);
* the verb says the direction: « atteint » only when the value is above every reference shown,
  « s'établit à » otherwise; references equal once rounded are « comme dans … », never « contre »;
* counts are not compared with the counts of larger places but given as a share of them;
* a change over time is stated only between census vintages at least 5 years apart (INSEE).
"""

from __future__ import annotations

import math

from config.texts import words
from exports import messages_en as en
from exports.grammar import MONTHS, Subject, capitalise, dative, genitive, join, locative, subject
from exports.messages_en import by_commune
from exports.model import Facts, Reading, change_allowed, share_of_container
from indicators.catalogue import Indicator
from indicators.formatting import NBSP, fmt_comparator, fmt_number, fmt_percent, fmt_value
from layouts.i18n import norm_lang

__all__ = [
    "MONTHS",
    "Subject",
    "capitalise",
    "change_message",
    "coverage_note",
    "focus_note",
    "genitive",
    "by_commune",
    "key_message",
    "locative",
    "no_value",
    "period_text",
    "subject",
    "value_text",
]

#: Why a place has no value, in words right for every indicator (``config/texts/deck.yaml``).
WHY = words("deck.why.")


def why(status: str, lang: str = "fr") -> str:
    """« secret statistique », « cette donnée, publiée commune par commune, ne se recalcule pas … »."""
    reasons = WHY[norm_lang(lang)]
    return reasons.get(status, reasons["missing"])


def no_value(readings: list[Reading], period: str = "") -> str:
    """One short sentence for places without a value, the reason said once: « Pas de valeur pour
    le territoire … ni pour la Métropole du Grand Paris : cette donnée … », or, when the reasons
    differ, each in brackets (« … pour A (secret statistique) ni pour B (absente …) »)."""
    if not readings:
        return ""
    when = f" {period}" if period else ""
    reasons = [why(r.status) for r in readings]
    if len(set(reasons)) == 1:
        places = [dative(r.place) for r in readings]
        tail = f" : {reasons[0]}"
    else:
        places = [f"{dative(r.place)} ({w})" for r, w in zip(readings, reasons, strict=True)]
        tail = ""
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " ni " + places[-1]
    return f"Pas de valeur {listed}{when}{tail}."


def _range(facts: Facts) -> str:
    """« Dans les 24 communes du territoire …, le revenu … va de 16 960 € (Villeneuve-Saint-Georges)
    à 29 730 € (Sceaux) en 2021. »"""
    ind, place = facts.indicator, facts.focus.place
    shown = sorted((p for p in facts.peers if p.shown), key=lambda r: float(r.value))
    n, total = len(shown), len(place.members)
    which = f"les {n}" if n == total else f"{n} des {total}"
    where = (
        f"dans {which} communes sélectionnées"
        if place.level == "group"
        else (f"dans {which} communes {genitive(place)}")
    )
    subj = subject(ind)
    low, high = shown[0], shown[-1]
    verb = "vont" if subj.plural else "va"
    return (
        f"{capitalise(where)}, {subj.text} {verb} de {value_text(ind, low.value)} ({low.place.name}) "
        f"à {value_text(ind, high.value)} ({high.place.name}) "
        f"{period_text(ind, facts.year, facts.month, facts.base_year)}."
    )


def period_text(
    ind: Indicator, year: int, month: int = 0, base_year: int | None = None, lang: str = "fr"
) -> str:
    """« en 2022 », « en décembre 2024 », « entre 2016 et 2022 » (changes); English with ``lang``."""
    if lang == "en":
        return en.period_text(ind, year, month, base_year)
    if ind.formula.kind == "change" and base_year is not None:
        return f"entre {base_year} et {year}"
    if month:
        return f"en {MONTHS[month - 1]} {year}"
    return f"en {year}"


def value_text(ind: Indicator, value: float, bare: bool = False, lang: str = "fr") -> str:
    """The value in French (or English); ``bare`` drops the unit (the sentence already names it)."""
    if lang == "en":
        return en.value_text(ind, value, bare)
    if ind.formula.kind == "change" and ind.unit == "percent":
        return fmt_percent(value, ind.decimals, sign=True)
    if bare:
        return fmt_number(value, ind.decimals)
    return fmt_value(value, ind.unit, ind.decimals)


def _coverage(reading: Reading) -> str:
    if reading.status == "partial":
        return f"{reading.n_covered} communes sur {reading.n_members}"
    return ""


def _noted(ind: Indicator, ref: Reading, text: str, year: int) -> str:
    """Issue #14: a reference's own year when it differs, « valeur publiée » for a published value."""
    return fmt_comparator(
        ref.value, ind.unit, ind.decimals, year=ref.year, main_year=year, method=ref.method or None, text=text
    )


def _compare(
    ind: Indicator, focus: Reading, refs: list[Reading], bare: bool, year: int = 0
) -> tuple[str, bool]:
    """« , contre 12,8 % dans … et 11,8 % dans … » and whether the focus is above every reference."""
    mine = value_text(ind, focus.value, bare)
    same, other, above = [], [], bool(refs)
    for ref in refs:
        text = value_text(ind, ref.value, bare)
        notes = _noted(ind, ref, "", year).strip(" ()")
        cover = f" ({', '.join(x for x in (_coverage(ref), notes) if x)})" if _coverage(ref) or notes else ""
        if text == mine:  # equal once rounded: say so rather than print two identical numbers
            same.append(locative(ref.place) + cover)
            above = False
        else:
            other.append(f"{text} {locative(ref.place)}{cover}")
            above = above and focus.value > ref.value
    clause = (", comme " + join(same) if same else "") + (", contre " + join(other) if other else "")
    return clause, above


def _share(focus: Reading, refs: list[Reading]) -> str:
    """« , soit 13,1 % du total du territoire … » for a count, against the first place containing it."""
    found = share_of_container(focus, refs)
    if found is None:
        return ""
    share, ref = found
    text = "moins de 0,1" + NBSP + "%" if 0 < share < 0.05 else fmt_percent(share, 1)
    cover = f" ({_coverage(ref)})" if _coverage(ref) else ""
    return f", soit {text} du total {genitive(ref.place)}{cover}"
    return ""


def key_message(facts: Facts, lang: str = "fr") -> str:
    """The key message of an indicator slide (one sentence, see the module docstring); in English
    with ``lang="en"`` (``exports.messages_en``)."""
    if lang == "en":
        return en.key_message(facts)
    ind, focus = facts.indicator, facts.focus
    start = capitalise(locative(focus.place))
    period = period_text(ind, facts.year, facts.month, facts.base_year)
    if not focus.shown:
        return _range(facts) if by_commune(facts) else no_value([focus], period)
    subj = subject(ind)
    refs = [r for r in facts.references if r.shown and r.place.code != focus.place.code]
    value = value_text(ind, focus.value, bare=subj.counted)
    if ind.formula.kind == "count":
        tail, above = _share(focus, refs), False
    else:
        tail, above = _compare(ind, focus, refs, bare=subj.counted, year=facts.year)
    partial = f" (estimation partielle : {_coverage(focus)})" if focus.status == "partial" else ""
    # issue #14: references without a value say why, in one short sentence
    unknown = [r for r in facts.references if not r.shown and r.place.code != focus.place.code]
    missing = " " + no_value(unknown) if unknown and ind.formula.kind != "count" else ""
    if subj.counted:
        head = f"{start}, on compte{' en moyenne' if subj.average else ''} {value} {subj.phrase} {period}"
    else:
        if subj.plural:
            verb = "atteignent" if above else "s'établissent à"
        else:
            verb = "atteint" if above else "s'établit à"
        head = f"{start}, {subj.text} {verb} {value} {period}"
    return f"{head}{partial}{tail}.{missing}"


def change_message(facts: Facts, lang: str = "fr") -> str | None:
    """« En 2016, il s'établissait à 13,4 % (+1,2 point en 6 ans). », or None when not allowed.

    None when the earlier value is missing, for monthly data and ``change`` indicators (a change
    of a change misleads), and for census vintages less than 5 years apart (INSEE guidance).
    """
    if lang == "en":
        return en.change_message(facts)
    ind, earlier, year0 = facts.indicator, facts.earlier, facts.earlier_year
    if not change_allowed(facts):
        return None
    v0, v1, gap = float(earlier.value), float(facts.focus.value), facts.year - year0
    if ind.unit in ("percent", "per_100"):
        points = v1 - v0
        unit = "point" if abs(float(round(points, ind.decimals))) < 2 else "points"
        delta = f"{fmt_number(points, ind.decimals, sign=True)}{NBSP}{unit}"
    elif v0 > 0 and math.isfinite(v1):
        delta = fmt_percent((v1 / v0 - 1.0) * 100.0, 1, sign=True)
    else:
        return None
    subj = subject(ind)
    if subj.counted:
        return f"En {year0}, on en comptait {value_text(ind, v0, bare=True)} ({delta} en {gap} ans)."
    pronoun = ("elles" if subj.feminine else "ils") if subj.plural else ("elle" if subj.feminine else "il")
    verb = "s'établissaient à" if subj.plural else "s'établissait à"
    return f"En {year0}, {pronoun} {verb} {value_text(ind, v0)} ({delta} en {gap} ans)."


def focus_note(facts: Facts, lang: str = "fr") -> str | None:
    """Beside a chart of member communes: why the territory itself has no value (one sentence)."""
    if not by_commune(facts):
        return None
    if lang == "en":
        return en.no_value([facts.focus])
    return no_value([facts.focus])


def coverage_note(facts: Facts, lang: str = "fr") -> str | None:
    """A plain note when the focus or a reference is computed on part of its communes."""
    if lang == "en":
        return en.coverage_note(facts)
    parts = [
        f"{capitalise(r.place.name)} : {_coverage(r)} couvertes"
        for r in (facts.focus, *facts.references)
        if r.status == "partial" and r.shown
    ]
    return ("Estimation partielle — " + " ; ".join(parts) + ".") if parts else None
