"""What every card callback returns: the figure (or body), the visible source line, the text
alternative, the download links (data and images), the embed code, the heading and the accessible
description, in the order of ``graph_outputs``/``body_outputs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Output, html

from callbacks import common, data, exports
from callbacks.state import build_query
from figures.text import describe
from layouts import ids
from layouts.components import table
from layouts.i18n import t
from layouts.links import explain_href, explain_link


def graph_outputs(card: str) -> list[Output]:
    """Outputs of a chart card: figure, source line, text alternative, CSV, XLSX, embed code, then
    the heading (chart title), the accessible description, and the PNG and SVG image links."""
    return [
        Output(ids.card_graph(card), "figure"),
        Output(ids.card_source(card), "children"),
        Output(ids.card_alt(card), "children"),
        Output(ids.card_download(card, "csv"), "href"),
        Output(ids.card_download(card, "xlsx"), "href"),
        Output(ids.card_embed(card), "value"),
        Output(ids.card_title(card), "children"),
        Output(ids.card_desc(card), "children"),
        Output(ids.card_image(card, "png"), "href"),
        Output(ids.card_image(card, "svg"), "href"),
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
    """« Source : Insee, recensement de la population 2022 (comparateur de territoires) · Licence
    Ouverte / Etalab 2.0 » with a link to the sources page."""
    if not export.source:
        return []
    if export.source_ids:  # values read from files: the line already names years and licence (#9.10)
        parts = [export.source]
    else:
        vintage = ("vintage " if lang == "en" else "millésime ") + export.vintage if export.vintage else ""
        parts = [p for p in (export.source, vintage, export.licence) if p]
    more = "/sources" + ("?lang=en" if lang == "en" else "")
    return [" · ".join(parts), " · ", html.A(t("nav.sources", lang), href=more)]


def embed_code(card: str, params: dict[str, Any], lang: str, title: str, height: int = 480) -> str:
    """The ``<iframe>`` code that shows this card on another website."""
    base = data.host_url().rstrip("/")  # a mark in cached cards, the request's host once served
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
    """The tuple for ``graph_outputs(card)``. The figure carries no source line: the card prints it
    once, in HTML (the image downloads draw it in the picture)."""
    why = explain_for(export, params, lang)  # issue #15: the value in view, explained
    return (
        fig,
        source_line(export, lang) + ([" · ", why] if why is not None and export.source else []),
        alt,
        exports.href(card, "csv", params, lang),
        exports.href(card, "xlsx", params, lang),
        embed_code(card, params, lang, export.title) if embed else "",
        export.title,
        describe(fig, lang),
        image_href(card, "png", params, lang),
        image_href(card, "svg", params, lang),
    )


def _in_view(export: exports.Export, params: dict[str, Any], lang: str) -> tuple[str, str, str] | None:
    """(indicator, place, year) of the value a card is about: the commune of a profile, else the
    first area compared, else the home territory; the card's year, else the latest of its table."""
    ind_id = params.get("indicateur")
    if not ind_id:
        return None
    areas = params.get("territoires") or []
    areas = [a for a in areas.split(",") if a] if isinstance(areas, str) else list(areas)
    code = params.get("code") or (areas[0] if areas else data.home().code)
    year = params.get("annee")
    frame = common.frame_back(export, lang)
    if not year and {"code", "year"} <= set(frame.columns):
        years = frame.loc[frame["code"] == code, "year"].dropna()
        year = int(years.max()) if len(years) else ""
    return str(ind_id), str(code), str(year)


def explain_for(export: exports.Export, params: dict[str, Any], lang: str) -> html.A | None:
    """« D'où vient ce chiffre ? » for the value in view (``_in_view``), None for a card without one."""
    view = _in_view(export, params, lang)
    if view is None:
        return None
    ind_id, code, year = view
    label = data.label(data.indicator(ind_id), lang)
    return explain_link(ind_id, code, year, lang, label, data.name(code, lang))


def explained_value(text_value: str, ind_id: str, code: str, year: Any, lang: str, label: str = "") -> Any:
    """A value of a card's table linked to its explanation (issue #15); a missing value stays text."""
    if not isinstance(year, str):
        year = "" if year is None or pd.isna(year) else int(year)  # numpy / pandas years from frames
    if not code or not year or text_value in ("", t("value.nd", lang)):
        return text_value
    name = t("xp.link_label", lang, label=label, territory=data.name(code, lang), year=year)
    return html.A(text_value, href=explain_href(ind_id, code, year, lang), **{"aria-label": name})


def empty_graph_card(fig: go.Figure, message: str) -> tuple:
    """The tuple for ``graph_outputs`` of a card with nothing to show: ``fig`` (an empty figure
    saying so), ``message`` as its text alternative and name, no source and no download."""
    return fig, "", message, "#", "#", "", message, message, "#", "#"


def population(frame: pd.DataFrame) -> pd.DataFrame:
    """Census populations (every vintage) of the places of ``frame``, for counts shown per
    1,000 inhabitants (``figures.charts.compare_bars``)."""
    codes = [c for c in dict.fromkeys(frame["code"]) if isinstance(c, str)]
    if not codes:
        return pd.DataFrame(columns=["code", "year", "value"])
    return data.series("population", codes)[["code", "year", "value"]]


def image_href(card: str, fmt: str, params: dict[str, Any], lang: str) -> str:
    """The URL of a card's chart as an image (``/export/vue/<card>.png?…``, see ``callbacks.views``)."""
    return f"/export/vue/{card}.{fmt}" + build_query(params, lang)


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
