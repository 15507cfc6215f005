"""Facts for slides and commune profiles, read through the ``indicators`` facade.

The only module of ``exports`` that reads the store. For a place it decides what a slide
compares (the references named in the key message, the peers drawn in the chart):

The home is the territory of ``observatoire.yaml`` (``indicators.home``; GOSB by default).

==================  =============================  ===================================
focus               references                     peers (chart)
==================  =============================  ===================================
MGP commune         its territory, MGP             the communes of its territory
Paris arrondissement Paris (T1), MGP               the 20 arrondissements
the home (T…)       MGP                            the 12 territories
other territory     the home, MGP                  the 12 territories
MGP                 —                              the 12 territories
custom group        the home, MGP                  its communes
home outside MGP    its department(s), its region  the EPCIs of its region (its peers)
its communes        the home, its references       the home's communes
==================  =============================  ===================================

A change over time (``Facts.earlier``) is measured from ``indicators.evolution.comparable_year``
(the rule the web profile uses too).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa

import indicators as ind_api
from exports.deck import Deck, build_deck
from exports.deck_choices import ChoiceError, Choices
from exports.grammar_en import MONTHS as MONTHS_EN
from exports.messages_en import by_commune as shows_communes
from exports.model import Credit, Facts, Place, Reading
from indicators.aggregate import PeriodError
from indicators.catalogue import Indicator
from indicators.evolution import comparable_year
from indicators.geo import Territory, TerritoryError
from indicators.home import home
from indicators.home import peers as home_peers
from indicators.query import store

MGP = "MGP"
EPTS = tuple(f"T{i}" for i in range(1, 13))
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def place(engine: sa.Engine, code: str) -> Place:
    """The place of a territory code (``ChoiceError`` if unknown or outside the metropolis)."""
    terr = ind_api.territories(engine)
    try:
        t = terr.resolve(code)
    except TerritoryError as exc:
        raise ChoiceError(
            f"territoire inconnu : {code}" if exc.unknown else str(exc), unknown=exc.unknown
        ) from None
    ept = next((e for e in EPTS if t.code in terr.members.get(e, ())), None)
    mine = home(engine)
    if t.level == "commune" and ept is None and t.code not in mine.members:
        raise ChoiceError(
            f"{t.name} ({t.code}) n'est pas une commune de la Métropole du Grand Paris", unknown=True
        )
    if t.level == "arrondissement" and not t.code.startswith("751"):
        raise ChoiceError(f"{t.name} ({t.code}) n'est pas dans la Métropole du Grand Paris", unknown=True)
    # a home outside the metropolis (issue #11): itself, and its department(s) and region as references
    outside = t.code in (mine.code, *mine.references) and t.level in ("epci", "departement", "region")
    if t.level not in ("commune", "arrondissement", "ept", "mgp", "group") and not outside:
        raise ChoiceError(f"territoire non proposé en présentation : {t.name} ({t.code})", unknown=True)
    names = tuple(terr.names.get(m, m) for m in t.members) if t.level == "group" else ()
    return Place(t.code, t.name, t.level, tuple(t.members), names, ept)


def references(engine: sa.Engine, focus: Place) -> list[Place]:
    """Comparison places of ``focus`` (see the module table)."""
    mine = home(engine)
    beyond = [MGP] if mine.in_metropolis else list(mine.references)  # what the home is compared with
    if focus.level == "commune":
        codes = [focus.ept, MGP] if focus.ept else [mine.code, *beyond]
    elif focus.level == "arrondissement":
        codes = ["T1", MGP]
    elif focus.level == "ept":
        codes = [MGP] if focus.code == mine.code else [mine.code, MGP]
    elif focus.level == "epci" and focus.code == mine.code:
        codes = beyond
    elif focus.level == "group":
        codes = [mine.code, *beyond]
    else:
        codes = []
    out = [place(engine, c) for c in codes]
    # Paris is both a commune and territory T1: comparing it with itself says nothing.
    return [p for p in out if set(p.members) != set(focus.members or (focus.code,))]


def peers(engine: sa.Engine, focus: Place) -> list[str]:
    """Codes of the other bars of the chart (see the module table)."""
    terr = ind_api.territories(engine)
    if focus.level == "commune":
        return list(terr.communes_of(focus.ept or home(engine).code))
    if focus.level == "arrondissement":
        return terr.codes("arrondissement")
    if focus.level in ("ept", "mgp"):
        return list(EPTS)
    if focus.level == "epci" and focus.code == home(engine).code:
        # a home outside the metropolis is ranked among its peers (the EPCIs of its region, as the
        # pages and API ``level=peers`` do), not among its own communes (review R2.3)
        return list(home_peers(engine))
    if focus.level in ("group", "epci"):
        return list(focus.members)
    return []


def _credits(engine: sa.Engine, source_ids: list[str]) -> tuple[Credit, ...]:
    rows = ind_api.sources(engine, list(dict.fromkeys(source_ids)))
    return tuple(
        Credit(
            r["id"],
            r["producer"],
            r["dataset"],
            r["vintage"],
            r["licence"],
            r["credit_fr"],
            r.get("page_url") or "",
            r.get("licence_url") or "",
            r.get("credit_en") or "",
        )
        for r in rows
    )


def _denominator_year(row: Any) -> int | None:
    year = row.get("denominator_year")
    return None if year is None or pd.isna(year) else int(year)


def _latest(engine: sa.Engine, ind: Indicator, codes: list[str], year: int | None = None) -> pd.DataFrame:
    """``values`` at ``year``, or at the latest vintage that has a value for these places: a
    vintage whose source covers none of them (an Île-de-France file for a home elsewhere, issue
    #11; for such a home, any vintage without a value) is skipped, unless no vintage has one."""
    if year is not None:
        return ind_api.values(engine, ind.id, codes, year)
    error: Exception | None = None
    uncovered = None
    for year in sorted(ind.years, reverse=True):
        try:
            frame = ind_api.values(engine, ind.id, codes, year)
        except PeriodError as exc:
            error = exc
            continue
        status = frame["status"] if "status" in frame else pd.Series("", index=frame.index)
        gone = bool((status == "not_covered").all())
        if not home(engine).in_metropolis:  # a rate on an Île-de-France file is « missing » there
            gone = gone or bool(status.isin(["not_covered", "missing"]).all())
        if gone:
            uncovered = frame if uncovered is None else uncovered
            continue
        return frame
    if uncovered is not None:
        return uncovered
    raise error or PeriodError(f"{ind.id}: no data")


def _plain(t: Territory) -> Place:
    return Place(t.code, t.name, t.level, tuple(t.members))


def _reading(row: Any, where: Place) -> Reading:
    value = None if pd.isna(row["value"]) else float(row["value"])
    method = str(row.get("method") or "")
    year = None if pd.isna(row.get("year")) else int(row["year"])
    return Reading(
        where, value, str(row["status"]), int(row["n_members"]), int(row["n_covered"]), method, year
    )


def earlier_year(ind: Indicator, year: int) -> int | None:
    """The vintage a change is measured from (the rule shared with the web profile), or None."""
    return comparable_year(ind, year)


def gather(
    engine: sa.Engine,
    focus: Place,
    indicator_id: str,
    refs: list[Place] | None = None,
    with_peers: bool = True,
    year: int | None = None,
    peer_codes: list[str] | None = None,
) -> Facts:
    """The facts of one indicator slide for ``focus`` (``year``, default the latest with data).

    ``peer_codes`` replaces the default peers (the chart route draws the places asked for).
    ``PeriodError`` only when an explicit ``year`` has no data.
    """
    ind = ind_api.with_vintages(engine, indicator_id)  # vintages read from the store
    refs = references(engine, focus) if refs is None else refs
    if peer_codes is None:
        peer_codes = peers(engine, focus) if with_peers else []
    codes = list(dict.fromkeys([focus.code, *(r.code for r in refs), *peer_codes]))
    try:
        frame = _latest(engine, ind, codes, year)
    except PeriodError:
        if year is not None:
            raise
        return Facts(
            ind, ind.latest_year, Reading(focus, None, "missing"), credits=_credits(engine, list(ind.sources))
        )
    rows = {r["code"]: r for _, r in frame.iterrows()}
    year, month = int(frame["year"].iloc[0]), int(frame["month"].iloc[0])
    terr = ind_api.territories(engine)
    by_code = {focus.code: focus, **{r.code: r for r in refs}}
    peer_readings = tuple(
        _reading(rows[c], by_code.get(c) or _plain(terr.resolve(c))) for c in peer_codes if c in rows
    )
    y0 = earlier_year(ind, year)
    earlier = None
    if y0 is not None:
        try:
            old = ind_api.values(engine, ind.id, [focus.code], y0)
            earlier = _reading(old.iloc[0], focus)
        except PeriodError:
            y0 = None
    used = [s for s in str(frame["sources"].iloc[0]).split(",") if s] or list(ind.sources)
    return Facts(
        ind,
        year,
        _reading(rows[focus.code], focus),
        month=month,
        base_year=ind.formula.base_year(year),
        references=tuple(_reading(rows[r.code], r) for r in refs if r.code in rows),
        peers=peer_readings,
        earlier=earlier,
        earlier_year=y0,
        credits=_credits(engine, used),
        denominator_year=_denominator_year(rows[focus.code]),
    )


def data_date(engine: sa.Engine, lang: str = "fr") -> str:
    """« 27 novembre 2025 » (« 27 November 2025 »): when the data were loaded (latest ETL run)."""
    when = store(engine).loaded_at()
    if when is None:
        return ""
    months = MONTHS_EN if lang == "en" else MONTHS_FR
    return f"{when.day} {months[when.month - 1]} {when.year}"


def by_commune(engine: sa.Engine, focus: Place, facts: Facts, refs: list[Place]) -> Facts:
    """An indicator that cannot be computed for a territory or group (a published median, mean or
    rate, no published value loaded for it): its slide shows the member communes instead."""
    if facts.focus.shown or facts.focus.status != "not_aggregable" or len(focus.members) < 2:
        return facts
    if {p.place.code for p in facts.peers} <= set(focus.members):  # a group: its communes already
        return facts
    return gather(engine, focus, facts.indicator.id, refs, year=facts.year, peer_codes=list(focus.members))


def deck_facts(engine: sa.Engine, choices: Choices) -> tuple[Place, list[Facts], tuple[str, ...]]:
    """The place, the facts of its indicator slides and the indicators left out: a ready-made
    (theme) deck skips those with no value for the place nor for any of its communes (review R1.1);
    a list chosen one by one keeps them all (the slide says why there is no value)."""
    focus = place(engine, choices.territory)
    refs = references(engine, focus)
    facts = [by_commune(engine, focus, gather(engine, focus, i, refs), refs) for i in choices.indicators]
    if not choices.preset:
        return focus, facts, ()
    kept = [f for f in facts if f.focus.shown or shows_communes(f)]
    if not kept:  # nothing to show at all: keep the slides that say why
        return focus, facts, ()
    return focus, kept, tuple(f.indicator.id for f in facts if not (f.focus.shown or shows_communes(f)))


def deck(engine: sa.Engine, choices: Choices, base_url: str = "") -> Deck:
    """The whole deck for ``choices`` (``ChoiceError`` for an unknown territory); ``base_url``: the
    app's address (``request.url_root``), so that links printed in files work outside the app."""
    focus, facts, left = deck_facts(engine, choices)
    return build_deck(
        choices, focus, facts, data_date(engine, choices.lang), left_out=left, base_url=base_url
    )


def geometries(engine: sa.Engine, codes: list[str]) -> dict[str, dict[str, Any]]:
    """GeoJSON geometries (2025 map) of ``codes`` (locator maps), from the data provider."""
    return store(engine).geometries(codes)
