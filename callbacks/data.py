"""Thin adapter between the pages and the ``indicators`` facade: the app's engine, labels in the
page language, source credits, commune lookups and search options.

Everything data-related the callbacks need goes through here (one place to adapt if the facade
changes). Territory names come from the store (COG names, with their articles).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pandas as pd

import indicators as ind_api
from callbacks.engine import get_engine
from callbacks.memo import (  # noqa: F401 - re-exported (the app's data cache, issue #12)
    HOST_MARK,
    ON_NEW_VERSION,
    VERSION_TTL,
    cached,
    data_version,
    derived,
    host_url,
    loaded_at,
    memoised,
    reset,
    scope,
)
from figures.base import Measure
from indicators import coverage, credits
from indicators.catalogue import Indicator
from indicators.geo import display_name
from indicators.home import Home, of_name
from indicators.home import home as home_of
from indicators.home import peers as peers_of
from layouts import i18n

MGP = "MGP"
IDF_DEPS = ("75", "91", "92", "93", "94", "95")


def home() -> Home:
    """The configured home territory (``observatoire.yaml``, issue #11) on the app's store: code,
    name, title, short name, members, reference areas (``home().areas``: the overview's columns)."""
    return home_of(get_engine())


def home_words() -> dict[str, object]:
    """The ``{home_…}`` values of ``layouts.i18n`` templates (app title, overview, map scope …),
    built once per data version and home: every text naming the home asks for them."""
    return dict(memoised(("home-words",), _home_words))  # the home is in every memo key


def _home_words() -> dict[str, object]:
    h = home()
    names = territories().names
    inside = h.in_metropolis
    return {
        "home_title_fr": h.title_fr,
        "home_title_en": h.title_en,
        "home_short": h.short,
        "home_name": h.name,
        "home_of_fr": of_name(h.name),
        "home_code": h.code,
        "home_n": len(h.members),
        "home_refs": ", ".join(names.get(c, c) for c in h.references),
        # ``{home_refs}`` in each language (« Greater Paris Metropolis » in English)
        **{f"home_refs_{lg}": ", ".join(name(c, lg) for c in h.references) for lg in ("fr", "en")},
        "home_kind_fr": "territoire de la Métropole du Grand Paris" if inside else "intercommunalité",
        "home_kind_en": "a territory of the Greater Paris Metropolis" if inside else "an intercommunality",
        # its peers (``peers()``): the 12 territories, or the intercommunalities of its region
        "home_region": names.get(h.region or "", h.region or ""),
        "home_n_peers": len(peers()),
    }


def peers() -> list[str]:
    """The home's peers, the home among them (``indicators.home.peers``): the 12 territories of the
    metropolis, or the EPCIs of its region; what pages rank or list as « the territories »."""
    return list(peers_of(get_engine()))


def home_year(ind: Indicator, codes: list[str] | None = None) -> int:
    """The latest vintage of ``ind`` with data for the places shown (default: the home and its
    communes), not the catalogue's latest: 2018 for a home outside Île-de-France on the 2022
    Île-de-France files. The catalogue's latest when no vintage has any (the page then says the
    source does not cover it)."""
    places = tuple(codes or (home().code, *home().members))  # its communes: a median has no sum
    latest = memoised(
        ("home-year", ind.id, places), lambda: coverage.latest_year(get_engine(), ind.id, places)
    )
    return latest if latest is not None and latest in ind.years else ind.latest_year


def home_years(ind: Indicator) -> tuple[int, ...]:
    """The vintages of ``ind`` that pages offer (year menus, URL years): all of them for a home in
    the metropolis (as before); for a home elsewhere, those with a value for the home or one of its
    communes (issue #11: 2018, not the 2022 Île-de-France files), all of them when none has one
    (the page then says the source does not cover it)."""
    h = home()
    if h.in_metropolis:
        return tuple(ind.years)
    places = (h.code, *h.members)
    have = set(
        memoised(
            ("home-years", ind.id, places), lambda: coverage.years_with_data(get_engine(), ind.id, places)
        )
    )
    return tuple(y for y in ind.years if y in have) or tuple(ind.years)


def uncovered(ind: Indicator) -> str | None:
    """``coverage.IDF`` / ``coverage.ELSEWHERE`` when no vintage of ``ind`` has a value for the home
    (its sources do not cover it), else None."""
    code = home().code
    return memoised(("uncovered", ind.id, code), lambda: coverage.uncovered_area(get_engine(), ind.id, code))


i18n.set_home_words(home_words)


DEFAULT_INDICATOR = "unemployment_rate"


def indicator(indicator_id: str | None) -> Indicator:
    """A catalogue entry with its vintages read from the store (``KeyError`` if unknown): a new
    vintage loaded by the ETL or published from the workspace shows without any edit."""
    ind = ind_api.get_indicator(indicator_id or "")
    return memoised(("indicator", ind.id), lambda: ind_api.with_vintages(get_engine(), ind))


def label(ind: Indicator, lang: str) -> str:
    return ind.label_en if lang == "en" else ind.label_fr


def theme_label(theme_id: str, lang: str) -> str:
    theme = ind_api.themes().get(theme_id)
    if theme is None:
        return theme_id
    return theme.label_en if lang == "en" else theme.label_fr


def indicator_options(lang: str) -> list[dict[str, str]]:
    """Select options for every indicator, theme by theme (« Emploi · Taux de chômage … »)."""
    out = []
    for theme_id, theme in ind_api.themes().items():
        short = theme_label(theme_id, lang).split(" et ")[0].split(" and ")[0]
        for ind_id in theme.indicators:
            out.append({"label": f"{short} · {label(ind_api.get_indicator(ind_id), lang)}", "value": ind_id})
    return out


def sources(source_ids: list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """Declared sources of the store for these ids (credits, licence, vintage, URLs)."""
    known = memoised(("sources",), lambda: {s["id"]: s for s in ind_api.sources(get_engine())})
    return [known[i] for i in dict.fromkeys(source_ids) if i in known]


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [s for s in value.split(",") if s]
    return [s for v in value for s in _ids(v)] if value is not None else []


def _licence_map() -> dict[str, str]:
    """Licence of every source of the store (empty when it could not be established)."""
    return memoised(
        ("licences",), lambda: {s["id"]: s["licence"] or "" for s in ind_api.sources(get_engine())}
    )


def credit(frame: Any, lang: str, ind: Indicator | None = None) -> str:
    """The one source line of the values of ``frame`` (issue #9.10, ``indicators.credits``):
    « Source : Insee, recensement de la population 2018 et 2022 (comparateur de territoires) ·
    Licence Ouverte / Etalab 2.0 », from its ``indicator``, ``year``, ``denominator_year`` and
    ``sources`` columns (``ind`` when the frame has no ``indicator`` column)."""
    return credits.frame_credit(frame, lang, ind, licences=_licence_map())


def credit_of(ind: Indicator, lang: str, years: Any = (), source_ids: Any = ()) -> str:
    """The source line of ``ind`` at ``years`` read from ``source_ids`` (its declared files if none)."""
    return credits.credit_line(ind, years, _ids(source_ids), lang, licences=_licence_map())


def licences(source_ids: Any) -> str:
    """The licence names of these sources, de-duplicated."""
    # A source whose licence could not be established has none (etl/sources: licence_note).
    return ", ".join(dict.fromkeys(s["licence"] for s in sources(_ids(source_ids)) if s["licence"]))


def measure(ind: Indicator, lang: str, source_ids: Any = (), source: str | None = None) -> Measure:
    """What the figure builders need about ``ind``, with its source line: ``source`` (an export's,
    built from the values shown), else the line of the sources ``source_ids`` without years."""
    return Measure(
        id=ind.id,
        label=label(ind, lang),
        unit=ind.unit,
        decimals=ind.decimals,
        polarity=ind.polarity,
        source=credit_of(ind, lang, (), source_ids) if source is None else source,
        lang=lang,
    )


def _memoised(key: tuple, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return memoised(key, compute).copy()


def _codes(codes: list[str] | str) -> tuple[str, ...]:
    return tuple(codes.split(",")) if isinstance(codes, str) else tuple(codes)


def values(indicator_id: str, codes: list[str] | str, year: int | str | None = None) -> pd.DataFrame:
    """``indicators.values`` on the app's store (memoised per data version)."""
    y = int(year) if year else None
    return _memoised(
        ("values", indicator_id, _codes(codes), y),
        lambda: ind_api.values(get_engine(), indicator_id, list(_codes(codes)), y),
    )


def series(indicator_id: str, codes: list[str] | str) -> pd.DataFrame:
    """``indicators.series`` on the app's store (memoised; monthly series keep their months)."""
    return _memoised(
        ("series", indicator_id, _codes(codes)),
        lambda: ind_api.series(get_engine(), indicator_id, list(_codes(codes))),
    )


def ranking(indicator_id: str, year: int | str | None, level: str) -> pd.DataFrame:
    """``indicators.ranking`` on the app's store (``home``, ``mgp``, ``ept``, ``peers``,
    ``departement``; memoised, per home for the levels that depend on it)."""
    y = int(year) if year else None
    key = ("ranking", indicator_id, y, level, home().code if level in ("home", "peers") else "")
    return _memoised(key, lambda: ind_api.ranking(get_engine(), indicator_id, y, level))


def territories() -> ind_api.Territories:
    return memoised(("territories",), lambda: ind_api.territories(get_engine()))


def members(group: str) -> list[str]:
    """Member communes of a group (``T6``, ``MGP``), in code order."""
    return list(territories().communes_of(group))


def name(code: str, lang: str = "fr") -> str:
    """The area's name as shown in ``lang`` (``indicators.geo.display_name``: « Greater Paris
    Metropolis » in English; the store holds the French names)."""
    return display_name(code, territories().names.get(code, code), lang)


def local_names(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``name`` column in ``lang`` (codes in ``code``); unchanged in French."""
    if lang != "en" or "name" not in frame or "code" not in frame:
        return frame
    named = [display_name(str(c), n, lang) for c, n in zip(frame["code"], frame["name"], strict=True)]
    return frame.assign(name=named)


def ept_of(code: str) -> str | None:
    """The territory (T1, T2 …) of an MGP commune, else None."""

    def index() -> dict[str, str]:
        terr = territories()
        return {c: t for t in terr.codes("ept") for c in terr.members.get(t, ())}

    return memoised(("ept_of",), index).get(code)


def dep_of(code: str) -> str:
    """The department group code of a commune (``94081`` → ``D94``)."""
    return "D" + code[:2]


def is_commune(code: str) -> bool:
    """A commune (or Paris arrondissement) of the observatory's scope: the six departments of the
    metropolis, and the home's communes and reference areas when it lies elsewhere (issue #11)."""
    return territories().levels.get(code) in ("commune", "arrondissement")


def fold(text: str) -> str:
    """Lower case without accents (« Créteil » → « creteil »), for accent-free search."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


def _search_options() -> list[dict[str, str]]:
    codes = sorted(set(territories().communes_of(MGP)), key=lambda c: fold(name(c)))
    return [
        {
            "label": f"{name(c)} ({c})",
            "value": c,
            "search": f"{fold(name(c))} {fold(name(c)).replace('-', ' ')} {c}",
        }
        for c in codes
    ]


def search_options() -> list[dict[str, str]]:
    """The 130 MGP communes for the search box; ``search`` holds accent-free forms of the name."""
    return [dict(o) for o in memoised(("search",), _search_options)]
