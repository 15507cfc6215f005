"""Sources and provenance (``/sources``): every declared source and every raw file loaded."""

from __future__ import annotations

from dash import html

from layouts.components import card, context_store, page_header
from layouts.i18n import t
from layouts.ids import Card

PAGE = "sources"


def layout(lang: str) -> html.Div:
    return html.Div(
        [
            context_store(PAGE, lang),
            page_header(t("src.title", lang), t("src.intro", lang)),
            card(Card.SOURCES, lang, kind="table", heading=t("src.files", lang), embed=False),
        ]
    )
