"""The app's results go through the one data cache (issue #12): data and JSON, never Dash
components; the request's host is never in a cached value; the warm-up runs once per data version."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest
from dash.development.base_component import Component

from indicators.cache import DataCache, use_cache

PARAMS = {"indicateur": "unemployment_rate", "perimetre": "mgp"}


class Recording(DataCache):
    """An in-process cache that keeps what was stored, to look at it."""

    def __init__(self) -> None:
        super().__init__()
        self.stored: list[Any] = []

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        self.stored.append(value)
        super().set(key, value, timeout)


@pytest.fixture
def recording(dash_app) -> Iterator[Recording]:
    from callbacks import data

    cache = Recording()
    use_cache(cache)
    data.reset()
    try:
        yield cache
    finally:
        use_cache(None)
        data.reset()


def _components(value: Any) -> list[Any]:
    if isinstance(value, Component | go.Figure):
        return [value]
    if isinstance(value, list | tuple):
        return [c for v in value for c in _components(v)]
    if isinstance(value, dict):
        return [c for v in value.values() for c in _components(v)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [c for f in dataclasses.fields(value) for c in _components(getattr(value, f.name))]
    return []


def _embed(out: tuple) -> str:
    return next(o for o in out if isinstance(o, str) and "<iframe" in o)


def test_cards_are_cached_as_json_and_built_per_request(dash_app, recording: Recording) -> None:
    from callbacks import carte, data, payload

    server = dash_app.server
    with server.test_request_context("/", base_url="https://one.example.org"):
        first = carte.draw(PARAMS, "fr")
    stored = len(recording.stored)
    with server.test_request_context("/", base_url="http://two.example.net:8080"):
        second = carte.draw(PARAMS, "fr")
    assert len(recording.stored) == stored  # the second request read the cache
    assert not [c for v in recording.stored for c in _components(v)]  # data and JSON only
    cards = [v for v in recording.stored if isinstance(v, payload.Rendered)]
    assert cards and all("example" not in c.text for c in cards)
    assert any(data.HOST_MARK in c.text for c in cards)
    # each request gets components again, with its own host in the embed code
    assert isinstance(first[0], go.Figure) and isinstance(first[2], Component)
    assert 'src="https://one.example.org/embed/carte?' in _embed(first)
    assert 'src="http://two.example.net:8080/embed/carte?' in _embed(second)
    assert first[0].to_plotly_json() == second[0].to_plotly_json()


def test_payload_round_trip() -> None:
    from dash import dcc, html

    from callbacks import payload

    out = (
        go.Figure(go.Bar(x=[1], y=[2])),
        [html.P(["a ", html.A("b", href="/x")])],
        dcc.Link("c", href="/y"),
        "d",
    )
    back = payload.Rendered.of(out).load()
    assert isinstance(back, tuple) and isinstance(back[0], go.Figure)
    assert back[1][0].children[1].href == "/x" and back[2].href == "/y" and back[3] == "d"
    assert payload.dump(back) == payload.dump(out)


def test_warm_up_once_per_data_version(dash_app, recording: Recording) -> None:
    import callbacks
    from callbacks.engine import get_engine
    from indicators.query import store

    assert store(get_engine()).once("warm-up")  # the first process to ask does it …
    assert callbacks.warm_up() is False  # … the others (sharing the cache) skip it
