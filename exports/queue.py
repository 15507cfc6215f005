"""The export cache, shared by the ``/export/…`` routes (issue #13, gap 2).

* The key is the *normalised* export request: the route, the query parameters the export reads
  (stripped, sorted; any other parameter is ignored, so ``?x=1`` junk never bypasses the cache)
  and the data version.
* Single flight: while an export is being built, identical requests wait for it instead of
  building it again (at most ``MAX_WAITING`` of them per process, then ``RenderBusy``: 429).
* Chart images additionally go through the bounded render queue of ``exports.render``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from exports.render import RETRY_AFTER, RenderBusy

CACHE_SIZE = 32  # a few MB at most: decks ~100 KB, profiles ~60 KB, PNGs ~150 KB
MAX_WAITING = 8  # requests waiting for an export another request is building
WAIT_SECONDS = 90.0


def request_key(
    kind: str, path: str, args: Any, params: Iterable[str] | None, version: object
) -> tuple[Any, ...]:
    """The cache key of an export request: only ``params`` count (all of them when None)."""
    items = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    keep = None if params is None else frozenset(params)
    norm = sorted((k, str(v).strip()) for k, v in items if keep is None or k in keep)
    return (kind, path, tuple(norm), str(version))


class ExportCache:
    """A small LRU cache of built exports with single flight per key (thread-safe)."""

    def __init__(self, size: int = CACHE_SIZE, max_waiting: int = MAX_WAITING) -> None:
        self.size, self.max_waiting = size, max_waiting
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._building: dict[tuple, threading.Event] = {}
        self._waiting = 0
        self._lock = threading.Lock()
        self.builds = 0  # exports built (cache misses that ran), for tests and benchmarks

    def __len__(self) -> int:
        return len(self._items)

    def get_or_build(self, key: tuple, build: Callable[[], Any]) -> Any:
        """The cached value of ``key``, else the one being built by another request, else
        ``build()`` (cached on success)."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                event = self._building.get(key)
                if event is None:  # this request builds it
                    event = self._building[key] = threading.Event()
                    self.builds += 1
                    break
                if self._waiting >= self.max_waiting:
                    raise RenderBusy(retry_after=RETRY_AFTER)
                self._waiting += 1
            try:
                # the same export is being built: wait for it (then read the cache, or build it
                # ourselves if that build failed)
                if not event.wait(WAIT_SECONDS):
                    raise RenderBusy(retry_after=RETRY_AFTER)
            finally:
                with self._lock:
                    self._waiting -= 1
        try:
            value = build()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._building.pop(key, None)
            event.set()
