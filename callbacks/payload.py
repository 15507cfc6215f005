"""Card outputs as JSON for the data cache (issue #12): the cache holds data, never components.

A card builder returns Dash components and plotly figures. ``dump`` turns such an output into the
JSON Dash would send to the browser anyway (``plotly.io.json.to_json_plotly``: components become
``{"type", "namespace", "props"}`` objects, figures their dicts); ``load`` builds the components
again from it, per request, so that what a callback returns is the same kind of object whether
the value was computed now, read from this process's cache or from Redis filled by another
worker. Figures stay dicts (``dcc.Graph`` and ``go.Figure(…)`` accept them).

Values without components or figures (frames, ``Export`` records) are cached as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

import plotly.graph_objects as go
from dash import dash_table, dcc, html
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

#: Dash's own libraries register under their historical package names.
_NAMESPACES = {"dash_html_components": html, "dash_core_components": dcc, "dash_table": dash_table}


def renders(value: Any) -> bool:
    """Whether ``value`` holds a component or a figure (what must travel as JSON)."""
    if isinstance(value, Component | go.Figure):
        return True
    if isinstance(value, list | tuple):
        return any(renders(v) for v in value)
    if isinstance(value, dict):
        return any(renders(v) for v in value.values())
    return False


def dump(value: Any) -> str:
    """The JSON text of an output (a tuple of outputs becomes a JSON array)."""
    return to_json_plotly(value)


@lru_cache(maxsize=256)
def _component_class(namespace: str, kind: str) -> type[Component]:
    module = _NAMESPACES.get(namespace) or import_module(namespace)
    return getattr(module, kind)


def _build(node: Any) -> Any:
    if isinstance(node, list):
        return [_build(n) for n in node]
    if isinstance(node, dict):
        if "namespace" in node and "type" in node and "props" in node:
            cls = _component_class(node["namespace"], node["type"])
            # any prop may hold components (Dash ≥ 3); figures are large and never do
            props = {k: v if k == "figure" else _build(v) for k, v in node["props"].items()}
            return cls(**props)
        return node
    return node


def load(text: str, as_tuple: bool = True) -> Any:
    """The output again, components rebuilt (a top-level array becomes a tuple)."""
    value = _build(json.loads(text))
    return tuple(value) if as_tuple and isinstance(value, list) else value


@dataclass(frozen=True)
class Rendered:
    """A card output as JSON text (what the data cache holds for it); ``figures``: the positions
    of the tuple's items that were figures (-1: the output itself), made figures again on load."""

    text: str
    as_tuple: bool
    figures: tuple[int, ...] = ()

    @classmethod
    def of(cls, value: Any) -> Rendered:
        items = value if isinstance(value, tuple) else ()
        figures = tuple(i for i, v in enumerate(items) if isinstance(v, go.Figure))
        return cls(dump(value), isinstance(value, tuple), (-1,) if isinstance(value, go.Figure) else figures)

    def load(self, mark: str = "", host: str = "") -> Any:
        """The output with components rebuilt, ``mark`` replaced by ``host`` (embed codes)."""
        # the mark is plain letters (plotly's encoder escapes "/" and "<"); the host is written as JSON
        text = self.text.replace(mark, json.dumps(host)[1:-1]) if mark else self.text
        value = load(text, self.as_tuple)
        if self.figures == (-1,):
            return _figure(value)
        if self.figures:
            value = tuple(_figure(v) if i in self.figures else v for i, v in enumerate(value))
        return value


def _figure(spec: dict[str, Any]) -> go.Figure:
    # validated once when the card was drawn: validating again costs ~90 ms for a map, skipping
    # it ~2 ms (``_validate`` is the switch plotly's own express module uses)
    return go.Figure(spec, _validate=False)
