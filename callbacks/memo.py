"""The app's side of the one data cache (issue #12): the data version read once per request, and
results cached by it in ``indicators.cache`` (in-process, or Redis shared by every worker).

* ``memoised(key, compute)``: a result of the facade (frames, dicts, territories …);
* ``derived(key, compute)``: data derived from the indicators alone (commune snapshots), kept
  across ``reset``;
* ``cached``: a card builder; its components and figures are cached as JSON
  (``callbacks.payload``) and built again per request, with the request's host in embed codes.

Values are data, never Dash components. Within one request (or a ``scope`` block, e.g. the
warm-up) a value is read from the cache once. ``callbacks.data`` re-exports all of this.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from flask import g, has_request_context, request

import config
from callbacks import engine as app_engine
from callbacks import payload
from indicators.query import store


def get_engine() -> Any:
    return app_engine.get_engine()  # looked up on each call: tests swap the app's engine


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
_scope: ContextVar[dict | None] = ContextVar("observatoire_scope", default=None)


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
    return _lookup(("app", _generation[0], *key), compute)


def derived(key: tuple, compute: Callable[[], Any]) -> Any:
    """Like ``memoised``, for data derived from the indicators alone (commune snapshots): kept
    across ``reset``, like the indicators' own entries (the store's address is in the key)."""
    return _lookup(("derived", *key), compute)


def _lookup(key: tuple, compute: Callable[[], Any]) -> Any:
    # the configured home is part of every key: pages, cards and rankings follow it (issue #11)
    parts = (*key, config.home())
    local = g.setdefault("observatoire_memo", {}) if has_request_context() else _scope.get()
    if local is not None and parts in local:
        return local[parts]
    value = store(get_engine()).cached_at(data_version(), parts, compute)
    if local is not None:
        local[parts] = value
    return value


@contextmanager
def scope() -> Iterator[None]:
    """Outside requests (the warm-up): values read from the cache once within the block, as
    within one request."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def host_url() -> str:
    """The request's host URL (embed codes), or ``HOST_MARK`` while a cached card is computed."""
    if _building_card.get():
        return HOST_MARK
    return config.public_root(request.host_url) if has_request_context() else ""


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
            host = config.public_root(request.host_url).rstrip("/") if has_request_context() else ""
            return value.load(HOST_MARK, host)
        return value

    return wrapper
