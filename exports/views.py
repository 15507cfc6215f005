"""Images of the app's views (``/export/vue/<card>.png|svg?…``): the chart or map of a card as the
page draws it, with its title, legend and source line, rendered on the server by
``exports.render`` (kaleido and Debian's Chromium, offline).

The app registers, per card, a function (URL parameters, language) → standalone plotly figure
(``register``; done by ``callbacks.views``), so that this layer never imports the app's callbacks.
An unknown card raises ``KeyError`` (the route answers 404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import plotly.graph_objects as go

from config.texts import by_name
from exports.render import render_figure
from layouts.i18n import norm_lang

ViewFigure = Callable[[dict[str, str], str], go.Figure]
VIEWS: dict[str, ViewFigure] = {}
#: former card name → card (``register(…, aliases=…)``)
ALIASES: dict[str, str] = {}
WIDTH = 1200  # pixels: wide enough for the legend beside a map, a slide's half at 2×
SCALE = 2  # PNG pixels per CSS pixel (sharp when printed or projected)


def register(card: str, build: ViewFigure, aliases: tuple[str, ...] = ()) -> None:
    """Make ``/export/vue/<card>.png|svg`` (and ``/export/vue/<alias>.…``) draw ``build(params, lang)``."""
    VIEWS[card] = build
    ALIASES.update({alias: card for alias in aliases})


def view_image(card: str, args: dict[str, str], fmt: Literal["png", "svg"]) -> tuple[bytes, str]:
    """(bytes, file name) of card ``card``'s view for the URL parameters ``args``."""
    card = ALIASES.get(card, card)  # a former card name, kept for published links
    build = VIEWS[card]
    lang = norm_lang(args.get("lang"))
    fig = build({k: v for k, v in args.items() if k != "lang"}, lang)
    height = int(fig.layout.height or 600)
    scale = SCALE if fmt == "png" else 1
    body = render_figure(fig, fmt, WIDTH, height, scale=scale)
    stem = by_name("dlfile.").get(card, {}).get(lang, card)  # the card's name in the file's language
    parts = [stem, *(str(args[k]) for k in ("code", "indicateur", "annee") if args.get(k))]
    return body, "-".join(parts) + f".{fmt}"
