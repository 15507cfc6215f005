"""Commune profile (``/commune/<code>``): « En bref », locator map, the place's buttons (fiche PDF,
presentation, PowerPoint), then one theme at a time (``?theme=emploi``): one indicator of the theme
in detail (beside the home, the department and the MGP, or the home's region outside the metropolis;
over time; among the MGP's or the home's communes) and the table of every indicator of the theme.
Only the theme in view is built (fast first chart)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.actions import place_actions
from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "commune"


def theme_tabs(tabs: list[tuple[str, str, str]], active: str, lang: str) -> html.Ul:
    """The themes as links (one URL per theme; keyboard and phone friendly): (theme, label, href)."""
    items = []
    for theme, label, href in tabs:
        on = theme == active
        # dcc.Link takes no aria-current: the theme in view is said in hidden text
        text: list[Any] = (
            [label, html.Span(t("co.theme_shown", lang), className="visually-hidden")] if on else [label]
        )
        items.append(
            html.Li(
                dcc.Link(text, href=href, className="nav-link" + (" active" if on else "")),
                className="nav-item",
            )
        )
    return html.Ul(items, className="nav nav-tabs theme-tabs")


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
    tabs: list[tuple[str, str, str]] | None = None,
    theme_options: list[dict[str, str]] | None = None,
    inside: bool = True,
) -> html.Div:
    """``links``: (href, label) shown under the title (comparison, map); ``tabs``: the themes
    (theme, label, href); ``state["theme"]``: the theme in view; ``inside``: the home is in the
    metropolis (else the captions name its intercommunality and region, issue #11)."""
    theme = state.get("theme") or ""
    epci = "" if inside else "_epci"
    nav = html.P(
        [
            item
            for i, (href, label) in enumerate(links)
            for item in ((" · " if i else ""), dcc.Link(label, href=href))
        ],
        className="small mb-0",
    )
    header_extra = html.Div([nav, place_actions(PAGE, code, theme, lang)])
    return html.Div(
        [
            context_store(PAGE, lang, args={"code": code}, defaults=defaults),
            page_header(name, subtitle, header_extra),
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
                            class_name="locator-card",
                        ),
                        lg=4,
                    ),
                ]
            ),
            html.Nav(
                theme_tabs(tabs or [], theme, lang),
                id=ids.CO_TABS,
                className="mt-2 mb-3",
                **{"aria-label": t("co.themes", lang)},
            ),
            # The theme lives in the URL like the other controls; the links above change it.
            html.Div(select(PAGE, "theme", t("pres.theme", lang), theme_options or [], theme), hidden=True),
            html.Section(
                [
                    html.H2(t("co.detail", lang), className="h4 visually-hidden"),
                    controls(
                        select(
                            PAGE,
                            "indicateur",
                            t("ctl.indicator", lang),
                            indicator_options,
                            state.get("indicateur"),
                        ),
                        select(PAGE, "annee", t("ctl.year", lang), year_options, state.get("annee")),
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                card(
                                    Card.CO_BARS,
                                    lang,
                                    height=320,
                                    heading=t("co.cap_bars" + epci, lang, name=name),
                                ),
                                lg=6,
                            ),
                            dbc.Col(
                                card(
                                    Card.CO_SERIES, lang, height=380, heading=t("co.series", lang, name=name)
                                ),
                                lg=6,
                            ),
                        ]
                    ),
                    card(Card.CO_STRIP, lang, height=300, heading=t("co.cap_strip" + epci, lang, name=name)),
                    card(
                        Card.CO_PROFILE,
                        lang,
                        kind="table",
                        heading=t("co.theme_table", lang),
                        embed=False,
                    ),
                ],
                className="theme-panel",
                **{"aria-label": t("co.detail", lang)},
            ),
        ]
    )
