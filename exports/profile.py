"""Reading a place's profile (« fiche communale » or « fiche territoriale ») from the store: what
``exports.fiche`` and ``exports.fiche_html`` print.

In French, or in English with ``lang="en"`` (``?lang=en``, as the deck): every text the fiche
prints is built here, in ``exports.profile_model`` or in ``exports.fiche_content`` from
``config/texts/fiche.yaml`` and the English sentences of ``exports.messages_en``.

For a commune of the MGP: key figures theme by theme (compared with its territory — GOSB for
its 24 communes — and the MGP). For a territory (an EPT, the home, the MGP or a group of
communes): the same figures compared with the MGP and its department(s) (the home: its configured
references; the MGP: the departments it covers whole). Also the key messages, the sources, and
the shapes and styles of the locator map. Read through ``exports.data`` (the ``indicators``
facade); nothing is drawn here.

The record itself and its texts are ``exports.profile_model``'s.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

import config
import indicators as ind_api
from config.texts import t
from exports import data
from exports.deck_choices import ChoiceError
from exports.messages import key_message
from exports.model import Facts, Place
from exports.profile_model import Profile, fiche_path, label_of
from indicators import coverage
from indicators.geo import Territories
from layouts.i18n import norm_lang

N_HIGHLIGHTS = 4  # key messages of page 1 (as many as fit are drawn)
MAP_CREDIT_SOURCE = "ign_communes_2018"
#: Levels of each fiche: the commune route, the territory route (``exports.routes``).
COMMUNE_LEVELS = ("commune",)
TERRITORY_LEVELS = ("ept", "mgp", "group", "epci")
MAX_DEPARTMENTS = 3  # a group's or territory's department columns (the table must stay one page)


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
    lang = norm_lang(lang)
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
    # census variables absent from the (national 2018) file loaded here: not an Île-de-France limit
    absent = {i for i in gone if coverage.uncovered_area(engine, i, focus.code) == coverage.ABSENT}
    uncovered = tuple(label_of(f, lang) for _, fs in sections for f in fs if f.indicator.id in gone - absent)
    missing = tuple(label_of(f, lang) for _, fs in sections for f in fs if f.indicator.id in absent)
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
    if not any(c in shapes for c in (*territory, focus.code)):  # no map drawn: no base map credited
        map_credit = ""
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
        missing,
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
