"""The data of a place's profile (« fiche communale » or « fiche territoriale »): what
``exports.fiche`` prints.

In French, or in English with ``lang="en"`` (``?lang=en``, as the deck): every text the fiche
prints is built here or in ``exports.fiche`` from ``config/texts/fiche.yaml`` and the English
sentences of ``exports.messages_en``.

For a commune of the MGP: key figures theme by theme (compared with its territory — GOSB for
its 24 communes — and the MGP). For a territory (an EPT, the home, the MGP or a group of
communes): the same figures compared with the MGP and its department(s) (the home: its configured
references; the MGP: the departments it covers whole). Also the key messages, the sources, and
the shapes and styles of the locator map. Read through ``exports.data`` (the ``indicators``
facade); nothing is drawn here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

import config
import indicators as ind_api
from config.texts import t
from exports import data
from exports.charts import COLOURS
from exports.deck import ChoiceError
from exports.grammar_en import place_name
from exports.messages import key_message
from exports.model import Credit, Facts, Place
from figures.roles import ROLE_COLORS
from indicators.geo import Territories

N_HIGHLIGHTS = 4  # key messages of page 1 (as many as fit are drawn)
MAP_CREDIT_SOURCE = "ign_communes_2018"
#: Levels of each fiche: the commune route, the territory route (``exports.routes``).
COMMUNE_LEVELS = ("commune",)
TERRITORY_LEVELS = ("ept", "mgp", "group", "epci")
#: Fills of the locator map: the place, the communes of its territory, the rest of the MGP.
FOCUS_FILL, TERRITORY_FILL, CONTEXT_FILL = COLOURS["focus"], "#B8BEC6", "#E5E7EB"
MAX_DEPARTMENTS = 3  # a group's or territory's department columns (the table must stay one page)

MapStyles = dict[str, tuple[str | None, str, float]]


@dataclass(frozen=True)
class Profile:
    """Everything the fiche prints (built by ``profile``; ``fiche_pdf`` only draws it)."""

    place: Place
    references: tuple[Place, ...]
    department: str
    sections: tuple[tuple[str, tuple[Facts, ...]], ...]
    highlights: tuple[str, ...]
    credits: tuple[Credit, ...]
    map_credit: str
    shapes: dict[str, Any]
    context: tuple[str, ...]  # MGP communes (grey), then the commune's territory communes
    territory: tuple[str, ...]
    data_date: str = ""
    outlines: tuple[str, ...] = ()  # territories outlined on the map (a territory fiche)
    omitted: tuple[str, ...] = ()  # headline indicators without any value here (medians for a territory)
    # headline indicators whose sources do not cover the place (Île-de-France files, issue #11)
    uncovered: tuple[str, ...] = ()
    lang: str = "fr"  # « en »: every text in English (``?lang=en``)
    base_url: str = ""  # the app's address (``request.url_root``): the printed links work outside it

    @property
    def is_commune(self) -> bool:
        return self.place.level == "commune"

    def _t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def name(self) -> str:
        """The place's name in the fiche's language (« Greater Paris Metropolis »)."""
        return place_name(self.place) if self.lang == "en" else self.place.name

    def ref_name(self, ref: Place) -> str:
        return place_name(ref) if self.lang == "en" else ref.name

    @property
    def kind(self) -> str:
        """« communale » or « territoriale » (``title``: « … — fiche communale »)."""
        return self._t("fiche.kind_lower." + ("commune" if self.is_commune else "territory"))

    @property
    def heading(self) -> str:
        """« Fiche communale » (« Commune profile »): the header's second line."""
        return self._t("fiche.kind." + ("commune" if self.is_commune else "territory"))

    @property
    def title(self) -> str:
        """The document's title (metadata): « Vitry-sur-Seine — fiche communale »."""
        return self._t("fiche.doc_title", name=self.name, kind=self.kind)

    @property
    def href(self) -> str:
        """The fiche's path (``exports.routes``), without the language."""
        return fiche_path(self.place.code, self.is_commune)

    @property
    def link(self) -> str:
        """The permanent link printed on the fiche: absolute when the app's address is known,
        with ``?lang=en`` for an English fiche (a reader outside the app can open it)."""
        query = "?" + urlencode({"lang": "en"}) if self.lang == "en" else ""
        return self.base_url.rstrip("/") + self.href + query

    def absolute(self, path: str) -> str:
        """``path`` (« /explication?… ») on the app's address."""
        return self.base_url.rstrip("/") + path

    @property
    def subject(self) -> str:
        """The PDF's subject (metadata)."""
        if self.is_commune and self.place.ept:
            return self._t("fiche.subject_commune")
        names = [self.ref_name(r) for r in self.references]
        return self._t("fiche.subject_refs", names=", ".join(names)) if names else self._t("fiche.subject")

    def _territory_of(self, ept: str) -> str:
        return t("deck.territory_bar", self.lang, name=ept)

    def ident(self) -> str:
        """The header's identity line: code, department(s), territory, metropolis."""
        ept = next((r.name for r in self.references if r.level == "ept"), "")
        if self.is_commune:
            parts = [
                self._t("fiche.insee_code", code=self.place.code),
                self.department,
                self._territory_of(ept) if ept else "",
            ]
        else:
            n = len(self.territory)
            what = {"ept": self._t("fiche.ept", code=self.place.code), "mgp": ""}
            count = self._t("fiche.communes", n=n) if n > 1 else self._t("fiche.one_commune")
            parts = [what.get(self.place.level, ""), count, self.department]
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            parts.append(next((r.name for r in self.references if r.level == "epci"), ""))
        elif self.place.level not in ("mgp", "epci"):
            parts.append(self._t("fiche.mgp"))
        return " · ".join(x for x in parts if x)

    def map_styles(self) -> MapStyles:
        """Fill, stroke and line width per shape code, drawn in this order (``exports.svg``)."""
        styles: MapStyles = {code: (CONTEXT_FILL, "#FFFFFF", 0.4) for code in self.context}
        if self.is_commune:
            styles.update({code: (TERRITORY_FILL, "#FFFFFF", 0.4) for code in self.territory})
            styles[self.place.code] = (FOCUS_FILL, "#FFFFFF", 0.5)
            styles[self.place.ept or config.home().code] = (None, ROLE_COLORS["territory"], 1.1)
            return styles
        # the metropolis: its communes faint, its 12 territories' limits bold
        thin = 0.15 if self.outlines else 0.3
        styles.update({code: (FOCUS_FILL, "#FFFFFF", thin) for code in self.territory})
        styles.update({code: (None, "#FFFFFF", 1.2) for code in self.outlines})
        if self.place.code in self.shapes:  # a group has no shape of its own: its communes show it
            styles[self.place.code] = (None, ROLE_COLORS["territory"], 1.1)
        return styles

    def map_legend(self) -> list[tuple[str, str]]:
        """(colour, label) of the map's keys."""
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            epci = next((r.name for r in self.references if r.level == "epci"), "")
            return [(FOCUS_FILL, self.name), (TERRITORY_FILL, epci), (CONTEXT_FILL, self.department)]
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            return [
                (FOCUS_FILL, self.name),
                (TERRITORY_FILL, self._territory_of(ept) if ept else self._t("fiche.territory")),
                (CONTEXT_FILL, self._t("fiche.mgp")),
            ]
        if self.place.level == "mgp":
            return [(FOCUS_FILL, self._t("fiche.legend_mgp", n=len(self.territory)))]
        around = self._t("fiche.mgp") if self.place.level != "epci" else self.department
        return [(FOCUS_FILL, self.name), (CONTEXT_FILL, around)]

    def map_alt(self) -> str:
        """The map's alternative text."""
        name = self.name
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            default = self._t("fiche.alt_epci_default")
            epci = next((r.name for r in self.references if r.level == "epci"), default)
            return self._t("fiche.alt_elsewhere", place=name, epci=epci, department=self.department)
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            if ept:
                return self._t("fiche.alt_commune", place=name, ept=ept)
            return self._t("fiche.alt_commune_noept", place=name)
        if self.place.level == "mgp":
            return self._t("fiche.alt_mgp", n=len(self.territory))
        if self.place.level == "epci":
            return self._t("fiche.alt_epci", place=name, department=self.department)
        return self._t("fiche.alt_territory", place=name)


