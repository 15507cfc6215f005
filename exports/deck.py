"""The deck: choices read from a URL query, and the list of slides built from facts (pure).

URL state (shared by ``/presentation`` and the ``/export/presentation.*`` links, so a link to a
deck can be re-generated after a data update)::

    ?territoire=94081&indicateurs=unemployment_rate,jobs&slide=3
    ?territoire=HOME&theme=emploi
    ?territoire=group:94054+94065+91479&theme=logement
    ?territoire=94081&theme=emploi&lang=en      (the deck in English, as every page of the app)

Slide 1 is the title, then one slide per indicator in the order chosen, then the sources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from exports.charts import ChartSpec, chart_spec
from exports.grammar_en import place_name
from exports.messages import capitalise, change_message, coverage_note, focus_note, key_message
from exports.model import Credit, Facts, Place
from indicators.catalogue import catalogue, headline_themes, headlines, themes
from indicators.credits import Use, credit_line_of, dataset_items, source_items
from indicators.geo import TerritoryError, parse_territory
from layouts.i18n import t
from layouts.links import explain_href

MAX_INDICATORS = 20


def observatory(lang: str = "fr") -> str:
    """The observatory's name on slides and fiches: the app title of the configuration (issue #11)."""
    return t("app.title", lang)


PRESET_SIZE = 8  # indicator slides of a theme's ready-made deck


def _presets() -> dict[str, tuple[str, ...]]:
    """Ready-made sets per theme, from the catalogue's headline declaration: the theme's headline
    indicators in their order, then its other annual indicators, ``PRESET_SIZE`` at most."""
    known = catalogue()
    out: dict[str, tuple[str, ...]] = {}
    for theme in headline_themes():
        rest = [i for i in themes()[theme].indicators if not known[i].months]
        out[theme] = tuple(dict.fromkeys([*headlines(theme), *rest]))[:PRESET_SIZE]
    return out


#: Themes in headline order (employment first), each with its ready-made set.
PRESETS: dict[str, tuple[str, ...]] = _presets()


class ChoiceError(ValueError):
    """The deck's query is malformed (HTTP 400) or names something unknown (404, ``unknown``)."""

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown


@dataclass(frozen=True)
class Choices:
    """What the deck shows; ``query()`` writes it back into a URL query string."""

    territory: str
    indicators: tuple[str, ...]
    theme: str | None = None
    slide: int = 1
    lang: str = "fr"  # « en »: every text of the deck in English (``?lang=en``)

    @property
    def preset(self) -> bool:
        """A theme's ready-made set (its indicators without a value for the place are left out)."""
        return bool(self.theme) and self.theme in PRESETS and self.indicators == PRESETS[self.theme]

    def query(self, slide: int | None = None) -> str:
        params = {"territoire": self.territory}
        if self.theme and self.indicators == theme_indicators(self.theme):
            params["theme"] = self.theme
        else:
            params["indicateurs"] = ",".join(self.indicators)
        if slide is not None:
            params["slide"] = str(slide)
        if self.lang == "en":
            params["lang"] = "en"
        return urlencode(params, safe=",:+")


def theme_indicators(theme: str) -> tuple[str, ...]:
    """The ready-made indicator set of a theme (``ChoiceError`` if the theme is unknown)."""
    if theme in PRESETS and PRESETS[theme]:
        return PRESETS[theme]
    raise ChoiceError(
        f"thème inconnu : {theme!r} (thèmes : {', '.join(sorted(set(PRESETS) | set(themes())))})",
        unknown=True,
    )


def _one(args: Mapping[str, object], key: str) -> str:
    value = args.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def parse_choices(args: Mapping[str, object]) -> Choices:
    """Read ``territoire``, ``indicateurs`` or ``theme``, and ``slide`` from a query mapping."""
    raw = _one(args, "territoire")
    if not raw:
        raise ChoiceError("paramètre « territoire » manquant (ex. territoire=94081, HOME, T5, MGP)")
    try:
        territory = parse_territory(raw).code
    except TerritoryError as exc:
        raise ChoiceError(str(exc), unknown=exc.unknown) from None
    theme = _one(args, "theme") or None
    listed = [i.strip() for i in _one(args, "indicateurs").split(",") if i.strip()]
    if listed:
        unknown = [i for i in listed if i not in catalogue()]
        if unknown:
            raise ChoiceError(f"indicateur(s) inconnu(s) : {', '.join(unknown[:5])}", unknown=True)
        indicators = tuple(dict.fromkeys(listed))
    elif theme:
        indicators = theme_indicators(theme)
    else:
        raise ChoiceError("choisissez des indicateurs (indicateurs=a,b,c) ou un thème (theme=emploi)")
    if len(indicators) > MAX_INDICATORS:
        raise ChoiceError(f"au plus {MAX_INDICATORS} indicateurs par présentation")
    slide = _one(args, "slide")
    try:
        number = max(1, int(slide)) if slide else 1
    except ValueError:
        raise ChoiceError(f"numéro de diapositive invalide : {slide!r}") from None
    return Choices(territory, indicators, theme, number, "en" if _one(args, "lang") == "en" else "fr")


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


def _use(facts: Facts) -> Use:
    """What an indicator slide shows: its year (and the earlier one its change is stated from),
    the files read and the year of a denominator read at another period."""
    years = {facts.year} | (
        {facts.earlier_year} if facts.earlier is not None and facts.earlier_year else set()
    )
    return Use(
        facts.indicator,
        tuple(sorted(years)),
        tuple(c.source_id for c in facts.credits),
        (facts.denominator_year,) if facts.denominator_year else (),
    )


def source_line(facts: Sequence[Facts], lang: str = "fr") -> str:
    """The one source line of slides (issue #9.10, ``indicators.credits``): « Source : Insee,
    recensement de la population 2022 (comparateur de territoires) · Licence Ouverte / Etalab 2.0 »."""
    licences = {c.source_id: c.licence for f in facts for c in f.credits}
    return credit_line_of([_use(f) for f in facts], lang, licences)


def source_list(facts: Sequence[Facts], lang: str = "fr") -> tuple[str, ...]:
    """The sources slide: one plain item per producer, naming only the datasets the slides use."""
    licences = {c.source_id: c.licence for f in facts for c in f.credits}
    return tuple(source_items([_use(f) for f in facts], lang, licences))


def dataset_list(facts: Sequence[Facts], lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(dataset id, « Insee, recensement de la population 2022 (comparateur de territoires) ») for
    each dataset the facts read: the fiche's numbered sources (a row cites its indicator's datasets)."""
    return tuple(dataset_items([_use(f) for f in facts], lang))


def licence_line(credits: Sequence[Credit], lang: str = "fr") -> str:
    """« Licence : Licence Ouverte / Etalab 2.0 » (empty when no licence could be established)."""
    licences = list(dict.fromkeys(c.licence for c in credits if c.licence))
    return t("deck.licence", lang, licences=" ; ".join(licences)) if licences else ""


def describe(credit: Credit, lang: str = "fr") -> str:
    """« Insee — Comparateur de territoire — millésime RP 2022 — Licence Ouverte / Etalab 2.0 — URL »;
    in English, the source's English credit line (``credit_en``) stands for the French wording."""
    english = credit.credit_en.split(": ", 1)[-1] if lang == "en" and credit.credit_en else ""
    named = [english] if english else [credit.producer, credit.dataset]
    vintage = t("deck.vintage", lang, vintage=credit.vintage) if not english else ""
    parts = [*named, vintage, credit.licence, credit.page_url]
    return " — ".join(p for p in parts if p)


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
