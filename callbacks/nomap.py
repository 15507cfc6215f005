"""Maps with nothing to draw (issue #11, a home outside the six departments of the metropolis):
the store's commune shapes cover Paris and departments 91 to 95 only, and some sources cover
Île-de-France only. The map cards then say so in words, in the figure and beside it, and keep
the list of values when there are values (the map explorer, the overview)."""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go
from dash import html

from callbacks import cards, common, data
from figures.base import empty_figure
from layouts.i18n import t


def wrap(text: str, width: int = 60) -> str:
    """A long message on several lines of the figure (plotly annotations do not wrap)."""
    return "<br>".join(textwrap.wrap(text, width))


def no_shapes_message(lang: str) -> str:
    """« Pas de fond de carte pour ces communes : les contours chargés couvrent les départements
    75, 91, 92, 93, 94 et 95 … » (the departments with commune shapes in the store)."""
    deps = list(data.shape_departments())
    if not deps:
        listed = "—"
    elif len(deps) == 1:
        listed = deps[0]
    else:
        listed = ", ".join(deps[:-1]) + (" et " if lang == "fr" else " and ") + deps[-1]
    return t("map.noshapes", lang, deps=listed)


def no_shapes_map(listing: Any, lang: str, height: int = 640) -> tuple[go.Figure, html.Div]:
    """(figure, text beside it) of a map whose communes have no shapes: the message in both, the
    list of values kept under it."""
    message = no_shapes_message(lang)
    note = html.P(message, className="alert alert-info small", role="note")
    return empty_figure(wrap(message), lang, height=height), html.Div([note, listing])


def uncovered_card(message: str, title: str, lang: str, height: int = 640) -> tuple:
    """The ``cards.graph_outputs`` tuple of a map of an indicator with no value at all for the
    home: the message in words (figure and text) instead of a map and a list of "n.d."; no
    download of an empty table."""
    out = list(cards.empty_graph_card(empty_figure(wrap(message), lang, height=height), message))
    out[2] = html.P(message, className="alert alert-info", role="note")
    out[6] = common.split_title(title)[0]
    return tuple(out)
