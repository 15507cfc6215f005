"""The deck: the list of slides built from facts (pure), in the language of its choices.

Slide 1 is the title, then one slide per indicator in the order chosen, then the sources. The
choices come from a URL query (``exports.deck_choices``); the source lines and credits from
``exports.attribution``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exports.attribution import dataset_list, describe, licence_line, observatory, source_line, source_list
from exports.charts import ChartSpec, chart_spec
from exports.deck_choices import (
    MAX_INDICATORS,
    PRESETS,
    ChoiceError,
    Choices,
    parse_choices,
    theme_indicators,
)
from exports.grammar_en import place_name
from exports.messages import capitalise, change_message, coverage_note, focus_note, key_message
from exports.model import Credit, Facts, Place
from indicators.catalogue import catalogue, themes
from layouts.i18n import t
from layouts.links import explain_href

# Names that lived here before the split into ``deck_choices`` and ``attribution``: the project
# imports them from their new homes; kept importable from here for code written meanwhile.
__all__ = [
    "MAX_INDICATORS",
    "PRESETS",
    "ChoiceError",
    "Choices",
    "Deck",
    "Slide",
    "absolute",
    "build_deck",
    "dataset_list",
    "deck_title",
    "describe",
    "indicator_slide",
    "label",
    "left_out_text",
    "licence_line",
    "observatory",
    "parse_choices",
    "source_line",
    "source_list",
    "spoken",
    "theme_indicators",
]


@dataclass(frozen=True)
class Slide:
    """One slide, as every renderer (web, PPTX, PDF) needs it."""

    number: int
    kind: str  # title, indicator, sources
    title: str
    subtitle: str = ""
    message: str = ""
    details: tuple[str, ...] = ()  # secondary lines: change over time, partial coverage
    chart: ChartSpec | None = None
    footer: str = ""
    notes: str = ""  # speaker notes: definition, method, sources
    indicator_id: str | None = None
    items: tuple[str, ...] = ()  # title slide: agenda; sources slide: one line per source


@dataclass(frozen=True)
class Deck:
    choices: Choices
    place: Place
    title: str
    slides: tuple[Slide, ...]
    credits: tuple[Credit, ...]
    data_date: str = ""
    #: indicators of a ready-made deck left out: no value for the place nor its communes
    left_out: tuple[str, ...] = ()

    def slide(self, number: int) -> Slide:
        """Slide ``number`` (1-based), clamped to the deck."""
        return self.slides[min(max(number, 1), len(self.slides)) - 1]


def _notes(
    facts: Facts, message: str, change: str | None, credits: Sequence[Credit], lang: str, base_url: str = ""
) -> str:
    ind = facts.indicator
    lines = [t("deck.note_message", lang, text=message)]
    if change:
        lines.append(change)
    lines.append(
        t(
            "deck.note_definition",
            lang,
            text=spoken(ind.definition_en if lang == "en" else ind.definition_fr, lang),
        )
    )
    if notes := ind.notes_en if lang == "en" else ind.notes_fr:
        lines.append(t("deck.note_note", lang, text=spoken(notes, lang)))
    if ind.census:
        lines.append(t("deck.note_census", lang))
    lines.append(t("deck.note_sources", lang))
    # each source once: two files of one producer may be described by the same words
    lines += [f"- {text}" for text in dict.fromkeys(describe(c, lang) for c in credits)]
    # issue #15: the inputs, the arithmetic, the files and a recompute script for this value; an
    # absolute address (review R1.7), as the notes are read outside the app
    href = explain_href(ind.id, facts.focus.place.code, facts.year, lang)
    lines.append(t("deck.note_explain", lang, href=absolute(href, base_url)))
    return "\n".join(lines)


def spoken(text: str, lang: str = "fr") -> str:
    """A catalogue text as read from speaker notes: an indicator's id (« social_housing_density_sdes »)
    becomes its label in quotes (review R1.5: notes read like a note for an elected official)."""
    known = catalogue()

    def name(match: re.Match[str]) -> str:
        ind = known.get(match.group(0))
        if ind is None:
            return match.group(0)
        return f"“{ind.label_en}”" if lang == "en" else f"« {ind.label_fr} »"

    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", name, text)


def absolute(href: str, base_url: str = "") -> str:
    """``/explication?…`` → ``https://host/explication?…`` (``base_url``: the request's
    ``url_root``); unchanged without a base (tests, pure builds)."""
    return base_url.rstrip("/") + href if base_url and href.startswith("/") else href


def label(facts: Facts, lang: str = "fr") -> str:
    """The indicator's label in ``lang`` (the catalogue's ``label_fr`` or ``label_en``)."""
    return facts.indicator.label_en if lang == "en" else facts.indicator.label_fr


def indicator_slide(number: int, facts: Facts, lang: str = "fr", base_url: str = "") -> Slide:
    """The slide of one indicator: title, key message, chart, source footer and speaker notes."""
    ind = facts.indicator
    source = source_line([facts], lang)
    message = key_message(facts, lang)
    change = change_message(facts, lang)
    details = tuple(d for d in (focus_note(facts, lang), change, coverage_note(facts, lang)) if d)
    name = place_name(facts.focus.place) if lang == "en" else facts.focus.place.name
    return Slide(
        number=number,
        kind="indicator",
        title=label(facts, lang),
        subtitle=capitalise(name),
        message=message,
        details=details,
        chart=chart_spec(facts, source, lang),
        footer=source,
        notes=_notes(facts, message, change, facts.credits, lang, base_url),
        indicator_id=ind.id,
    )


def deck_title(place: Place, choices: Choices) -> str:
    theme = themes().get(choices.theme) if choices.theme else None
    if choices.lang == "en":
        return f"{place_name(place)} — {theme.label_en}" if theme else place_name(place)
    return f"{place.name} — {theme.label_fr}" if theme else place.name


def left_out_text(place: Place, facts_left: Sequence[str], lang: str = "fr") -> str:
    """« Sans valeur pour Grand-Orly Seine Bièvre, laissés de côté : Salaire … » (empty if none)."""
    if not facts_left:
        return ""
    known = catalogue()
    labels = [known[i].label_en if lang == "en" else known[i].label_fr for i in facts_left if i in known]
    name = place_name(place) if lang == "en" else place.name
    return t(
        "deck.left_out", lang, place=name, labels=" ; ".join(labels) if lang == "fr" else "; ".join(labels)
    )


def build_deck(
    choices: Choices,
    place: Place,
    facts: Sequence[Facts],
    data_date: str = "",
    left_out: tuple[str, ...] = (),
    base_url: str = "",
) -> Deck:
    """Title slide, one slide per indicator (in ``facts`` order), sources slide; in the language of
    ``choices`` (``data_date`` already written in it). ``left_out``: indicators of a ready-made
    deck skipped for want of a value (said in the title slide's notes); ``base_url``: see
    ``absolute``."""
    lang = choices.lang
    credits = tuple({c.source_id: c for f in facts for c in f.credits}.values())
    title = deck_title(place, choices)
    when = t("deck.loaded", lang, date=data_date) if data_date else ""
    slides = [
        Slide(
            1,
            "title",
            title,
            subtitle=observatory(lang),
            message=when,
            items=tuple(label(f, lang) for f in facts),
            footer=source_line(facts, lang),
            notes="\n".join(
                x for x in (t("deck.title_notes", lang), left_out_text(place, left_out, lang)) if x
            ),
        )
    ]
    slides += [indicator_slide(i + 2, f, lang, base_url) for i, f in enumerate(facts)]
    slides.append(
        Slide(
            len(slides) + 1,
            "sources",
            t("deck.sources_title", lang),
            subtitle=observatory(lang),
            message=t("deck.sources_message", lang),
            items=source_list(facts, lang),
            footer=source_line(facts, lang),
            notes="\n".join(dict.fromkeys(describe(c, lang) for c in credits)),
        )
    )
    return Deck(choices, place, title, tuple(slides), credits, data_date, left_out)
