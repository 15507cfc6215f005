"""Maps with nothing to draw (issue #11, a home outside the six departments of the metropolis):
the store's commune shapes cover Paris and departments 91 to 95 only, and some sources cover
Île-de-France only. The map cards then say so in plain words in the text flow (a ``no-map``
block: ``assets/app.css`` folds the blank map away and hides its image links) and keep the list
of values when there are values (the map explorer, the overview)."""

from __future__ import annotations

import textwrap
from typing import Any

from dash import html

from callbacks import cards, common, geo
from callbacks.exports import Export
from figures.base import empty_figure
from layouts.i18n import t

#: Class of the block saying there is no map (``assets/app.css`` hides the blank figure beside it).
NO_MAP = "no-map"


def wrap(text: str, width: int = 60) -> str:
    """A long message on several lines of the figure (plotly annotations do not wrap)."""
    return "<br>".join(textwrap.wrap(text, width))


def has_shapes(layer: str) -> bool:
    """Whether a commune layer (``communes-<group>``) has any shape loaded."""
    return bool(geo.shapes(layer).get("features"))


def no_shapes_message(lang: str) -> str:
    """« Pas de carte pour ce territoire : les contours de ses communes ne sont pas chargés. »"""
    return t("map.noshapes", lang)


def note(title: str, lang: str, *more: Any) -> html.Div:
    """The block said instead of the map: the card's title (the map drew it; screen readers have
    the card's heading already), ``more`` (e.g. where the commune is), and the message."""
    head = html.P(html.Strong(title), className="mb-1", **{"aria-hidden": "true"}) if title else None
    parts = [p for p in (head, *more, html.P(no_shapes_message(lang), className="mb-2")) if p is not None]
    return html.Div(parts, className=NO_MAP, role="note")


def no_shapes_card(
    card: str,
    export: Export,
    params: dict[str, Any],
    lang: str,
    listing: Any,
    height: int = 640,
    embed: bool = True,
    beside: bool = True,
) -> tuple:
    """The ``cards.graph_outputs`` tuple of a map whose communes have no shapes: the message in
    words above the list of values (``beside``: a map card's list) or in the source slot (a chart
    card, whose table is folded), no image download; the figure (embeds, direct image links)
    says it too."""
    message = no_shapes_message(lang)
    fig = empty_figure(wrap(message), lang, height=height)
    out = list(cards.graph_card(card, fig, export, params, lang, listing, embed=embed))
    head = common.split_title(export.title)[0]
    if beside:
        out[2] = html.Div([note(head, lang), listing])
    else:
        out[1] = [note(head, lang, listing), *(out[1] or [])]
    out[8] = out[9] = "#"  # « Image PNG / SVG » of a blank map: not offered
    return tuple(out)


def uncovered_card(message: str, title: str, lang: str, height: int = 640) -> tuple:
    """The ``cards.graph_outputs`` tuple of a map of an indicator with no value at all for the
    home: the message in words (figure and text) instead of a map and a list of "n.d."; no
    download of an empty table."""
    out = list(cards.empty_graph_card(empty_figure(wrap(message), lang, height=height), message))
    out[2] = html.P(message, className="alert alert-info", role="note")
    out[6] = common.split_title(title)[0]
    return tuple(out)


def no_shapes_intro(lang: str) -> str:
    """The map explorer's subtitle without a map: the message, and what the list's names do."""
    return f"{no_shapes_message(lang)} {t('map.noshapes_list', lang)}"
