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

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from layouts.i18n import dropdown_labels, t

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


def _step(title: str, children: list[Any], class_name: str = "") -> html.Section:
    return html.Section(
        [html.H2(title, className="h5 pres-step-title"), *children],
        className=f"pres-step {class_name}".strip(),
    )


def chooser(
    territories: list[dict[str, str]],
    communes: list[dict[str, str]],
    themes: list[dict[str, str]],
    indicators: list[dict[str, str]],
    state: dict[str, Any],
    links: dict[str, str | None],
    lang: str = "fr",
    error: str | None = None,
) -> html.Div:
    """The form that builds a deck link, in three numbered steps (area, indicators, present or
    download); ``state``: territory, group, theme, indicators."""
    labels = dropdown_labels(lang)
    link_row = html.Div(
        [
            # a full load: the deck is the same path (/presentation) with another query
            html.A(
                t("pres.launch", lang),
                id=PRES_LAUNCH,
                href=links.get("launch") or "#",
                className="btn btn-primary btn-lg",
            ),
            html.A(
                t("pres.pptx", lang),
                id=PRES_PPTX,
                href=links.get("pptx") or "#",
                className="btn btn-outline-primary",
            ),
            # « Télécharger en PDF » downloads (the route serves it inline for direct links)
            html.A(
                t("pres.pdf", lang),
                id=PRES_PDF,
                href=links.get("pdf") or "#",
                className="btn btn-outline-primary",
                download="presentation.pdf",
            ),
            html.A(
                t("pres.fiche", lang),
                id=PRES_FICHE,
                href=links.get("fiche") or "#",
                className="btn btn-outline-secondary",
                hidden=not links.get("fiche"),
            ),
        ],
        className="d-flex flex-wrap gap-2 align-items-center",
    )
    place = _step(
        t("pres.step1", lang),
        [
            _field(
                t("pres.territory", lang),
                dcc.Dropdown(
                    id=PRES_TERRITORY,
                    options=territories,
                    value=state.get("territory"),
                    clearable=False,
                    searchable=True,
                    labels=labels,
                ),
            ),
            _field(
                t("pres.group", lang),
                dcc.Dropdown(
                    id=PRES_GROUP,
                    options=communes,
                    value=state.get("group") or [],
                    multi=True,
                    searchable=True,
                    labels=labels,
                ),
                t("pres.group_help", lang),
            ),
        ],
        "col-lg-6",
    )
    content = _step(
        t("pres.step2", lang),
        [
            html.Fieldset(
                [
                    html.Legend(t("pres.theme", lang), className="form-label fw-semibold fs-6"),
                    # native radios (H5, issue #10): Dash 4's dcc.RadioItems nests each radio in a
                    # role="option" of an unnamed listbox (axe: nested-interactive, aria-input-field-name)
                    dbc.RadioItems(
                        id=PRES_THEME,
                        options=themes,
                        value=state.get("theme") or CUSTOM,
                        inline=True,
                    ),
                ],
                className="mb-3",
            ),
            _field(
                t("pres.indicators", lang),
                dcc.Dropdown(
                    id=PRES_INDICATORS,
                    options=indicators,
                    value=state.get("indicators") or [],
                    multi=True,
                    searchable=True,
                    labels=labels,
                ),
                t("pres.indicators_help", lang),
            ),
        ],
        "col-lg-6",
    )
    return html.Div(
        [
            html.H1(t("pres.title", lang), className="h2"),
            html.P(t("pres.intro", lang), className="lead"),
            html.Div(error, className="alert alert-warning", role="alert") if error else None,
            html.Div([place, content], className="row"),
            _step(
                t("pres.step3", lang),
                [
                    link_row,
                    html.P(
                        id=PRES_HINT,
                        className="form-text mt-2",
                        children=links.get("hint") or "",
                        role="status",
                    ),
                    html.P(t("pres.keys", lang), className="small text-body-secondary mt-3 mb-0"),
                ],
                "pres-step--go",
            ),
        ],
        className="pres-chooser",
    )


def _slide(slide: Any, total: int, figure: go.Figure | None, active: int, lang: str = "fr") -> html.Section:
    kind = slide.kind
    body: list[Any] = []
    if kind == "title":
        body = [
            html.H1(slide.title, className="pres-title pres-title--big"),
            html.P(slide.subtitle, className="pres-sub"),
            html.H2(t("deck.agenda", lang), className="pres-agenda-title"),
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
            html.P(slide.chart.missing_text, className="pres-detail")
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
            "aria-roledescription": t("deck.slide_role", lang),
            "aria-label": t("deck.slide_of", lang, n=slide.number, total=total, title=slide.title),
        },
    )


def deck(
    deck_obj: Any, figures: dict[int, go.Figure], links: dict[str, str | None], active: int = 1
) -> html.Div:
    """The deck (all slides) and its toolbar; ``figures``: slide number → plotly figure; ``active``:
    the slide shown first (the ``slide`` of the URL, so a shared link opens where it points). The
    language is the deck's (``?lang=en``)."""
    total, lang = len(deck_obj.slides), deck_obj.choices.lang
    home = "/?lang=en" if lang == "en" else "/"
    active = min(max(active, 1), total)
    tools = [
        html.Button("◀", className="pres-btn", **{"data-pres": "prev", "aria-label": t("deck.prev", lang)}),
        html.Span(f"{active} / {total}", className="pres-counter", **{"aria-live": "polite"}),
        html.Button("▶", className="pres-btn", **{"data-pres": "next", "aria-label": t("deck.next", lang)}),
        html.Button(t("deck.fullscreen", lang), className="pres-btn", **{"data-pres": "fullscreen"}),
        html.A("PPTX", href=links.get("pptx") or "#", className="pres-btn"),
        html.A("PDF", href=links.get("pdf") or "#", className="pres-btn", download="presentation.pdf"),
        html.A(t("deck.fiche", lang), href=links.get("fiche") or "#", className="pres-btn", target="_blank")
        if links.get("fiche")
        else None,
        # a full load: the router re-renders on a new path only, and this is the same path
        html.A(
            t("deck.edit", lang), href=links.get("edit") or "/presentation", className="pres-btn pres-edit"
        ),
        dcc.Link(t("deck.quit", lang), href=home, className="pres-btn"),
    ]
    return html.Div(
        [
            html.Nav(
                [b for b in tools if b is not None],
                className="pres-toolbar",
                **{"aria-label": t("deck.toolbar", lang)},
            ),
            html.Div(
                [_slide(s, total, figures.get(s.number), active, lang) for s in deck_obj.slides],
                className="pres-stage",
            ),
        ],
        id=PRES_DECK,
        className="pres-deck",
        tabIndex="0",
        lang=lang,
        **{
            "data-count": str(total),
            "data-active": str(active),
            "aria-roledescription": t("deck.deck_role", lang),
            "aria-label": deck_obj.title,
        },
    )
