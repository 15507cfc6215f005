"""Territory overview (``/``): GOSB key figures beside the metropolis and two departments, a map of
the 24 communes and the 12 territories ranked on a chosen indicator."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

import config
from layouts.actions import place_actions
from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "overview"


def layout(
    lang: str,
    indicator_options: list[dict[str, str]],
    year_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
) -> html.Div:
    """``state``: ``indicateur`` and ``annee`` from the URL; ``defaults``: their default values."""
    return html.Div(
        [
            context_store(PAGE, lang, defaults=defaults),
            # « Fiche PDF » (/export/territoire/<code>.pdf), « Présenter » and « PowerPoint » of the
            # territory (the deck's theme follows the indicator: callbacks.actions)
            page_header(
                t("ov.title", lang),
                t("ov.intro", lang),
                place_actions(PAGE, config.home().code, "emploi", lang),
            ),
            card(Card.OV_KPIS, lang, kind="table", heading=t("ov.kpis", lang), embed=False),
            controls(
                select(
                    PAGE, "indicateur", t("ctl.indicator", lang), indicator_options, state.get("indicateur")
                ),
                select(PAGE, "annee", t("ctl.year", lang), year_options, state.get("annee")),
            ),
            dbc.Row(
                [
                    dbc.Col(card(Card.OV_MAP, lang, height=560, heading=t("nav.map", lang)), lg=6),
                    dbc.Col(card(Card.OV_RANK, lang, height=560, heading=t("col.rank", lang)), lg=6),
                ]
            ),
        ]
    )
