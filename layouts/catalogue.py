"""Indicator catalogue (``/indicateurs``) and one indicator (``/indicateurs/<id>``): definition,
formula, sources, vintages, and the sortable table of every commune and territory."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from layouts.components import card, context_store, controls, page_header, select
from layouts.i18n import t
from layouts.ids import Card

PAGE = "indicateur"


def catalogue_layout(lang: str, themes: list[dict[str, Any]]) -> html.Div:
    """``themes``: ``[{"label", "limits", "indicators": [{"href", "label", "definition", "years"}]}]``."""
    sections = []
    for theme in themes:
        items = [
            html.Li(
                [
                    dcc.Link(i["label"], href=i["href"], className="fw-semibold"),
                    html.Span(f" ({i['years']})", className="small text-body-secondary"),
                    html.Br(),
                    html.Span(i["definition"], className="small"),
                ],
                className="mb-2",
            )
            for i in theme["indicators"]
        ]
        sections.append(
            html.Section(
                [html.H2(theme["label"], className="h4 mt-3"), html.Ul(items, className="list-unstyled")]
            )
        )
    return html.Div([page_header(t("cat.title", lang), t("cat.intro", lang)), *sections])


def indicator_layout(
    lang: str,
    meta: dict[str, Any],
    year_options: list[dict[str, str]],
    state: dict[str, Any],
    defaults: dict[str, Any],
    back: str,
) -> html.Div:
    """``meta``: ``id``, ``label``, ``definition``, ``formula`` (in words), ``variables`` (their codes), ``unit``, ``sources`` (list of (text, url)),
    ``years``, ``aggregation``, ``notes``, ``limits``."""
    src = [html.Li(html.A(text, href=url) if url else text) for text, url in meta["sources"]]
    rows = [
        (t("cat.definition", lang), meta["definition"]),
        (t("cat.formula", lang), meta["formula"]),
        (t("cat.variables", lang), html.Code(meta["variables"])) if meta.get("variables") else None,
        (t("cat.unit", lang), meta["unit"]),
        (t("cat.years", lang), meta["years"]),
        (t("cat.aggregation", lang), meta["aggregation"]),
        (t("cat.sources", lang), html.Ul(src, className="mb-0 ps-3")),
    ]
    rows = [r for r in rows if r]
    if meta.get("notes"):
        rows.append((t("cat.notes", lang), meta["notes"]))
    if meta.get("limits"):
        rows.append((t("cat.limits", lang), meta["limits"]))
    dl = html.Dl(
        [el for k, v in rows for el in (html.Dt(k, className="col-sm-3"), html.Dd(v, className="col-sm-9"))],
        className="row",
    )
    return html.Div(
        [
            context_store(PAGE, lang, args={"id": meta["id"]}, defaults=defaults),
            html.P(dcc.Link("← " + t("cat.back", lang), href=back), className="small mb-1"),
            page_header(meta["label"]),
            dl,
            controls(select(PAGE, "annee", t("ctl.year", lang), year_options, state.get("annee"))),
            card(Card.IND_TABLE, lang, kind="table", heading=meta["label"], embed=False),
        ]
    )