def fiche_path(code: str, commune: bool) -> str:
    """``/export/commune/94081.pdf`` or ``/export/territoire/T12.pdf``."""
    return f"/export/{'commune' if commune else 'territoire'}/{code}.pdf"


def _section_ids(lang: str = "fr") -> list[tuple[str, tuple[str, ...]]]:
    """The table's sections: the catalogue's headline indicators by theme, themes and rows in the
    declared headline order (employment, unemployment, housing and incomes first)."""
    out = []
    for theme in ind_api.headline_themes():
        ids = ind_api.headlines(theme)
        if ids:
            found = ind_api.themes()[theme]
            out.append((found.label_en if lang == "en" else found.label_fr, ids))
    return out


def label_of(f: Facts, lang: str) -> str:
    """The indicator's label in ``lang``."""
    return f.indicator.label_en if lang == "en" else f.indicator.label_fr


def _touched(terr: Territories, members: tuple[str, ...]) -> list[str]:
    """The departments with communes among ``members``, most members first."""
    mine = set(members)
    counts = {d: len(mine & set(terr.communes_of(d))) for d in terr.codes("departement")}
    return sorted((d for d, n in counts.items() if n), key=lambda d: (-counts[d], d))


def _departments(terr: Territories, members: tuple[str, ...]) -> list[str]:
    """The reference departments of ``members``: those covered whole if any (the MGP: Paris and
    the inner ring), else those touched, most members first (GOSB: Val-de-Marne, Essonne)."""
    mine, touched = set(members), _touched(terr, members)
    whole = [d for d in sorted(touched) if set(terr.communes_of(d)) <= mine]
    return whole or touched[:MAX_DEPARTMENTS]


