"""The charts and maps of the pages as images (``/export/vue/<card>.png|svg?…``): each card's
figure exactly as its callback draws it, made standalone (its source line drawn once in the
picture, map shapes inlined so that the server's browser needs no URL) and registered with
``exports.views``, which renders it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from callbacks import carte, commune, comparer, geo, overview
from exports.views import register
from figures.base import standalone
from layouts.ids import LEGACY_CARDS, Card

Draw = Callable[[dict[str, Any], str], tuple]


def inline_shapes(fig: go.Figure) -> go.Figure:
    """``fig`` with every ``/geo/<layer>.geojson`` URL replaced by the layer itself."""
    for trace in fig.data:
        ref = getattr(trace, "geojson", None)
        if isinstance(ref, str) and "/geo/" in ref:
            name = ref.rsplit("/geo/", 1)[1].removesuffix(".geojson")
            trace.geojson = json.loads(geo.feature_collection(name)[0])
    return fig


def _overview(draw: Draw) -> Draw:
    return lambda p, lang: draw(overview.clean(p.get("indicateur"), p.get("annee")), lang)


#: card → its drawing function (params, lang) → the tuple of ``cards.graph_outputs``.
DRAWS: dict[str, Draw] = {
    Card.MAP: carte.draw,
    Card.OV_MAP: _overview(overview.draw_map),
    Card.OV_RANK: _overview(overview.draw_ranking),
    Card.CO_BARS: commune.draw_bars,
    Card.CO_SERIES: commune.draw_series,
    Card.CO_STRIP: commune.draw_strip,
    Card.CMP_SERIES: comparer.draw_series,
    Card.CMP_BARS: comparer.draw_bars,
}


def view_figure(draw: Draw) -> Callable[[dict[str, str], str], go.Figure]:
    def build(params: dict[str, str], lang: str) -> go.Figure:
        fig = draw(dict(params), lang)[0]
        return standalone(inline_shapes(go.Figure(fig)), width=1200)

    return build


for _card, _draw in DRAWS.items():
    register(_card, view_figure(_draw), tuple(old for old, new in LEGACY_CARDS.items() if new == _card))
