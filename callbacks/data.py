"""Thin adapter between the pages and the ``indicators`` facade: the app's engine, labels in the
page language, source credits, commune lookups and search options.

Everything data-related the callbacks need goes through here (one place to adapt if the facade
changes). Territory names come from the store (COG names, with their articles).
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any

import pandas as pd
from flask import g, has_request_context, request

import indicators as ind_api
from callbacks.engine import get_engine
from figures.base import Measure
from indicators.catalogue import Indicator
from indicators.query import store

GOSB, MGP = "T12", "MGP"
IDF_DEPS = ("75", "91", "92", "93", "94", "95")
#: Reference areas of the overview, in display order (GOSB first).
OVERVIEW_AREAS = ("T12", "MGP", "D94", "D91")
DEFAULT_INDICATOR = "unemployment_rate"


def indicator(indicator_id: str | None) -> Indicator:
    """A catalogue entry (``KeyError`` if unknown)."""
    return ind_api.get_indicator(indicator_id or "")


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


def credit(source_ids: Any, lang: str) -> str:
    """« Source : Insee, RP 2022 » (several sources joined, their « Source : » prefix once)."""
    found = sources(_ids(source_ids))
    lines = [s["credit_en"] if lang == "en" else s["credit_fr"] for s in found]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0]
    stripped = [line.split(":", 1)[1].strip() if ":" in line[:10] else line for line in lines]
    return ("Sources: " if lang == "en" else "Sources : ") + " ; ".join(dict.fromkeys(stripped))


def licences(source_ids: Any) -> str:
    """The licence names of these sources, de-duplicated."""
    # A source whose licence could not be established has none (etl/sources: licence_note).
    return ", ".join(dict.fromkeys(s["licence"] for s in sources(_ids(source_ids)) if s["licence"]))


def measure(ind: Indicator, lang: str, source_ids: Any = ()) -> Measure:
    """What the figure builders need about ``ind``, with the credit of the sources actually read."""
    return Measure(
        id=ind.id,
        label=label(ind, lang),
        unit=ind.unit,
        decimals=ind.decimals,
        polarity=ind.polarity,
        source=credit(source_ids or ind.sources, lang),
        lang=lang,
    )


_memo: dict[tuple, Any] = {}
_memo_lock = threading.Lock()
MEMO_SIZE = 4096
VERSION_TTL = 2.0  # outside requests: seconds between two checks of the store's data version
_version: list[Any] = [None, 0.0]
#: Called (without arguments) when a new ETL load is seen, e.g. to warm the caches again.
ON_NEW_VERSION: list[Callable[[], Any]] = []


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


def _check_version() -> Any:
    previous = _version[0]
    _version[0], _version[1] = store(get_engine()).version(), time.monotonic()
    if previous is not None and previous != _version[0]:
        for hook in ON_NEW_VERSION:
            hook()
    return _version[0]


def reset() -> None:
    """Forget memoised results and the data version (tests swapping stores)."""
    with _memo_lock:
        _memo.clear()
        _version[1] = 0.0


def memoised(key: tuple, compute: Callable[[], Any]) -> Any:
    """Results of the facade per data version: the same question is answered once per ETL load."""
    full = (*key, data_version(), id(get_engine()))
    hit = _memo.get(full)
    if hit is None:
        hit = compute()
        with _memo_lock:
            if len(_memo) >= MEMO_SIZE:
                _memo.clear()
            _memo[full] = hit
    return hit


def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Memoise a card builder on its JSON-able arguments, the request's host (embed codes) and
    the data version: a view asked for twice is computed once per ETL load."""

    @wraps(fn)
    def wrapper(*args: Any) -> Any:
        host = request.host_url if has_request_context() else ""
        key = ("card", fn.__module__, fn.__qualname__, json.dumps(args, sort_keys=True, default=str), host)
        return memoised(key, lambda: fn(*args))

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
    """``indicators.ranking`` on the app's store (``gosb``, ``mgp``, ``ept``, ``departement``; memoised)."""
    y = int(year) if year else None
    return _memoised(
        ("ranking", indicator_id, y, level), lambda: ind_api.ranking(get_engine(), indicator_id, y, level)
    )


def territories() -> ind_api.Territories:
    return memoised(("territories",), lambda: ind_api.territories(get_engine()))


def members(group: str) -> list[str]:
    """Member communes of a group (``T12``, ``MGP``), in code order."""
    return list(territories().communes_of(group))


def name(code: str) -> str:
    return territories().names.get(code, code)


def ept_of(code: str) -> str | None:
    """The territory (T1..T12) of an MGP commune, else None."""

    def index() -> dict[str, str]:
        terr = territories()
        return {c: f"T{i}" for i in range(1, 13) for c in terr.members.get(f"T{i}", ())}

    return memoised(("ept_of",), index).get(code)


def dep_of(code: str) -> str:
    """The department group code of a commune (``94081`` → ``D94``)."""
    return "D" + code[:2]


def is_commune(code: str) -> bool:
    """A commune (or Paris arrondissement) of the six departments the store covers."""
    terr = territories()
    return terr.levels.get(code) in ("commune", "arrondissement") and code[:2] in IDF_DEPS


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
