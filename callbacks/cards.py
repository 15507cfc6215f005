"""What every card callback returns: the figure (or body), the visible source line, the text
alternative, the download links and the embed code, in the order of ``graph_outputs``/``body_outputs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
from dash import Output, html
from flask import has_request_context, request

from callbacks import exports
from callbacks.state import build_query
from layouts import ids
from layouts.components import table
from layouts.i18n import t


def graph_outputs(card: str) -> list[Output]:
    """Outputs of a chart card: figure, source line, text alternative, CSV, XLSX, embed code."""
    return [
        Output(ids.card_graph(card), "figure"),
        Output(ids.card_source(card), "children"),
        Output(ids.card_alt(card), "children"),
        Output(ids.card_download(card, "csv"), "href"),
        Output(ids.card_download(card, "xlsx"), "href"),
        Output(ids.card_embed(card), "value"),
    ]


def body_outputs(card: str) -> list[Output]:
    """Outputs of a table/text card: body, source line, CSV, XLSX."""
    return [
        Output(ids.card_body(card), "children"),
        Output(ids.card_source(card), "children"),
        Output(ids.card_download(card, "csv"), "href"),
        Output(ids.card_download(card, "xlsx"), "href"),
    ]


def source_line(export: exports.Export, lang: str) -> list[Any]:
    """« Source : Insee, RP 2022 · millésime 2022 · Licence Ouverte » with a link to the sources page."""
    if not export.source:
        return []
    vintage = ("vintage " if lang == "en" else "millésime ") + export.vintage if export.vintage else ""
    parts = [p for p in (export.source, vintage, export.licence) if p]
    more = "/sources" + ("?lang=en" if lang == "en" else "")
    return [" · ".join(parts), " · ", html.A(t("nav.sources", lang), href=more)]


def embed_code(card: str, params: dict[str, Any], lang: str, title: str, height: int = 480) -> str:
    """The ``<iframe>`` code that shows this card on another website."""
    base = request.host_url.rstrip("/") if has_request_context() else ""
    src = f"{base}/embed/{card}" + build_query(params, lang)
    safe = title.replace('"', "&quot;")
    return (
        f'<iframe src="{src}" title="{safe}" width="100%" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )


def alt_table(header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str) -> html.Table:
    return table(header, rows, caption)


def graph_card(
    card: str,
    fig: go.Figure,
    export: exports.Export,
    params: dict[str, Any],
    lang: str,
    alt: Any,
    embed: bool = True,
) -> tuple:
    """The tuple for ``graph_outputs(card)``."""
    return (
        fig,
        source_line(export, lang),
        alt,
        exports.href(card, "csv", params, lang),
        exports.href(card, "xlsx", params, lang),
        embed_code(card, params, lang, export.title) if embed else "",
    )


def body_card(
    card: str, body: Any, export: exports.Export | None, params: dict[str, Any], lang: str
) -> tuple:
    """The tuple for ``body_outputs(card)``."""
    if export is None:
        return body, "", "#", "#"
    return (
        body,
        source_line(export, lang),
        exports.href(card, "csv", params, lang),
        exports.href(card, "xlsx", params, lang),
    )
