"""Presentation mode (``/presentation``): the deck chooser and the full-window slide deck.

Pure builders: ``callbacks.presentation`` reads the URL and the store, then calls them.

* ``chooser``: territory (commune, GOSB, another territory, the MGP, or a custom group of
  communes), a ready-made theme or a free list of indicators, and the links (present, PPTX, PDF).
* ``deck``: every slide in the page at once (``section.pres-slide``), only one visible; the
  client script ``assets/presentation.js`` moves between them (arrows, space, clicks), keeps
  ``?slide=N`` in the address and toggles full screen. Type sizes follow the slide's size
  (container query units in ``assets/presentation.css``), so 1920×1080 and 1366×768 both fit.

Component ids of this page are the ``PRES_*`` constants below (not in ``layouts.ids``, whose
pattern-matching ``param`` ids the router synchronises: these controls must not move the URL).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import dcc, html

PAGE = "presentation"
PRES_TERRITORY = "pres-territory"
PRES_GROUP = "pres-group"
PRES_THEME = "pres-theme"
PRES_INDICATORS = "pres-indicators"
PRES_LAUNCH = "pres-launch"
PRES_PPTX = "pres-pptx"
PRES_PDF = "pres-pdf"
PRES_FICHE = "pres-fiche"
PRES_HINT = "pres-hint"
PRES_DECK = "pres-deck"
CUSTOM = "sur-mesure"
#: Graph config of the slides: a still image (clicks go to the deck, no toolbar on stage).
GRAPH_CONFIG = {"staticPlot": True, "responsive": True, "displayModeBar": False}


def _field(label: str, control: Any, help_text: str = "") -> html.Div:
    return html.Div(
        [
            html.Label(label, className="form-label fw-semibold", htmlFor=control.id),
            control,
            html.Div(help_text, className="form-text") if help_text else None,
        ],
        className="mb-3",
    )


def chooser(
    territories: list[dict[str, str]],
    communes: list[dict[str, str]],
    themes: list[dict[str, str]],
    indicators: list[dict[str, str]],
    state: dict[str, Any],
    links: dict[str, str | None],
    error: str | None = None,
) -> html.Div:
    """The form that builds a deck link; ``state``: territory, group, theme, indicators."""
    link_row = html.Div(
        [
            dcc.Link(
                "Lancer la présentation",
                id=PRES_LAUNCH,
                href=links.get("launch") or "#",
                className="btn btn-primary btn-lg me-2",
            ),
            html.A(
                "PowerPoint (.pptx)",
                id=PRES_PPTX,
                href=links.get("pptx") or "#",
                className="btn btn-outline-primary me-2",
            ),
            html.A(
                "PDF de la présentation",
                id=PRES_PDF,
                href=links.get("pdf") or "#",
                className="btn btn-outline-primary me-2",
            ),
            html.A(
                "Fiche communale (PDF)",
                id=PRES_FICHE,
                href=links.get("fiche") or "#",
                className="btn btn-outline-secondary",
                hidden=not links.get("fiche"),
            ),
        ],
        className="d-flex flex-wrap gap-2 align-items-center",
    )
    return html.Div(
        [
            html.H1("Mode présentation", className="h2"),
            html.P(
                "Choisissez un territoire et des indicateurs : l'observatoire prépare une diapositive par "
                "indicateur (graphique, message clé, sources), à projeter ou à télécharger.",
                className="lead",
            ),
            html.Div(error, className="alert alert-warning", role="alert") if error else None,
            html.Div(
                [
                    html.Div(
                        [
                            _field(
                                "Territoire",
                                dcc.Dropdown(
                                    id=PRES_TERRITORY,
                                    options=territories,
                                    value=state.get("territory"),
                                    clearable=False,
                                    searchable=True,
                                ),
                            ),
                            _field(
                                "Ou un groupe de communes",
                                dcc.Dropdown(
                                    id=PRES_GROUP,
                                    options=communes,
                                    value=state.get("group") or [],
                                    multi=True,
                                    searchable=True,
                                ),
                                "Deux communes ou plus : le groupe remplace le territoire choisi au-dessus.",
                            ),
                        ],
                        className="col-lg-6",
                    ),
                    html.Div(
                        [
                            _field(
                                "Thème",
                                dcc.RadioItems(
                                    id=PRES_THEME,
                                    options=themes,
                                    value=state.get("theme") or CUSTOM,
                                    inputClassName="me-1",
                                    labelClassName="me-3",
                                ),
                            ),
                            _field(
                                "Indicateurs (sur mesure)",
                                dcc.Dropdown(
                                    id=PRES_INDICATORS,
                                    options=indicators,
                                    value=state.get("indicators") or [],
                                    multi=True,
                                    searchable=True,
                                ),
                                "Dans l'ordre des diapositives.",
                            ),
                        ],
                        className="col-lg-6",
                    ),
                ],
                className="row",
            ),
            link_row,
            html.P(id=PRES_HINT, className="form-text mt-2", children=links.get("hint") or ""),
            html.P(
                "Pendant la présentation : flèches, espace ou clic pour avancer ; F pour le plein écran ; "
                "chaque diapositive a sa propre adresse.",
                className="small text-muted mt-3",
            ),
        ],
        className="pres-chooser",
    )


def _slide(slide: Any, total: int, figure: go.Figure | None, active: int) -> html.Section:
    kind = slide.kind
    body: list[Any] = []
    if kind == "title":
        body = [
            html.H1(slide.title, className="pres-title pres-title--big"),
            html.P(slide.subtitle, className="pres-sub"),
            html.H2("Au programme", className="pres-agenda-title"),
            html.Ol([html.Li(item) for item in slide.items], className="pres-agenda"),
            html.P(slide.message, className="pres-date"),
        ]
    elif kind == "indicator":
        caption = f"{slide.subtitle} · {slide.chart.caption}" if slide.chart else slide.subtitle
        body = [
            html.Header(
                [html.H2(slide.title, className="pres-title"), html.P(caption, className="pres-sub")]
            ),
            html.P(slide.message, className="pres-message"),
            *[html.P(d, className="pres-detail") for d in slide.details],
            html.Div(
                dcc.Graph(
                    figure=figure,
                    config=GRAPH_CONFIG,
                    className="pres-graph",
                    style={"height": "100%", "width": "100%"},
                )
                if figure is not None
                else None,
                className="pres-chart",
                role="img",
                **{"aria-label": slide.chart.alt if slide.chart else ""},
            ),
            html.P("Non disponible : " + ", ".join(slide.chart.missing), className="pres-detail")
            if slide.chart and slide.chart.missing
            else None,
        ]
    else:
        body = [
            html.H2(slide.title, className="pres-title"),
            html.Ul([html.Li(item) for item in slide.items], className="pres-sources"),
            html.P(slide.message, className="pres-detail"),
        ]
    footer = html.Footer(
        [
            html.Span(" · ".join(slide.footer.splitlines()), className="pres-credit"),
            html.Span(f"{slide.number} / {total}", className="pres-num"),
        ],
        className="pres-footer",
    )
    return html.Section(
        [html.Div(body, className="pres-body"), footer],
        className=f"pres-slide pres-slide--{kind}" + (" is-active" if slide.number == active else ""),
        id=f"slide-{slide.number}",
        **{
            "data-slide": str(slide.number),
            "aria-roledescription": "diapositive",
            "aria-label": f"{slide.number} / {total} : {slide.title}",
        },
    )


def deck(
    deck_obj: Any, figures: dict[int, go.Figure], links: dict[str, str | None], active: int = 1
) -> html.Div:
    """The deck (all slides) and its toolbar; ``figures``: slide number → plotly figure; ``active``:
    the slide shown first (the ``slide`` of the URL, so a shared link opens where it points)."""
    total = len(deck_obj.slides)
    active = min(max(active, 1), total)
    tools = [
        html.Button(
            "◀", className="pres-btn", **{"data-pres": "prev", "aria-label": "Diapositive précédente"}
        ),
        html.Span(f"{active} / {total}", className="pres-counter", **{"aria-live": "polite"}),
        html.Button("▶", className="pres-btn", **{"data-pres": "next", "aria-label": "Diapositive suivante"}),
        html.Button("Plein écran", className="pres-btn", **{"data-pres": "fullscreen"}),
        html.A("PPTX", href=links.get("pptx") or "#", className="pres-btn"),
        html.A("PDF", href=links.get("pdf") or "#", className="pres-btn", target="_blank"),
        html.A("Fiche", href=links.get("fiche") or "#", className="pres-btn", target="_blank")
        if links.get("fiche")
        else None,
        dcc.Link("Modifier", href=links.get("edit") or "/presentation", className="pres-btn"),
        dcc.Link("Quitter", href="/", className="pres-btn"),
    ]
    return html.Div(
        [
            html.Nav(
                [t for t in tools if t is not None],
                className="pres-toolbar",
                **{"aria-label": "Commandes de la présentation"},
            ),
            html.Div(
                [_slide(s, total, figures.get(s.number), active) for s in deck_obj.slides],
                className="pres-stage",
            ),
        ],
        id=PRES_DECK,
        className="pres-deck",
        tabIndex="0",
        lang="fr",
        **{
            "data-count": str(total),
            "data-active": str(active),
            "aria-roledescription": "présentation",
            "aria-label": deck_obj.title,
        },
    )
