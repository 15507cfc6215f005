"""The app shell: skip link, header with navigation, commune search and language switch, the page
container filled by the router, the footer; plus the friendly error page.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.i18n import dropdown_labels, home_words, t


def app_shell() -> html.Div:
    """The static layout: the router fills ``NAV``, ``PAGE`` and ``FOOTER`` (in the URL's language)."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.DOC),
            dcc.Store(id=ids.SINK_DOC),
            dcc.Store(id=ids.SINK_NAV),
            dcc.Store(id=ids.DROPPED),
            html.Div(id=ids.NAV),
            html.Main(
                dbc.Container(html.Div(id=ids.PAGE), fluid="xl", className="py-3"), id=ids.MAIN, tabIndex="-1"
            ),
            html.Div(id=ids.FOOTER),
        ]
    )


def navbar(
    items: list[tuple[str, str, bool]], lang: str, search_options: list[dict[str, str]]
) -> html.Header:
    """Header: brand, navigation (href, label, active), commune search, language switch."""
    links = [
        dbc.NavItem(
            dcc.Link(
                label,
                href=href,
                className="nav-link" + (" active" if active else ""),
                **({"aria-current": "page"} if active else {}),
            )
        )
        for href, label, active in items
    ]
    home = "/?lang=en" if lang == "en" else "/"
    search = html.Div(
        [
            html.Label(t("search.label", lang), htmlFor=ids.SEARCH, className="visually-hidden"),
            dcc.Dropdown(
                id=ids.SEARCH,
                options=search_options,
                placeholder=t("search.placeholder", lang),
                clearable=True,
                searchable=True,
                # the server ranks the options (callbacks.search): keep its order
                search_order="original",
                labels={**dropdown_labels(lang), "search": t("search.placeholder", lang)},
                className="search-box",
            ),
        ],
        className="search-wrap",
        role="search",
    )
    switch = html.A(
        t("lang.switch", lang),
        id=ids.LANG_LINK,
        href="?lang=en" if lang == "fr" else "?lang=fr",
        hrefLang="en" if lang == "fr" else "fr",
        lang="en" if lang == "fr" else "fr",
        title=t("lang.switch_label", lang),
        className="btn btn-sm btn-outline-light lang-switch",
    )
    skip = html.A(
        t("skip", lang), href="#main", id=ids.SKIP_LINK, className="visually-hidden-focusable skip-link"
    )
    return html.Header(
        [
            skip,
            dbc.Navbar(
                dbc.Container(
                    [
                        dcc.Link(_brand(lang), href=home, className="navbar-brand fw-bold"),
                        html.Button(
                            html.Span(className="navbar-toggler-icon"),
                            id=ids.NAV_TOGGLER,
                            className="navbar-toggler",
                            type="button",
                            n_clicks=0,
                            **{"aria-label": t("nav.label", lang), "aria-controls": ids.NAV_COLLAPSE},
                        ),
                        dbc.Collapse(
                            [
                                html.Nav(dbc.Nav(links, navbar=True), **{"aria-label": t("nav.label", lang)}),
                                html.Div(
                                    [search, switch],
                                    className="d-flex gap-2 align-items-center ms-lg-auto py-2",
                                ),
                            ],
                            id=ids.NAV_COLLAPSE,
                            navbar=True,
                            is_open=False,
                        ),
                    ],
                    fluid="xl",
                ),
                color="primary",
                dark=True,
                expand="lg",
                className="app-navbar",
            ),
        ]
    )


def _brand(lang: str) -> list[Any]:
    """« Observatoire <Plaine Commune> »: the home's short name kept on one line, so that a brand
    squeezed by a narrow header (assets/app.css) wraps onto two lines at most, between the words
    « Observatoire » and the name, never inside the name."""
    brand = t("app.short", lang)
    short = str(home_words().get("home_short") or "")
    before, found, after = brand.partition(short) if short else (brand, "", "")
    # a name too long for one line of the brand (11em, assets/app.css) may wrap like any text
    if not found or not (before.strip() or after.strip()) or len(short) > 18:
        return [brand]
    return [before, html.Span(short, className="text-nowrap"), after]


def footer(lang: str) -> html.Footer:
    return html.Footer(
        dbc.Container(
            [
                html.P(t("app.title", lang), className="fw-semibold mb-1"),
                html.P(t("footer.text", lang), className="small mb-1"),
                html.P(
                    [
                        dcc.Link(
                            t("nav.sources", lang), href="/sources" + ("?lang=en" if lang == "en" else "")
                        ),
                        " · ",
                        html.A("API /api/v1", href="/api/v1/indicators"),
                        " · ",
                        dcc.Link(
                            t("a11y.footer", lang),
                            href="/accessibilite" + ("?lang=en" if lang == "en" else ""),
                        ),
                    ],
                    className="small mb-0",
                ),
            ],
            fluid="xl",
        ),
        className="app-footer py-3 mt-4",
    )


def error_page(title: str, message: str, links: list[tuple[str, str]], lang: str) -> html.Div:
    """Friendly page for an unknown address or value: what went wrong and where to go instead."""
    items: list[Any] = [html.Li(dcc.Link(label, href=href)) for href, label in links]
    return html.Div(
        [
            html.H1(title, className="h3"),
            html.P(message, className="lead-sm", role="alert"),
            html.P(t("err.links", lang), className="mb-1") if items else None,
            html.Ul(items) if items else None,
        ],
        className="error-page py-4",
    )
