"""The data cache computes a cold value once per process even when threads ask for it together
(the callbacks of one page run in parallel and ask for the same commune tables)."""

from __future__ import annotations

import threading
import time

from indicators.cache import DataCache


def test_concurrent_callers_compute_a_cold_value_once() -> None:
    cache = DataCache()
    calls: list[int] = []
    start = threading.Barrier(4)

    def make() -> int:
        calls.append(1)
        time.sleep(0.2)  # a slow computation: the other threads arrive meanwhile
        return 42

    results: list[int] = []

    def ask() -> None:
        start.wait()
        results.append(cache.get_or_set(("v", 1), ("table", "x"), make))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 4 and len(calls) == 1
    assert not cache._keys  # the per-key locks are forgotten once nobody waits


def test_other_keys_and_nested_calls_do_not_wait() -> None:
    cache = DataCache()
    # a value computed from another cached value (two locks held at once, never the same)
    inner = cache.get_or_set(
        ("v", 1), ("outer",), lambda: cache.get_or_set(("v", 1), ("inner",), lambda: 1) + 1
    )
    assert inner == 2 and cache.get_or_set(("v", 1), ("outer",), lambda: 0) == 2
