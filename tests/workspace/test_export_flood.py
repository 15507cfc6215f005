"""Issue #13, gap 2: a flood of chart PNG requests cannot starve the site. Junk query parameters
no longer bypass the export cache (one build per normalised request), renders go through a
bounded queue (429 with Retry-After past it), and the API keeps answering meanwhile.

The browser render is replaced by one that blocks until released, so that the flood is held at
its peak while the test looks at it (behaviour, not wall time)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

CHART = "/export/chart/unemployment_rate.png?annee=2022&territoires="
API = "/api/v1/values?indicator=unemployment_rate&territory=94081&year=2022"


def wait_until(condition: Callable[[], bool], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the flood never reached the expected state"
        time.sleep(0.02)


@pytest.fixture()
def blocked_renders(monkeypatch):
    """Renders that wait for ``release`` (no browser started); ``calls`` counts them."""
    import kaleido

    from exports import render

    release, calls = threading.Event(), []

    def fake(fig, opts=None, **_kw) -> bytes:
        calls.append(fig)
        release.wait(120)
        return b"\x89PNG\r\n\x1a\n fake image"

    monkeypatch.setattr(render, "_start", lambda: None)
    monkeypatch.setattr(kaleido, "calc_fig_sync", fake)
    yield release, calls
    release.set()


def _flood(app, urls: list[str]) -> tuple[dict, list[threading.Thread]]:
    results: dict[int, object] = {}

    def get(i: int, url: str) -> None:
        results[i] = app.server.test_client().get(url)

    threads = [threading.Thread(target=get, args=(i, url)) for i, url in enumerate(urls)]
    for t in threads:
        t.start()
    return results, threads


def test_junk_parameters_hit_one_cache_entry(make_app, store_url, blocked_renders) -> None:
    from exports import queue

    release, calls = blocked_renders
    app = make_app("public", store_url)
    cache = app.server.blueprints["deck_exports"].export_cache
    builds, size = cache.builds, len(cache)
    n = queue.MAX_WAITING + 4
    urls = [f"{CHART}94081&junk{i}={i}&utm_source=x{i}" for i in range(n)]  # used to be n cache keys
    results, threads = _flood(app, urls)
    refused = n - 1 - queue.MAX_WAITING  # one builds, MAX_WAITING wait for it, the rest are told to retry
    wait_until(lambda: len(calls) == 1 and cache._waiting == queue.MAX_WAITING and len(results) == refused)
    api = app.server.test_client().get(API)  # the site keeps answering during the flood
    assert api.status_code == 200 and api.get_json()
    assert all(r.status_code == 429 and int(r.headers["Retry-After"]) > 0 for r in results.values())
    release.set()
    for t in threads:
        t.join(120)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200] * (n - refused) + [429] * refused
    bodies = {r.data for r in results.values() if r.status_code == 200}
    assert len(bodies) == 1 and len(calls) == 1 and cache.builds == builds + 1 and len(cache) == size + 1
    again = app.server.test_client().get(f"{CHART}94081&other=junk")
    assert again.status_code == 200 and len(calls) == 1  # served from the one cache entry


def test_distinct_charts_go_through_a_bounded_render_queue(make_app, store_url, blocked_renders) -> None:
    from exports import render

    release, calls = blocked_renders
    app = make_app("public", store_url)
    # (not 94081: the export blueprint, and its cache, is one per process, shared by the tests)
    codes = ["94041", "94043", "94068", "94076", "94078", "94003", "94021"]
    results, threads = _flood(app, [CHART + c for c in codes])
    refused = len(codes) - render.QUEUE_LENGTH
    # one render running, QUEUE_LENGTH - 1 waiting for the browser, the others refused at once
    wait_until(lambda: len(calls) == 1 and render._slots._value == 0 and len(results) == refused)
    api = app.server.test_client().get(API)
    assert api.status_code == 200
    busy = list(results.values())
    assert all(r.status_code == 429 and r.headers["Retry-After"] == str(render.RETRY_AFTER) for r in busy)
    assert "retry" in busy[0].get_json()["error"]
    release.set()
    for t in threads:
        t.join(120)
    assert sorted(r.status_code for r in results.values()) == [200] * render.QUEUE_LENGTH + [429] * refused
    assert len(calls) == render.QUEUE_LENGTH  # never more than one browser render at a time, in order
    assert render._slots._value == render.QUEUE_LENGTH  # every place in the queue given back
