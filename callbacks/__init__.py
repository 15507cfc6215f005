"""Callbacks: short glue from URL and controls to the ``indicators`` facade and the figure builders.

Importing this package registers every page (``callbacks.registry``) and declares every callback
(``callbacks.registration``: ``attach(app)`` registers them on an app), plus the Flask blueprints
of the downloads, the map shapes and the presentation exports (``blueprints``). A new page is a
module registering a ``Page`` (see ``callbacks.registry``) imported here.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Blueprint

from callbacks import (  # noqa: F401 - imported for their registrations
    accessibility,
    actions,
    carte,
    catalogue,
    commune,
    commune_profile,
    comparer,
    data,
    embed,
    explain,
    exports,
    geo,
    overview,
    overview_kpis,
    presentation,
    profile,
    router,
    search,
    sources,
    status,
    views,
)
from callbacks.engine import get_engine
from indicators.query import store


def blueprints() -> list[Blueprint]:
    """The Flask blueprints the app must register (downloads, GeoJSON, presentation exports, and
    the HTTP status of the pages)."""
    return [exports.bp, geo.bp, presentation.bp, status.bp]


def warm_up() -> bool:
    """Compute what the first visitors need (key figures, every indicator's commune snapshot) into
    the data cache, so that pages answer from it; logs the time taken. Done once per data version
    by the first process to ask of all those sharing the cache (Redis: every worker, every
    machine); False when another did it. Errors are logged, never raised."""
    log = logging.getLogger("observatoire.warmup")
    start = time.perf_counter()
    try:
        if not store(get_engine()).once("warm-up"):
            log.info("warm-up skipped: done for this data version by another process")
            return False
        with data.scope():  # one read of each shared value (territories, home…) from the cache
            data.search_options()
            for lang in ("fr", "en"):
                overview_kpis.kpi_export({}, lang)
            profile.warm()
    except Exception:  # noqa: BLE001 - e.g. no store yet: pages will compute on demand
        log.exception("warm-up failed")
        return False
    log.info("warm-up done in %.1f s", time.perf_counter() - start)
    return True


_warming = threading.Lock()


def warm_up_in_background() -> threading.Thread | None:
    """``warm_up`` in a daemon thread (the app serves requests meanwhile); None if one is running."""
    if not _warming.acquire(blocking=False):
        return None

    def run() -> None:
        try:
            warm_up()
        finally:
            _warming.release()

    thread = threading.Thread(target=run, name="observatoire-warm-up", daemon=True)
    thread.start()
    return thread
