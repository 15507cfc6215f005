"""The data of a place's profile (« fiche communale » or « fiche territoriale »): what
``exports.fiche`` prints.

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

import sqlalchemy as sa

import config
import indicators as ind_api
from exports import data
from exports.charts import COLOURS
from exports.deck import ChoiceError
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

    @property
    def is_commune(self) -> bool:
        return self.place.level == "commune"

    @property
    def kind(self) -> str:
        """« communale » or « territoriale » (titles: « Fiche communale »)."""
        return "communale" if self.is_commune else "territoriale"

    @property
    def href(self) -> str:
        """The fiche's permanent link (``exports.routes``)."""
        return fiche_path(self.place.code, self.is_commune)

    @property
    def subject(self) -> str:
        """The PDF's subject (metadata)."""
        if self.is_commune and self.place.ept:
            return "Chiffres clés comparés au territoire et à la Métropole"
        names = [r.name for r in self.references]
        return "Chiffres clés" + (f" comparés à : {', '.join(names)}" if names else "")

    def ident(self) -> str:
        """The header's identity line: code, department(s), territory, metropolis."""
        ept = next((r.name for r in self.references if r.level == "ept"), "")
        if self.is_commune:
            parts = [f"Code Insee {self.place.code}", self.department, f"Territoire {ept}" if ept else ""]
        else:
            n = len(self.territory)
            what = {"ept": f"Établissement public territorial {self.place.code}", "mgp": ""}
            parts = [what.get(self.place.level, ""), f"{n} commune{'s' * (n > 1)}", self.department]
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            parts.append(next((r.name for r in self.references if r.level == "epci"), ""))
        elif self.place.level not in ("mgp", "epci"):
            parts.append("Métropole du Grand Paris")
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
            return [(FOCUS_FILL, self.place.name), (TERRITORY_FILL, epci), (CONTEXT_FILL, self.department)]
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            return [
                (FOCUS_FILL, self.place.name),
                (TERRITORY_FILL, f"Territoire {ept}" if ept else "Territoire"),
                (CONTEXT_FILL, "Métropole du Grand Paris"),
            ]
        if self.place.level == "mgp":
            return [(FOCUS_FILL, f"Les {len(self.territory)} communes (limites : les 12 territoires)")]
        around = "Métropole du Grand Paris" if self.place.level != "epci" else self.department
        return [(FOCUS_FILL, self.place.name), (CONTEXT_FILL, around)]

    def map_alt(self) -> str:
        """The map's alternative text."""
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            epci = next((r.name for r in self.references if r.level == "epci"), "son intercommunalité")
            return f"Carte de situation : {self.place.name} dans {epci}, {self.department}."
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            where = f"dans le territoire {ept}" if ept else "dans son territoire"
            return f"Carte de situation : {self.place.name} {where}, au sein de la Métropole du Grand Paris."
        if self.place.level == "mgp":
            return (
                f"Carte de situation : les {len(self.territory)} communes de la Métropole du Grand Paris "
                "et les limites de ses 12 territoires."
            )
        if self.place.level == "epci":
            return f"Carte de situation : {self.place.name} dans son département ({self.department})."
        return f"Carte de situation : {self.place.name} au sein de la Métropole du Grand Paris."


def fiche_path(code: str, commune: bool) -> str:
    """``/export/commune/94081.pdf`` or ``/export/territoire/T12.pdf``."""
    return f"/export/{'commune' if commune else 'territoire'}/{code}.pdf"


def _section_ids() -> list[tuple[str, tuple[str, ...]]]:
    """The table's sections: the catalogue's headline indicators by theme, themes and rows in the
    declared headline order (employment, unemployment, housing and incomes first)."""
    out = []
    for theme in ind_api.headline_themes():
        ids = ind_api.headlines(theme)
        if ids:
            out.append((ind_api.themes()[theme].label_fr, ids))
    return out


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


def profile(engine: sa.Engine, code: str, levels: tuple[str, ...] = COMMUNE_LEVELS) -> Profile:
    """Read the fiche of ``code``: a commune of the MGP (``COMMUNE_LEVELS``) or a territory
    (``TERRITORY_LEVELS``); ``ChoiceError(unknown=True)`` (HTTP 404) for any other place."""
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
        for title, ids in _section_ids()
    )
    omitted: tuple[str, ...] = ()
    # sources that do not cover the place (Île-de-France files for a home elsewhere, issue #11):
    # no row of « non couvert », the indicators named once under the table
    gone = {f.indicator.id for _, fs in sections for f in fs if _not_covered(f)}
    uncovered = tuple(f.indicator.label_fr for _, fs in sections for f in fs if f.indicator.id in gone)
    sections = tuple(
        (t, kept) for t, fs in sections if (kept := tuple(f for f in fs if f.indicator.id not in gone))
    )
    if not commune:  # medians and published rates do not add up: no value in any column, no row
        empty = {f.indicator.id for _, fs in sections for f in fs if _not_computable(f)}
        omitted = tuple(f.indicator.label_fr for _, fs in sections for f in fs if f.indicator.id in empty)
        sections = tuple(
            (title, kept)
            for title, fs in sections
            if (kept := tuple(f for f in fs if f.indicator.id not in empty))
        )
    facts = {f.indicator.id: f for _, fs in sections for f in fs}
    shown = [i for i in ind_api.headlines() if i in facts and facts[i].focus.shown]
    highlights = tuple(key_message(facts[i]) for i in shown[:N_HIGHLIGHTS])
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
    base = re.sub(r"^Sources?\s*:\s*", "", geo[0]["credit_fr"]) if geo else ""
    map_credit = f"Fond de carte : {base}" if base else ""
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
        data.data_date(engine),
        tuple(outlines) if not commune else (),
        omitted,
        uncovered,
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
