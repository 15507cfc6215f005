"""Commune profile (``/commune/<code>``): summary of notable gaps, locator map, one indicator in
detail (beside GOSB, the department and the MGP; over time; among the MGP communes) and the whole
profile theme by theme."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "commune"


def layout(
    lang: str,
    code: str,
    name: str,
    subtitle: str,
    links: list[tuple[str, str]],
    indicator_options: list[dict[str, str]],
    year_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
) -> html.Div:
    """``links``: (href, label) shown under the title (territory, department, map, comparison)."""
    nav = html.P(
        [
            item
            for i, (href, label) in enumerate(links)
            for item in ((" · " if i else ""), dcc.Link(label, href=href))
        ],
        className="small mb-0",
    )
    return html.Div(
        [
            context_store(PAGE, lang, args={"code": code}, defaults=defaults),
            page_header(name, subtitle, nav),
            dbc.Row(
                [
                    dbc.Col(
                        card(
                            Card.CO_SUMMARY, lang, kind="text", heading=t("co.summary", lang), downloads=False
                        ),
                        lg=8,
                    ),
                    dbc.Col(
                        card(
                            Card.CO_LOCATOR,
                            lang,
                            height=300,
                            heading=t("co.locator", lang, name=name),
                            downloads=False,
                            modebar=False,
                        ),
                        lg=4,
                    ),
                ]
            ),
            html.H2(t("co.detail", lang), className="h4 mt-2"),
            controls(
                select(
                    PAGE, "indicateur", t("ctl.indicator", lang), indicator_options, state.get("indicateur")
                ),
                select(PAGE, "annee", t("ctl.year", lang), year_options, state.get("annee")),
            ),
            dbc.Row(
                [
                    dbc.Col(card(Card.CO_BARS, lang, height=320, heading=t("co.detail", lang)), lg=6),
                    dbc.Col(card(Card.CO_SERIES, lang, height=380, heading=t("co.detail", lang)), lg=6),
                ]
            ),
            card(Card.CO_STRIP, lang, height=300, heading=t("co.detail", lang)),
            card(Card.CO_PROFILE, lang, kind="table", heading=t("co.profile", lang), embed=False),
        ]
    )
