"""The data of a commune profile (« fiche communale »): what ``exports.fiche`` prints.

For a commune of the MGP: key figures theme by theme (compared with its territory — GOSB for
its 24 communes — and the MGP), the key messages, the sources, and the shapes of the locator
map. Read through ``exports.data`` (the ``indicators`` facade); nothing is drawn here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

import indicators as ind_api
from exports import data
from exports.deck import ChoiceError
from exports.messages import key_message
from exports.model import Credit, Facts, Place

N_HIGHLIGHTS = 4  # key messages of page 1 (as many as fit are drawn)
MAP_CREDIT_SOURCE = "ign_communes_2018"


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


def _section_ids() -> list[tuple[str, tuple[str, ...]]]:
    """The table's sections: the catalogue's headline indicators by theme, themes and rows in the
    declared headline order (employment, unemployment, housing and incomes first)."""
    out = []
    for theme in ind_api.headline_themes():
        ids = ind_api.headlines(theme)
        if ids:
            out.append((ind_api.themes()[theme].label_fr, ids))
    return out


def profile(engine: sa.Engine, code: str) -> Profile:
    """Read the fiche of commune ``code`` (``ChoiceError`` if it is not a commune of the MGP)."""
    focus = data.place(engine, code)
    if focus.level != "commune":
        raise ChoiceError(f"{focus.name} ({focus.code}) n'est pas une commune", unknown=True)
    refs = data.references(engine, focus)
    sections = tuple(
        (title, tuple(data.gather(engine, focus, i, refs, with_peers=False) for i in ids))
        for title, ids in _section_ids()
    )
    facts = {f.indicator.id: f for _, fs in sections for f in fs}
    shown = [i for i in ind_api.headlines() if i in facts and facts[i].focus.shown]
    highlights = tuple(key_message(facts[i]) for i in shown[:N_HIGHLIGHTS])
    credits = tuple({c.source_id: c for _, fs in sections for f in fs for c in f.credits}.values())
    terr = ind_api.territories(engine)
    group = focus.ept or data.home(engine).code  # its territory; the home for its communes elsewhere
    territory = tuple(terr.communes_of(group))
    context = tuple(terr.communes_of("MGP"))
    shapes = data.geometries(engine, [*context, group, "MGP"])
    geo = ind_api.sources(engine, [MAP_CREDIT_SOURCE])
    # The credit may start with « Source : » like the statistical ones; the map says what it credits.
    base = re.sub(r"^Sources?\s*:\s*", "", geo[0]["credit_fr"]) if geo else ""
    map_credit = f"Fond de carte : {base}" if base else ""
    dep = "D" + code[:2]
    return Profile(
        focus,
        tuple(refs),
        f"{terr.names.get(dep, dep)} ({code[:2]})",
        sections,
        highlights,
        credits,
        map_credit,
        shapes,
        context,
        territory,
        data.data_date(engine),
    )
