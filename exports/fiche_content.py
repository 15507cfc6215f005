"""What the fiche says, whichever renderer prints it (pure): the table's cells, row labels and
periods, its column heads and caption, the numbered sources a row cites, the changes over time,
the definitions, the footer and the « where each figure comes from » line.

Shared by the tagged HTML fiche (``exports.fiche_html``) and its reportlab fallback
(``exports.fiche``), so both print the same words and figures in the profile's language.
"""

from __future__ import annotations

import config
from config.texts import t
from exports.attribution import dataset_list, observatory
from exports.grammar_en import MGP_NAME
from exports.messages import change_message, period_text, value_text
from exports.model import Facts, Reading
from exports.profile_model import Profile
from indicators.catalogue import Indicator
from indicators.formatting import STATUS_BRIEF, STATUS_REASON, fmt_comparator, unit_label
from layouts.links import explain_href


def _cell(facts: Facts, reading: Reading | None, lang: str = "fr") -> str:
    """A table value: %, € and €/m² keep their unit, other units are in the row label.

    Issue #14, through ``fmt_comparator``: a comparator read at another year than the row's says
    it (« 11,0 % (2018) »), a value published for the area says « valeur publiée », and a missing
    value says why in a few words (the caption, ``status_notes``, says it in full)."""
    ind = facts.indicator
    if reading is None:
        return "—"
    if not reading.shown:
        return fmt_comparator(None, ind.unit, lang=lang, status=reading.status, brief=True)
    short = ind.unit in ("percent", "euro", "euro_m2") or ind.formula.kind == "change"
    text = value_text(ind, reading.value, bare=not short, lang=lang)
    text += "*" if reading.status == "partial" else ""
    return fmt_comparator(
        reading.value,
        ind.unit,
        ind.decimals,
        lang,
        year=reading.year,
        main_year=facts.year,
        method=reading.method or None,
        text=text,
    )


def status_notes(p: Profile) -> str:
    """The caption's « why no value » notes, in full, for the reasons the table uses (issue #14)."""
    used = {
        r.status if r.status in STATUS_REASON else "missing"
        for _, fs in p.sections
        for f in fs
        for r in (f.focus, *f.references)
        if not r.shown
    }
    lang = p.lang
    if lang == "en":
        notes = [f"“{STATUS_BRIEF[s]['en']}”: {STATUS_REASON[s]['en']}." for s in STATUS_REASON if s in used]
    else:
        notes = [
            f"« {STATUS_BRIEF[s]['fr']} » : {STATUS_REASON[s]['fr']}." for s in STATUS_REASON if s in used
        ]
    if p.uncovered:  # issue #11: sources covering Île-de-France only, said once instead of rows
        notes.append(t("fiche.uncovered", lang, items=", ".join(p.uncovered)))
    if p.absent:  # census variables missing from the file loaded for this area (not a coverage limit)
        notes.append(t("fiche.absent", lang, items=", ".join(p.absent)))
    if p.omitted:  # a territory: the indicators published per commune only (medians) are not rows
        reason = STATUS_REASON["not_aggregable"][lang]
        notes.append(t("fiche.omitted", lang, reason=reason, items=", ".join(p.omitted)))
    return " ".join(notes)


def table_note(p: Profile) -> str:
    """The table's caption: the partial mark, how areas' values are made, the source numbers, then
    the « why no value » notes."""
    return (t("fiche.table_note", p.lang) + " " + status_notes(p)).strip()


def column_heads(p: Profile) -> list[str]:
    """The place's column, then its references' (the home's short name, « MGP », departments)."""
    mgp = "MGP" if p.lang == "fr" else MGP_NAME
    home = config.home().short
    return [
        p.name,
        *((home or r.name if r.is_home else mgp if r.code == "MGP" else r.name) for r in p.references),
    ]


def _label(ind: Indicator, lang: str = "fr") -> str:
    unit = unit_label(ind.unit, lang)
    name = ind.label_en if lang == "en" else ind.label_fr
    if (
        ind.unit in ("percent", "euro", "euro_m2", "count", "ratio")
        or ind.formula.kind == "change"
        or not unit
    ):
        return name
    return f"{name} ({unit})"


def _period(f: Facts, lang: str = "fr") -> str:
    text = period_text(f.indicator, f.year, f.month, f.base_year, lang)
    if lang == "en":
        return text.removeprefix("in ").replace("between ", "").replace(" and ", "-")
    return text.removeprefix("en ").replace("entre ", "").replace(" et ", "-")


def all_facts(p: Profile) -> list[Facts]:
    return [f for _, fs in p.sections for f in fs]


def _numbers(p: Profile) -> dict[str, int]:
    """Reference number of each dataset (issue #9.10): a row cites the datasets its indicator reads."""
    return {d: i + 1 for i, (d, _) in enumerate(dataset_list(all_facts(p), p.lang))}


def footer_text(p: Profile) -> str:
    """The observatory, the data licences, the loading date and the permanent link (absolute)."""
    lang = p.lang
    licences = (" ; " if lang == "fr" else "; ").join(
        dict.fromkeys(x.licence for x in p.credits if x.licence)
    )
    parts = [
        observatory(lang),
        t("fiche.licence", lang, licences=licences) if licences else "",
        t("fiche.loaded", lang, date=p.data_date) if p.data_date else "",
        t("fiche.permalink", lang, href=p.link),
    ]
    return " · ".join(x for x in parts if x)


def changes_of(p: Profile) -> list[tuple[Facts, str]]:
    """The changes over time the fiche states (census vintages 5+ years apart), in its language."""
    return [(f, m) for _, fs in p.sections for f in fs if (m := change_message(f, p.lang))]


def definition(f: Facts, lang: str) -> str:
    return f.indicator.definition_en if lang == "en" else f.indicator.definition_fr


def _explain_line(p: Profile) -> str:
    """Issue #15, printed: where each figure comes from (the page, with an example for this commune),
    as an absolute address (the printed link works outside the app)."""
    first = next((f for _, fs in p.sections for f in fs), None)
    example = (
        explain_href(first.indicator.id, p.place.code, first.year, p.lang)
        if first
        else explain_href("population", p.place.code, None, p.lang)
    )
    return t("fiche.explain", p.lang, href=p.absolute(example))
