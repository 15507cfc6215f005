"""Thin adapter between the pages and the ``indicators`` facade: the app's engine, labels in the
page language, source credits, commune lookups and search options.

Everything data-related the callbacks need goes through here (one place to adapt if the facade
changes). Territory names come from the store (COG names, with their articles).
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

import pandas as pd
from flask import g, has_request_context, request

import config
import indicators as ind_api
from callbacks import payload
from callbacks.engine import get_engine
from figures.base import Measure
from indicators import credits
from indicators.catalogue import Indicator
from indicators.home import Home, of_name
from indicators.home import home as home_of
from indicators.query import store
from layouts import i18n

MGP = "MGP"
IDF_DEPS = ("75", "91", "92", "93", "94", "95")


def home() -> Home:
    """The configured home territory (``observatoire.yaml``, issue #11) on the app's store: code,
    name, title, short name, members, reference areas (``home().areas``: the overview's columns)."""
    return home_of(get_engine())


def home_words() -> dict[str, object]:
    """The ``{home_…}`` values of ``layouts.i18n`` templates (app title, overview, map scope …)."""
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
        "home_kind_fr": "territoire de la Métropole du Grand Paris" if inside else "intercommunalité",
        "home_kind_en": "a territory of the Greater Paris metropolis" if inside else "an intercommunality",
    }


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


#: A new namespace for this process's app-level entries of the data cache (``reset``: tests that
#: swap stores, the benchmark's "first view"); the indicators' own entries stay.
_generation = [0]
VERSION_TTL = 2.0  # outside requests: seconds between two checks of the store's data version
_version: list[Any] = [None, 0.0]
#: Called (without arguments) when a new ETL load is seen, e.g. to warm the caches again.
ON_NEW_VERSION: list[Callable[[], Any]] = []
#: Stands for the request's host in cached card outputs (embed codes): replaced on every request,
#: so that no cached value carries the host of the request that computed it.
HOST_MARK = "OBSERVATOIRE0HOST0MARK"
_building_card: ContextVar[bool] = ContextVar("observatoire_building_card", default=False)


def data_version() -> Any:
    """The store's data version (latest ETL run): read once per request, so that a request never
    mixes two loads and the first request after a new load (in any worker) sees it; outside a
    request, at most every ``VERSION_TTL`` seconds."""
    if has_request_context():
        if "observatoire_version" not in g:
            g.observatoire_version = _check_version()
        return g.observatoire_version
    if time.monotonic() - _version[1] > VERSION_TTL:
        return _check_version()
    return _version[0]


def loaded_at() -> Any:
    """When the data in use were loaded (a ``datetime``), or None."""
    return store(get_engine()).loaded_at()


def _check_version() -> Any:
    previous = _version[0]
    _version[0], _version[1] = store(get_engine()).version(), time.monotonic()
    if previous is not None and previous != _version[0]:
        for hook in ON_NEW_VERSION:
            hook()
    return _version[0]


def reset() -> None:
    """Forget this process's app-level results and the data version (tests swapping stores)."""
    _generation[0] += 1
    _version[1] = 0.0
    if has_request_context():
        g.pop("observatoire_memo", None)


def memoised(key: tuple, compute: Callable[[], Any]) -> Any:
    """Results of the facade per data version, in the one data cache (``indicators.cache``:
    shared by every worker with Redis): the same question is answered once per ETL load.
    Values are data (frames, dicts, JSON), never components. Within a request a value is read
    from the cache once (a page asks for the territories' names many times)."""
    # the configured home is part of every key: pages, cards and rankings follow it (issue #11)
    parts = ("app", _generation[0], *key, config.home())
    local = g.setdefault("observatoire_memo", {}) if has_request_context() else None
    if local is not None and parts in local:
        return local[parts]
    value = store(get_engine()).cached_at(data_version(), parts, compute)
    if local is not None:
        local[parts] = value
    return value


def host_url() -> str:
    """The request's host URL (embed codes), or ``HOST_MARK`` while a cached card is computed."""
    if _building_card.get():
        return HOST_MARK
    return request.host_url if has_request_context() else ""


def _card_value(fn: Callable[..., Any], args: tuple) -> Any:
    token = _building_card.set(True)
    try:
        out = fn(*args)
    finally:
        _building_card.reset(token)
    return payload.Rendered.of(out) if payload.renders(out) else out


def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Memoise a card builder on its JSON-able arguments and the data version: a view asked for
    twice is computed once per ETL load. Its components and figures are cached as JSON and built
    again on each call (``callbacks.payload``), with the request's host in embed codes."""

    @wraps(fn)
    def wrapper(*args: Any) -> Any:
        key = ("card", fn.__module__, fn.__qualname__, json.dumps(args, sort_keys=True, default=str))
        value = memoised(key, lambda: _card_value(fn, args))
        if isinstance(value, payload.Rendered):
            host = request.host_url.rstrip("/") if has_request_context() else ""
            return value.load(HOST_MARK, host)
        return value

    return wrapper


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
    """``indicators.ranking`` on the app's store (``home``, ``mgp``, ``ept``, ``departement``; memoised)."""
    y = int(year) if year else None
    return _memoised(
        ("ranking", indicator_id, y, level), lambda: ind_api.ranking(get_engine(), indicator_id, y, level)
    )


def territories() -> ind_api.Territories:
    return memoised(("territories",), lambda: ind_api.territories(get_engine()))


def members(group: str) -> list[str]:
    """Member communes of a group (``T6``, ``MGP``), in code order."""
    return list(territories().communes_of(group))


def name(code: str) -> str:
    return territories().names.get(code, code)


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
