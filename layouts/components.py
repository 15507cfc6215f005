"""Reusable components (pure builders, no data access): cards holding a chart or a table with their
source line, downloads, embed code and text alternative; URL-synchronised controls; tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, get_relative_path, html

from layouts import ids
from layouts.i18n import t


def graph_config(card: str, lang: str, modebar: bool = True) -> dict[str, Any]:
    """Plotly modebar: PNG export named after the card, no lasso/select, no logo, French/English."""
    return {
        "displayModeBar": "hover" if modebar else False,
        "displaylogo": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": f"observatoire-gosb-{card}", "scale": 2},
        "locale": lang,
        # Base layers of ``geo`` maps, served by the app: empty ones (assets/topojson/README.md).
        "topojsonURL": _relative("/assets/topojson/blank/"),
    }


def _relative(path: str) -> str:
    """``path`` under the app's base path (works without a running app too)."""
    try:
        return get_relative_path(path)
    except Exception:  # noqa: BLE001 - no app context (unit tests)
        return path


def _toolbar(card: str, lang: str, embed: bool, downloads: bool) -> html.Div:
    """Download links and embed code; parts not wanted are rendered hidden (callbacks always find
    their outputs)."""
    items: list[Any] = [
        html.A(
            t("card.download_csv", lang),
            id=ids.card_download(card, "csv"),
            href="#",
            download="",
            className="btn btn-sm btn-outline-primary",
        ),
        html.A(
            t("card.download_xlsx", lang),
            id=ids.card_download(card, "xlsx"),
            href="#",
            download="",
            className="btn btn-sm btn-outline-primary",
        ),
    ]
    items.append(
        html.Details(
            [
                html.Summary(t("card.embed", lang), className="btn btn-sm btn-outline-secondary"),
                html.Label(
                    [
                        html.Span(t("card.embed_help", lang), className="d-block small"),
                        dcc.Textarea(
                            id=ids.card_embed(card), readOnly=True, className="form-control embed-code"
                        ),
                    ],
                    className="w-100 mt-1",
                ),
            ],
            className="embed-details",
            hidden=not embed,
        )
    )
    if not downloads:
        return html.Div(items, hidden=True)
    return html.Div(items, className="card-toolbar d-flex flex-wrap gap-2 align-items-start")


def card(
    card: str,
    lang: str,
    kind: str = "graph",
    height: int = 420,
    heading: str = "",
    embed: bool = True,
    downloads: bool = True,
    class_name: str = "",
    modebar: bool = True,
) -> html.Section:
    """A card: heading, chart (``kind="graph"``) or body (``"table"``/``"text"``), visible source line,
    download links (CSV, XLSX), embed code, and the text alternative (a table in a <details>).

    For charts the heading is read by screen readers only: the chart draws its own title (so that the
    PNG export and embeds carry it).
    """
    title_id = ids.card_title(card)
    if kind == "graph":
        body: Any = html.Figure(
            [
                html.Figcaption(heading, id=title_id, className="visually-hidden"),
                dcc.Loading(
                    dcc.Graph(
                        id=ids.card_graph(card),
                        config=graph_config(card, lang, modebar),
                        style={"height": f"{height}px"},
                        figure={"data": [], "layout": {"height": height}},
                    ),
                    type="dot",
                    delay_show=300,
                ),
            ],
            className="mb-1",
        )
        heading_el = None
    else:
        heading_el = html.H2(heading, id=title_id, className="h5 card-title")
        body = dcc.Loading(html.Div(id=ids.card_body(card)), type="dot", delay_show=300)
    parts: list[Any] = [heading_el] if heading_el is not None else []
    parts += [body, html.P(id=ids.card_source(card), className="card-source small text-body-secondary mb-2")]
    parts.append(_toolbar(card, lang, embed, downloads))
    if kind == "graph":
        parts.append(
            html.Details(
                [html.Summary(t("card.table", lang)), html.Div(id=ids.card_alt(card), className="alt-table")],
                className="mt-2 small",
            )
        )
    return html.Section(
        dbc.CardBody(parts),
        className=f"card fig-card mb-3 {class_name}".strip(),
        **{"aria-labelledby": title_id},
    )


def select(page: str, name: str, label: str, options: list[dict[str, str]], value: str | None) -> html.Label:
    """A native <select> (keyboard and phone friendly) whose value lives in the URL as ``name``."""
    return html.Label(
        [
            html.Span(label, className="form-label d-block small fw-semibold mb-1"),
            dbc.Select(id=ids.param(page, name), options=options, value=value or ""),
        ],
        className="control d-block",
    )


def multi_dropdown(
    page: str, name: str, label: str, options: list[dict[str, str]], value: list[str], placeholder: str = ""
) -> html.Div:
    """A searchable multiple choice whose values live in the URL as ``name`` (comma-separated)."""
    return html.Div(
        [
            html.Span(label, className="form-label d-block small fw-semibold mb-1"),
            dcc.Dropdown(
                id=ids.param(page, name), options=options, value=value, multi=True, placeholder=placeholder
            ),
        ],
        className="control",
    )


def controls(*items: Any) -> html.Form:
    """A row of controls (a <form role="search"> that never submits)."""
    cols = [dbc.Col(item, xs=12, md=True, className="mb-2") for item in items]
    return html.Form(dbc.Row(cols, className="g-2"), className="controls-bar mb-3", role="group")


def table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "", numeric_from: int = 1
) -> html.Table:
    """An accessible HTML table (caption, <th scope>); columns from ``numeric_from`` right-aligned."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in header]))
    body_rows = []
    for row in rows:
        cells = [html.Th(row[0], scope="row")] + [
            html.Td(c, className="text-end" if i + 1 >= numeric_from else "") for i, c in enumerate(row[1:])
        ]
        body_rows.append(html.Tr(cells))
    parts: list[Any] = [html.Caption(caption)] if caption else []
    return html.Table(
        parts + [head, html.Tbody(body_rows)], className="table table-sm table-striped align-middle"
    )


def page_header(title: str, intro: str = "", extra: Any = None) -> html.Header:
    """The page's <h1> and introduction."""
    parts: list[Any] = [html.H1(title, className="h3 mb-1")]
    if intro:
        parts.append(html.P(intro, className="lead-sm text-body-secondary mb-2"))
    if extra is not None:
        parts.append(extra)
    return html.Header(parts, className="page-header mb-3")


def context_store(
    page: str, lang: str, args: dict[str, str] | None = None, defaults: dict[str, Any] | None = None
) -> dcc.Store:
    """The page's context (language, path parameters, default values of its URL parameters)."""
    return dcc.Store(
        id=ids.ctx(page), data={"page": page, "lang": lang, "args": args or {}, "defaults": defaults or {}}
    )
