"""Embeds (``/embed/<card>?…``): any chart or map alone, for the EPT's and the communes' websites.

The embed page holds the card, the page's context store and hidden controls carrying the URL
parameters, so that the card's usual callback draws it. Commune cards take ``?code=94081``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callbacks import carte, commune, comparer, overview
from callbacks.registry import Page, PageError, PageResult, Request, register
from callbacks.state import href
from layouts import embed as view
from layouts.i18n import t
from layouts.ids import LEGACY_CARDS, Card

StateFn = Callable[[Request], tuple[dict[str, Any], dict[str, Any], dict[str, str]]]
#: card → (page key, page state function, full view path, height)
EMBEDS: dict[str, tuple[str, StateFn, str, int]] = {
    Card.OV_MAP: (overview.PAGE, overview.page_state, "/", 560),
    Card.OV_RANK: (overview.PAGE, overview.page_state, "/", 560),
    Card.MAP: (carte.PAGE, carte.page_state, "/carte", 640),
    Card.CO_BARS: (commune.PAGE, commune.page_state, "/commune/{code}", 320),
    Card.CO_SERIES: (commune.PAGE, commune.page_state, "/commune/{code}", 380),
    Card.CO_STRIP: (commune.PAGE, commune.page_state, "/commune/{code}", 300),
    Card.CMP_SERIES: (comparer.PAGE, comparer.page_state, "/comparer", 420),
    Card.CMP_BARS: (comparer.PAGE, comparer.page_state, "/comparer", 420),
}


def build(req: Request) -> PageResult:
    name = LEGACY_CARDS.get(req.args["card"], req.args["card"])  # published embeds of a former name
    if name not in EMBEDS:
        raise PageError(t("err.page", req.lang))
    page, state_fn, path, height = EMBEDS[name]
    state, _, args = state_fn(req)
    back = href(path.format(**args), state, req.lang)
    layout = view.layout(req.lang, page, name, state, args, back, height)
    return PageResult(layout, t("app.short", req.lang), chrome=False)


register(Page(key="embed", path="/embed/<card>", build=build, order=90))
