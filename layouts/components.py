"""Reusable components (pure builders, no data access): cards holding a chart or a table with their
source line, downloads, embed code and text alternative; URL-synchronised controls; tables.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, get_relative_path, html

from layouts import ids
from layouts.i18n import t


def graph_config(card: str, lang: str, modebar: bool = False) -> dict[str, Any]:
    """Plotly config: no modebar (its six English-labelled Tab stops are replaced by the card's own
    image and data links), no logo, French/English locale, the app's own base-map layers."""
    return {
        "displayModeBar": False,
        "displaylogo": False,
        "responsive": True,
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


def _link(label: str, id_: dict[str, Any], outline: str = "primary") -> html.A:
    return html.A(label, id=id_, href="#", download="", className=f"btn btn-sm btn-outline-{outline}")


def _toolbar(card: str, lang: str, embed: bool, downloads: bool, images: bool) -> html.Div:
    """Image (PNG, SVG) and data (CSV, XLSX) downloads and the embed code, one Tab stop each;
    parts not wanted are rendered hidden (callbacks always find their outputs)."""
    image_links = [
        _link(t("card.image_png", lang), ids.card_image(card, "png"), "secondary"),
        _link(t("card.image_svg", lang), ids.card_image(card, "svg"), "secondary"),
    ]
    items: list[Any] = [
        *(image_links if images else [html.Div(image_links, hidden=True)]),
        _link(t("card.download_csv", lang), ids.card_download(card, "csv")),
        _link(t("card.download_xlsx", lang), ids.card_download(card, "xlsx")),
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
    return html.Div(
        items,
        className="card-toolbar d-flex flex-wrap gap-2 align-items-start",
        role="group",
        **{"aria-label": t("card.downloads", lang)},
    )


def _chart(card: str, lang: str, height: int, modebar: bool) -> html.Figure:
    """The chart inside a ``role="img"`` wrapper named by a visually hidden caption that says what
    it shows and its main values (filled by the card's callback)."""
    desc_id = ids.card_desc(card)
    return html.Figure(
        [
            html.Div(
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
                role="img",
                className="chart-img",
                **{"aria-labelledby": _dom_id(desc_id)},
            ),
            html.Figcaption(id=desc_id, className="visually-hidden"),
        ],
        className="mb-1",
    )


def _dom_id(id_: dict[str, Any]) -> str:
    """The DOM ``id`` Dash gives a pattern-matching id (its sorted, compact JSON)."""
    return json.dumps(id_, sort_keys=True, separators=(",", ":"))


def card(
    card: str,
    lang: str,
    kind: str = "graph",
    height: int = 420,
    heading: str = "",
    embed: bool = True,
    downloads: bool = True,
    class_name: str = "",
    modebar: bool = False,
    images: bool = True,
) -> html.Section:
    """A card: heading, chart (``kind="graph"``), map with its list of communes beside
    (``"map"``) or body (``"table"``/``"text"``), visible source line, downloads (PNG, SVG, CSV,
    XLSX), embed code, and the text alternative (a table one click away in a <details>; for maps,
    the list beside the map, each commune a link to its profile).

    For charts the heading is read by screen readers only (the callback replaces it with the
    chart's title): the chart draws its own title, so that the image download carries it.
    ``modebar`` is accepted for old callers and ignored: charts never show plotly's toolbar.
    """
    title_id = ids.card_title(card)
    parts: list[Any]
    if kind in ("graph", "map"):
        parts = [html.H2(heading, id=title_id, className="visually-hidden")]
        chart = _chart(card, lang, height, modebar)
        if kind == "map":
            listing = html.Div(
                [
                    html.H3(t("map.list", lang), className="h6 mb-1"),
                    html.P(t("map.list_help", lang), className="small text-body-secondary mb-1"),
                    html.Div(
                        id=ids.card_alt(card),
                        className="map-list",
                        tabIndex=0,
                        role="region",
                        **{"aria-label": t("map.list", lang)},
                    ),
                ],
                className="map-side",
            )
            parts.append(
                dbc.Row([dbc.Col(chart, xs=12, lg=8), dbc.Col(listing, xs=12, lg=4)], className="g-2")
            )
        else:
            parts.append(chart)
    else:
        parts = [html.H2(heading, id=title_id, className="h5 card-title")]
        parts.append(dcc.Loading(html.Div(id=ids.card_body(card)), type="dot", delay_show=300))
    # a Div: the source line may be followed by officers' public notes (callbacks.annotations)
    parts.append(html.Div(id=ids.card_source(card), className="card-source small text-body-secondary mb-2"))
    parts.append(_toolbar(card, lang, embed, downloads, images and kind in ("graph", "map")))
    if kind == "graph":
        parts.append(
            html.Details(
                [html.Summary(t("card.table", lang)), html.Div(id=ids.card_alt(card), className="alt-table")],
                className="mt-2 small",
            )
        )
    return html.Section(
        dbc.CardBody(parts),
        className=f"card fig-card mb-3 {'map-card ' if kind == 'map' else ''}{class_name}".strip(),
        **{"aria-labelledby": _dom_id(title_id)},
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
