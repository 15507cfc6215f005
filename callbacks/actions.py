"""The place's buttons (``layouts.actions``): « Présenter » and « PowerPoint » follow the theme in
view, i.e. the theme of the indicator shown (on a commune profile, the tab's; on the territory
page, the chosen indicator's). One callback for every page that has them (``MATCH`` on the page).
"""

from __future__ import annotations

from dash import MATCH, Input, Output

from callbacks import commune_themes, data
from callbacks.registration import callback
from layouts.actions import deck_href, pptx_href


@callback(
    Output({"type": "place-action", "page": MATCH, "kind": "deck"}, "href"),
    Output({"type": "place-action", "page": MATCH, "kind": "pptx"}, "href"),
    Input({"type": "param", "page": MATCH, "name": "indicateur"}, "value"),
    Input({"type": "ctx", "page": MATCH}, "data"),
)
def update_actions(ind_id: str | None, context: dict) -> tuple[str, str]:
    code = (context.get("args") or {}).get("code") or data.home().code  # the overview's territory
    theme = commune_themes.theme_of(ind_id)
    lang = context.get("lang", "fr")
    return deck_href(code, theme, lang), pptx_href(code, theme, lang)
