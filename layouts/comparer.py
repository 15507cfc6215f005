"""Comparison (``/comparer``): 2 to 6 communes, territories or custom groups side by side, over time."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.components import card, context_store, controls, multi_dropdown, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "comparer"


def layout(
    lang: str,
    indicator_options: list[dict[str, str]],
    territory_options: list[dict[str, str]],
    commune_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
) -> html.Div:
    group = html.Details(
        [
            html.Summary(t("cmp.group", lang)),
            html.Div(
                [
                    html.Label(
                        t("cmp.group_placeholder", lang),
                        htmlFor=ids.GROUP_PICKER,
                        className="visually-hidden",
                    ),
                    dcc.Dropdown(
                        id=ids.GROUP_PICKER,
                        options=commune_options,
                        multi=True,
                        placeholder=t("cmp.group_placeholder", lang),
                        className="flex-grow-1",
                    ),
                    dbc.Button(
                        t("cmp.group_add", lang), id=ids.GROUP_ADD, color="secondary", size="sm", n_clicks=0
                    ),
                ],
                className="d-flex gap-2 align-items-start mt-2",
            ),
        ],
        className="mb-3",
    )
    return html.Div(
        [
            context_store(PAGE, lang, defaults=defaults),
            page_header(t("cmp.title", lang), t("cmp.intro", lang)),
            controls(
                multi_dropdown(
                    PAGE,
                    "territoires",
                    t("ctl.territories", lang),
                    territory_options,
                    state.get("territoires", []),
                ),
                select(
                    PAGE, "indicateur", t("ctl.indicator", lang), indicator_options, state.get("indicateur")
                ),
            ),
            group,
            dbc.Row(
                [
                    dbc.Col(card(Card.CMP_SERIES, lang, height=420, heading=t("cmp.title", lang)), lg=7),
                    dbc.Col(card(Card.CMP_BARS, lang, height=420, heading=t("cmp.title", lang)), lg=5),
                ]
            ),
        ]
    )