def _territory_references(engine: sa.Engine, focus: Place, terr: Territories) -> list[Place]:
    """An EPT or a group: the MGP and its department(s); the home: its configured references;
    the MGP: the departments it covers whole. A reference equal to the place is dropped (Paris)."""
    mine = data.home(engine)
    if focus.code == mine.code:
        codes = list(mine.references)
    else:
        codes = [] if focus.level == "mgp" else [data.MGP]
        codes += _departments(terr, focus.members)
    # read as plain places: a department is not a presentation territory (``data.place``)
    out = [Place(t.code, t.name, t.level, tuple(t.members)) for t in map(terr.resolve, codes)]
    return [p for p in out if set(p.members) != set(focus.members)]


def _department_text(terr: Territories, codes: list[str]) -> str:
    """« Val-de-Marne (94), Essonne (91) »."""
    return ", ".join(f"{terr.names.get(d, d)} ({d[1:]})" for d in codes)


def profile(
    engine: sa.Engine,
    code: str,
    levels: tuple[str, ...] = COMMUNE_LEVELS,
    lang: str = "fr",
    base_url: str = "",
) -> Profile:
    """Read the fiche of ``code``: a commune of the MGP (``COMMUNE_LEVELS``) or a territory
    (``TERRITORY_LEVELS``); ``ChoiceError(unknown=True)`` (HTTP 404) for any other place.
    ``lang``: « fr » or « en »; ``base_url``: the app's address, for the printed links."""
    lang = "en" if lang == "en" else "fr"
    focus = data.place(engine, code)
    terr = ind_api.territories(engine)
    if focus.level not in levels:
        kind = "une commune" if "commune" in levels else "un territoire de la Métropole"
        # the other fiche, when the place has one (a commune asked as a territory, or the reverse)
        other = focus.level == "commune" or focus.level in TERRITORY_LEVELS
        hint = f" ; sa fiche : {fiche_path(focus.code, focus.level == 'commune')}" if other else ""
        raise ChoiceError(f"{focus.name} ({focus.code}) n'est pas {kind}{hint}", unknown=True)
    commune = focus.level == "commune"
    refs = data.references(engine, focus) if commune else _territory_references(engine, focus, terr)
    sections = tuple(
        (title, tuple(data.gather(engine, focus, i, refs, with_peers=False) for i in ids))
        for title, ids in _section_ids(lang)
    )
    omitted: tuple[str, ...] = ()
    # sources that do not cover the place (Île-de-France files for a home elsewhere, issue #11):
    # no row of « non couvert », the indicators named once under the table
    gone = {f.indicator.id for _, fs in sections for f in fs if _not_covered(f)}
    uncovered = tuple(label_of(f, lang) for _, fs in sections for f in fs if f.indicator.id in gone)
    sections = tuple(
        (t, kept) for t, fs in sections if (kept := tuple(f for f in fs if f.indicator.id not in gone))
    )
    if not commune:  # medians and published rates do not add up: no value in any column, no row
        empty = {f.indicator.id for _, fs in sections for f in fs if _not_computable(f)}
        omitted = tuple(label_of(f, lang) for _, fs in sections for f in fs if f.indicator.id in empty)
        sections = tuple(
            (title, kept)
            for title, fs in sections
            if (kept := tuple(f for f in fs if f.indicator.id not in empty))
        )
    facts = {f.indicator.id: f for _, fs in sections for f in fs}
    shown = [i for i in ind_api.headlines() if i in facts and facts[i].focus.shown]
    highlights = tuple(key_message(facts[i], lang) for i in shown[:N_HIGHLIGHTS])
    credits = tuple({c.source_id: c for _, fs in sections for f in fs for c in f.credits}.values())
    context = tuple(terr.communes_of(data.MGP))
    if commune and not focus.ept:  # a commune of a home elsewhere: its department around it
        context = tuple(terr.communes_of("D" + focus.code[:2]))
    if commune:
        group = focus.ept or data.home(engine).code  # its territory; the home for its communes elsewhere
        territory, outlines = tuple(terr.communes_of(group)), (group,)
    else:
        territory = focus.members
        outlines = data.EPTS if focus.level == "mgp" else ()
        # a home outside the metropolis: its communes and its neighbours' (its departments) around
        if focus.level == "epci":
            context = tuple(c for r in refs if r.level == "departement" for c in r.members)
    shapes = data.geometries(engine, [*context, *territory, *outlines, focus.code, data.MGP])
    geo = ind_api.sources(engine, [MAP_CREDIT_SOURCE])
    # The credit may start with « Source : » like the statistical ones; the map says what it credits.
    credit = (geo[0].get("credit_en") if lang == "en" else None) or (geo[0]["credit_fr"] if geo else "")
    base = re.sub(r"^Sources?\s*:\s*", "", credit or "")
    map_credit = t("fiche.base_map", lang, credit=base) if base else ""
    if commune:
        dep = "D" + focus.code[:2]
        department = f"{terr.names.get(dep, dep)} ({focus.code[:2]})"
    else:
        department = _department_text(terr, _touched(terr, focus.members))
    return Profile(
        focus,
        tuple(refs),
        department,
        sections,
        highlights,
        credits,
        map_credit,
        shapes,
        context,
        territory,
        data.data_date(engine, lang),
        tuple(outlines) if not commune else (),
        omitted,
        uncovered,
        lang,
        base_url,
    )


def _not_covered(f: Facts) -> bool:
    """No value in any column because the source of every vintage covers none of these places
    (``exports.data`` falls back on such a vintage only when none covers them)."""
    if any(r.shown for r in (f.focus, *f.references)):
        return False
    # elsewhere, a rate on such a file is « missing » (no numerator) rather than « not covered »
    return f.focus.status == "not_covered" or (
        f.focus.status == "missing" and not config.home().in_metropolis
    )


def _not_computable(f: Facts) -> bool:
    """No value in any column because the place is a sum of communes (a median, a published rate)."""
    readings = (f.focus, *f.references)
    return f.focus.status == "not_aggregable" and not any(r.shown for r in readings)
