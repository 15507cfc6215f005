"""The observatory's one cache: data (frames, arrays, JSON-ready dicts), never components.

Flask-Caching backends: an in-process ``SimpleCache`` by default; a ``RedisCache`` when
``OBSERVATOIRE_CACHE_URL=redis://host:port/db`` is set, so that every gunicorn worker, and every
machine serving the same store behind a load balancer, shares one cache.

Every key starts with the **data version** of the store it was read from (the latest
``load_run`` row and the store's address): a new ETL run or workspace publication changes the
version, so no process can serve a value of the previous data from the cache, whichever process
computed it; old entries simply expire. ``once(version, name)`` lets one process of all those
sharing the cache do a job (the warm-up) once per data version.

The cache is an accelerator, never a dependency: if Redis is unreachable, values are computed
and served uncached (and the failure logged once per minute).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from flask_caching import Cache

log = logging.getLogger(__name__)

T = TypeVar("T")
ENV_URL = "OBSERVATOIRE_CACHE_URL"
#: Seconds an entry lives. Entries of an old data version are never read again; the timeout
#: only bounds the memory they hold until they are evicted.
TIMEOUT = 24 * 3600
#: Entries of the in-process cache: the provider's (slices, commune tables, geometries: ~2,000 per
#: version) and the app's (results, commune snapshots, card JSON) share it. Beyond it, cachelib drops
#: the oldest entries first (not the least used: the warm-up's go first), so it is the sum of the
#: two bounds the app had before one cache (4,096 each). Redis: ``maxmemory-policy allkeys-lru``.
THRESHOLD = 8192
_MISSING = object()
#: Seconds a caller waits for another thread computing the same value before computing it too.
WAIT = 60.0


@functools.cache
def code_version() -> str:
    """A digest of the project's Python code, the catalogue and the texts (computed once)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=8)
    for pattern in ("*/*.py", "*/*/*.py", "indicators/catalogue/*.yaml", "config/texts/*.yaml"):
        for path in sorted(root.glob(pattern)):
            if ".venv" in path.parts or "tests" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def config_for(url: str | None) -> dict[str, Any]:
    """Flask-Caching configuration for a cache URL (None or "" → in-process SimpleCache)."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
            "CACHE_KEY_PREFIX": "observatoire:",
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT,
        }
    if url and url not in ("simple", "memory"):
        raise ValueError(f"{ENV_URL}: unsupported cache URL {url!r} (redis://… or empty)")
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": THRESHOLD, "CACHE_DEFAULT_TIMEOUT": TIMEOUT}


class DataCache:
    """A Flask-Caching cache used outside requests too (it is bound to a private Flask object
    that only carries its configuration), with keys built from the data version."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or ""
        owner = Flask("observatoire-cache")
        cache = Cache(owner, config=config_for(self.url))
        # the backend itself: ``Cache``'s own methods look it up on ``current_app``, which inside a
        # request is the Dash server, not the private Flask object that configured it
        self._cache = owner.extensions["cache"][cache]
        self._last_error = 0.0
        self._lock = threading.Lock()
        self._keys_lock = threading.Lock()
        self._keys: dict[str, tuple[threading.RLock, int]] = {}

    @property
    def shared(self) -> bool:
        """Whether other processes share this cache (Redis)."""
        return bool(self.url)

    @staticmethod
    def key(version: Hashable, *parts: Hashable) -> str:
        """A short stable key: the code version, the data version and the parts, hashed (Redis
        keys stay small). With the code in the key, a new release never reads values pickled
        by the previous one from a shared Redis."""
        raw = repr((code_version(), version, parts)).encode()
        return hashlib.blake2b(raw, digest_size=16).hexdigest()

    def _failed(self, what: str, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last_error > 60:
                self._last_error = now
                log.warning("cache %s failed (%s): serving uncached", what, exc)

    def get(self, key: str) -> Any:
        """The cached value, or ``_MISSING``."""
        try:
            raw = self._cache.get(key)
        except Exception as exc:  # noqa: BLE001 - an unreachable cache must not break a page
            self._failed("read", exc)
            return _MISSING
        return _MISSING if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        """Store ``value`` (for ``timeout`` seconds; default ``TIMEOUT``)."""
        try:
            self._cache.set(
                key,
                pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                timeout=None if timeout is None else int(timeout),
            )
        except Exception as exc:  # noqa: BLE001
            self._failed("write", exc)

    def get_or_set(
        self,
        version: Hashable,
        parts: tuple[Hashable, ...],
        make: Callable[[], T],
        timeout: float | None = None,
    ) -> T:
        """The value cached under (version, parts), computed by ``make`` and stored if absent
        (``timeout``: seconds it lives, for data that change without a new data version, such as
        the officers' public notes).

        Values are pickled by us (a cached ``None`` stays distinguishable from a miss)."""
        key = self.key(version, *parts)
        value = self.get(key)
        if value is not _MISSING:
            return value
        # one computation per key in this process: the page's callbacks run in parallel threads
        # and ask for the same cold values (a commune table, the home's coverage); the others wait
        # for it (at most ``WAIT`` seconds, so that a cycle between two keys can never hang a page)
        lock = self._key_lock(key, +1)
        got = lock.acquire(timeout=WAIT)
        try:
            value = self.get(key) if got else _MISSING
            if value is _MISSING:
                value = make()
                self.set(key, value, timeout)
            return value
        finally:
            if got:
                lock.release()
            self._key_lock(key, -1)

    def _key_lock(self, key: str, count: int) -> threading.RLock:
        """The lock of ``key`` (``count`` +1: one more caller; -1: one less, forgotten at zero)."""
        with self._keys_lock:
            lock, n = self._keys.get(key, (None, 0))
            lock = lock or threading.RLock()
            if n + count > 0:
                self._keys[key] = (lock, n + count)
            else:
                self._keys.pop(key, None)
            return lock

    def once(self, version: Hashable, name: str) -> bool:
        """True for the first caller (of all processes sharing the cache) for this data version."""
        try:
            return bool(self._cache.add(self.key(version, "once", name), b"1"))
        except Exception as exc:  # noqa: BLE001
            self._failed("add", exc)
            return True

    def clear(self) -> None:
        try:
            self._cache.clear()
        except Exception as exc:  # noqa: BLE001
            self._failed("clear", exc)


_shared: DataCache | None = None
_shared_lock = threading.Lock()


def data_cache() -> DataCache:
    """The process's cache, configured from ``OBSERVATOIRE_CACHE_URL`` on first use."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = DataCache(os.environ.get(ENV_URL))
    return _shared


def use_cache(cache: DataCache | None) -> None:
    """Replace the process's cache (tests; None: back to the configured one on next use)."""
    global _shared
    with _shared_lock:
        _shared = cache
