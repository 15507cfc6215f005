"""Map explorer (``/carte``): any indicator and vintage over the home territory or, for a home in
the metropolis, the whole metropolis (issue #11: a home elsewhere has its own communes only)."""

from __future__ import annotations

from typing import Any

from dash import html

from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "carte"


def layout(
    lang: str,
    indicator_options: list[dict[str, str]],
    year_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
    scope_ids: tuple[str, ...] = ("territoire", "mgp"),
    outlines: str = "map.outlines",
    intro: str | None = None,
) -> html.Div:
    """``scope_ids``: the perimeters offered; ``outlines``: the text key naming the thick lines
    (the 12 territories' boundaries, or the home's own outside the metropolis); ``intro``: the
    page's subtitle when it is not about clicking the map (no map to draw, issue #11)."""
    scopes = [{"label": t(f"scope.{s}", lang), "value": s} for s in scope_ids]
    methods = [{"label": t(f"classes.{m}", lang), "value": m} for m in ("quantiles", "jenks")]
    return html.Div(
        [
            context_store(PAGE, lang, defaults=defaults),
            page_header(t("map.title", lang), intro or t("map.click", lang) + " " + t(outlines, lang)),
            controls(
                select(
                    PAGE, "indicateur", t("ctl.indicator", lang), indicator_options, state.get("indicateur")
                ),
                select(PAGE, "annee", t("ctl.year", lang), year_options, state.get("annee")),
                select(PAGE, "perimetre", t("ctl.scope", lang), scopes, state.get("perimetre")),
                select(PAGE, "classes", t("ctl.classes", lang), methods, state.get("classes")),
            ),
            card(Card.MAP, lang, kind="map", height=640, heading=t("map.title", lang)),
        ]
    )
