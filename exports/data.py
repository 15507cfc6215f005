"""Facts for slides and commune profiles, read through the ``indicators`` facade.

The only module of ``exports`` that reads the store. For a place it decides what a slide
compares (the references named in the key message, the peers drawn in the chart):

==================  =============================  ===================================
focus               references                     peers (chart)
==================  =============================  ===================================
GOSB commune        GOSB (T12), MGP                the 24 GOSB communes
other MGP commune   its territory, MGP             the communes of its territory
Paris arrondissement Paris (T1), MGP               the 20 arrondissements
GOSB (T12)          MGP                            the 12 territories
other territory     GOSB, MGP                      the 12 territories
MGP                 —                              the 12 territories
custom group        GOSB, MGP                      its communes
==================  =============================  ===================================

A change over time (``Facts.earlier``) is read only from a vintage at least 5 years earlier
(census guidance), or for non-census data from the earliest declared year.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

import indicators as ind_api
from etl.store.schema import territory_geometry
from exports.deck import ChoiceError, Choices, Deck, build_deck
from exports.model import Credit, Facts, Place, Reading
from indicators.aggregate import CENSUS_MIN_GAP, PeriodError
from indicators.catalogue import Indicator
from indicators.geo import GEO_VINTAGE, Territory, TerritoryError
from indicators.query import store

GOSB, MGP = "T12", "MGP"
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
_geo_lock = threading.Lock()
_geo_cache: dict[Any, dict[str, Any]] = {}


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
    if t.level == "commune" and ept is None:
        raise ChoiceError(
            f"{t.name} ({t.code}) n'est pas une commune de la Métropole du Grand Paris", unknown=True
        )
    if t.level == "arrondissement" and not t.code.startswith("751"):
        raise ChoiceError(f"{t.name} ({t.code}) n'est pas dans la Métropole du Grand Paris", unknown=True)
    if t.level not in ("commune", "arrondissement", "ept", "mgp", "group"):
        raise ChoiceError(f"territoire non proposé en présentation : {t.name} ({t.code})", unknown=True)
    names = tuple(terr.names.get(m, m) for m in t.members) if t.level == "group" else ()
    return Place(t.code, t.name, t.level, tuple(t.members), names, ept)


def references(engine: sa.Engine, focus: Place) -> list[Place]:
    """Comparison places of ``focus`` (see the module table)."""
    if focus.level == "commune":
        codes = [focus.ept or GOSB, MGP]
    elif focus.level == "arrondissement":
        codes = ["T1", MGP]
    elif focus.level == "ept":
        codes = [MGP] if focus.code == GOSB else [GOSB, MGP]
    elif focus.level == "group":
        codes = [GOSB, MGP]
    else:
        codes = []
    out = [place(engine, c) for c in codes]
    # Paris is both a commune and territory T1: comparing it with itself says nothing.
    return [p for p in out if set(p.members) != set(focus.members or (focus.code,))]


def peers(engine: sa.Engine, focus: Place) -> list[str]:
    """Codes of the other bars of the chart (see the module table)."""
    terr = ind_api.territories(engine)
    if focus.level == "commune":
        return list(terr.communes_of(focus.ept or GOSB))
    if focus.level == "arrondissement":
        return terr.codes("arrondissement")
    if focus.level in ("ept", "mgp"):
        return list(EPTS)
    if focus.level == "group":
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
        )
        for r in rows
    )


def _latest(engine: sa.Engine, ind: Indicator, codes: list[str], year: int | None = None) -> pd.DataFrame:
    """``values`` at ``year``, or at the latest declared year that has data (later years may be absent)."""
    if year is not None:
        return ind_api.values(engine, ind.id, codes, year)
    error: Exception | None = None
    for year in sorted(ind.years, reverse=True):
        try:
            return ind_api.values(engine, ind.id, codes, year)
        except PeriodError as exc:
            error = exc
    raise error or PeriodError(f"{ind.id}: no data")


def _plain(t: Territory) -> Place:
    return Place(t.code, t.name, t.level, tuple(t.members))


def _reading(row: Any, where: Place) -> Reading:
    value = None if pd.isna(row["value"]) else float(row["value"])
    return Reading(where, value, str(row["status"]), int(row["n_members"]), int(row["n_covered"]))


def earlier_year(ind: Indicator, year: int) -> int | None:
    """The vintage a change is measured from (see the module docstring), or None."""
    if ind.formula.kind == "change" or ind.months:
        return None
    before = [y for y in ind.years if y <= year - CENSUS_MIN_GAP]
    if before:
        return max(before)
    older = [y for y in ind.years if y < year]
    return min(older) if older and not ind.census else None


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
    ind = ind_api.get_indicator(indicator_id)
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
    )


def data_date(engine: sa.Engine) -> str:
    """« 27 novembre 2025 »: when the data were loaded (latest ETL run)."""
    version = store(engine).version()
    when = version[2] if len(version) > 2 else None
    if not isinstance(when, datetime):
        return ""
    return f"{when.day} {MONTHS_FR[when.month - 1]} {when.year}"


def deck(engine: sa.Engine, choices: Choices) -> Deck:
    """The whole deck for ``choices`` (``ChoiceError`` for an unknown territory)."""
    focus = place(engine, choices.territory)
    refs = references(engine, focus)
    facts = [gather(engine, focus, i, refs) for i in choices.indicators]
    return build_deck(choices, focus, facts, data_date(engine))


def geometries(engine: sa.Engine, codes: list[str]) -> dict[str, dict[str, Any]]:
    """GeoJSON geometries (2025 map) of ``codes``, cached per data version (locator maps)."""
    key = store(engine).version()
    with _geo_lock:
        cache = _geo_cache.setdefault(key, {})
        if len(_geo_cache) > 2:  # keep only the current data version
            for other in [k for k in _geo_cache if k != key]:
                del _geo_cache[other]
    missing = [c for c in codes if c not in cache]
    if missing:
        t = territory_geometry.c
        query = sa.select(t.code, t.geojson).where(t.geo_vintage == GEO_VINTAGE, t.code.in_(missing))
        with engine.connect() as conn:
            for code, text in conn.execute(query).all():
                geom = json.loads(text)
                cache[code] = geom.get("geometry", geom) if geom.get("type") == "Feature" else geom
    return {c: cache[c] for c in codes if c in cache}
