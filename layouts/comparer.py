"""Comparison (``/comparer``): 2 to 6 communes, territories or custom groups side by side, over time."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import dropdown_labels, t
from layouts.ids import Card

PAGE = "comparer"


def territory_picker(
    lang: str,
    options: list[dict[str, str]],
    value: list[str],
    notice: str = "",
) -> html.Div:
    """The territories compared (in the URL as ``territoires``), its texts in ``lang``, and the
    message shown when the maximum is reached (a polite live region)."""
    picker_id = ids.param(PAGE, "territoires")
    return html.Div(
        [
            html.Span(t("ctl.territories", lang), className="form-label d-block small fw-semibold mb-1"),
            dcc.Dropdown(
                id=picker_id,
                options=options,
                value=value,
                multi=True,
                labels=dropdown_labels(lang),
                placeholder=t("dd.search", lang),
            ),
            html.P(
                notice,
                id=ids.CMP_NOTICE,
                className="small text-danger-emphasis mt-1 mb-0 cmp-notice",
                role="status",
                **{"aria-live": "polite"},
            ),
        ],
        className="control",
    )


def layout(
    lang: str,
    indicator_options: list[dict[str, str]],
    territory_options: list[dict[str, str]],
    commune_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
    notice: str = "",
    picker_notice: str = "",
) -> html.Div:
    """The page; ``notice``: what was left out of the URL's list (unknown codes), if anything."""
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
                        labels=dropdown_labels(lang),
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
            html.Div(notice, className="alert alert-warning py-2", role="status") if notice else None,
            controls(
                territory_picker(lang, territory_options, state.get("territoires", []), picker_notice),
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
