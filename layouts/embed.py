"""Embedded figure (``/embed/<card>``): one card, without navigation, with a link back to the full
view; its URL parameters drive hidden controls so that the page's own callbacks draw it."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from layouts import ids
from layouts.components import card, context_store, select
from layouts.i18n import t


def layout(
    lang: str,
    page: str,
    card_name: str,
    params: dict[str, Any],
    args: dict[str, str],
    back: str,
    height: int = 460,
) -> html.Div:
    """``params``: the URL parameters of the card (hidden controls); ``args``: path parameters."""
    hidden: list[Any] = []
    for name, value in params.items():
        if isinstance(value, list):
            opts = [{"label": v, "value": v} for v in value]
            hidden.append(dcc.Dropdown(id=ids.param(page, name), options=opts, value=value, multi=True))
        else:
            hidden.append(select(page, name, name, [{"label": value, "value": value}], value))
    return html.Div(
        [
            context_store(page, lang, args=args, defaults=params),
            html.Div(hidden, hidden=True),
            card(card_name, lang, height=height, embed=False, class_name="embed-card"),
            html.P(
                html.A(t("card.open", lang) + " ↗", href=back, target="_blank", rel="noopener"),
                className="small mb-0",
            ),
        ],
        className="embed",
    )
