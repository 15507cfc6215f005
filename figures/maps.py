"""Maps (pure builders): the classed choropleth of communes with territory outlines, and the locator.

Maps are ``go.Choropleth`` on a ``geo`` subplot fitted to the shapes (``fitbounds="locations"``),
with no base map at all: nothing is fetched from a tile server, and the shapes come from the app
(``geojson`` is either a GeoJSON dict or the URL of the app's own ``/geo/…`` route; features carry
the territory code as their ``id``). Each class is a trace, so that the legend (under the map, it
wraps on a phone) names the classes and the map keeps the card's whole width. Commune names are
written only where they fit (``figures.labels``), white on dark classes and near-black on light
ones; the home territory's outline takes the territory colour (``figures.roles``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures.base import NO_DATA, OUTLINE, Measure, base_layout
from figures.classes import Classes, diverging, sequential
from figures.labels import fit_labels
from figures.roles import HALO, ROLE_COLORS, text_on

GeoJSON = dict[str, Any] | str
BORDER = "#8C8C8C"  # commune borders


def make_classes(
    values: pd.Series, measure: Measure, method: str = "quantiles", center: float | None = None
) -> Classes:
    """Diverging classes around ``center`` (the metropolis value) for rates, else sequential."""
    if measure.is_rate and center is not None and np.isfinite(center):
        return diverging(values, center, method)
    return sequential(values, method)


#: No base map: only the app's shapes. plotly.js still fetches its ``world_110m.json`` base layer,
#: which the app serves itself, empty (graph config ``topojsonURL``); fitting needs the world scope.
GEO = {
    "fitbounds": "locations",
    "visible": False,
    "resolution": 110,
    "projection": {"type": "mercator"},
    "bgcolor": "white",
}


def _shapes_by_code(shapes: GeoJSON | dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """code → GeoJSON geometry, from a FeatureCollection (features with ``id``) or such a dict."""
    if not isinstance(shapes, dict):
        return {}
    if shapes.get("type") == "FeatureCollection":
        return {str(f.get("id")): f.get("geometry") for f in shapes.get("features", [])}
    return shapes


def label_trace(
    frame: pd.DataFrame, shapes: dict[str, dict[str, Any]], fills: dict[str, str], size: tuple[int, int]
) -> dict[str, Any] | None:
    """Names of the communes whose label fits inside them (``figures.labels``), each in white or
    near-black, whichever contrasts more with the commune's fill (``fills``: code → colour)."""
    names = dict(zip(frame["code"], frame["name"].astype(str), strict=True))
    fitted = fit_labels(shapes, names, size)
    if not fitted:
        return None
    return {
        "type": "scattergeo",
        "lon": [lab.lon for lab in fitted],
        "lat": [lab.lat for lab in fitted],
        "mode": "text",
        "text": [lab.text for lab in fitted],
        "customdata": [lab.code for lab in fitted],
        "textfont": {"size": 11, "color": [text_on(fills.get(lab.code, NO_DATA)) for lab in fitted]},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "labels",
    }


def choropleth(
    frame: pd.DataFrame,
    geojson: GeoJSON,
    measure: Measure,
    title: str,
    method: str = "quantiles",
    center: float | None = None,
    outlines: GeoJSON | None = None,
    outline_codes: list[str] | None = None,
    labels: bool = False,
    height: int = 560,
    subtitle: str = "",
    shapes: GeoJSON | None = None,
    label_size: tuple[int, int] = (560, 480),
    home: tuple[str, str] | None = None,
) -> go.Figure:
    """Communes coloured by class of ``measure``.

    ``frame``: columns ``code``, ``name``, ``value`` (NaN = no data). ``center``: the reference value
    (MGP) of diverging classes, also printed in the legend title. ``outlines``/``outline_codes``:
    territory shapes drawn as lines over the communes. ``labels``: commune names, only where they
    fit at a plot area of ``label_size`` pixels; needs the communes' ``shapes`` (a GeoJSON dict:
    ``geojson`` itself when it is one). ``home``: (code, name) of the home territory among the
    outlines, drawn in the territory colour over a white halo and named in the legend.
    """
    lang = measure.lang
    data = frame.reset_index(drop=True)
    values = data["value"].astype(float)
    known = values.notna().to_numpy()
    traces: list[dict[str, Any]] = []
    fills: dict[str, str] = {}
    legend_title = measure.unit_text or measure.label
    class_labels: list[str] = []
    if known.any():
        classes = make_classes(values[known], measure, method, center)
        if classes.center is not None:
            ref = "Métropole" if lang == "fr" else "Metropolis"
            legend_title = f"{legend_title} · {measure.named(ref, classes.center)}"
        part = data[known]
        idx = classes.index(part["value"])
        fills = {c: classes.colors[int(i)] for c, i in zip(part["code"], idx, strict=True)}
        class_labels = classes.labels(measure.fmt, lang)
        # One trace per class: the legend (below the map, wrapping on a phone) names each class,
        # and the map keeps the whole width of the card instead of sharing it with a colour bar.
        for k, (color, label) in enumerate(zip(classes.colors, class_labels, strict=True)):
            members = part[idx == k]
            if not members.empty:
                traces.append(_area_trace(geojson, members, measure, color, label))
    if (~known).any():
        nd = "Pas de donnée" if lang == "fr" else "No data"
        part = data[~known].assign(text=nd)
        traces.append(_area_trace(geojson, part, measure, NO_DATA, nd))
    if outlines is not None and outline_codes:
        traces.append(outline_trace(outlines, outline_codes, width=1.6 if home else 2.2))
        if home and home[0] in outline_codes:
            traces.append(outline_trace(outlines, [home[0]], color=HALO, width=6, name="home-halo"))
            traces.append(outline_trace(outlines, [home[0]], color=ROLE_COLORS["territory"], width=3))
            # The outline's key goes in the legend title: a trace would move the fitted bounds.
            key = f"<span style='color:{ROLE_COLORS['territory']}'>━━</span> {home[1]}"
            legend_title = f"{key}<br>{legend_title}"
    if labels:
        shapes_dict = _shapes_by_code(shapes if shapes is not None else geojson)
        lab = label_trace(data, shapes_dict, fills, label_size) if shapes_dict else None
        if lab is not None:
            traces.append(lab)
    layout = base_layout(
        title,
        measure.source,
        lang,
        height,
        subtitle=subtitle,
        source_width=80,
        margin={"l": 0, "r": 0},
        dragmode=False,
        geo=GEO,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "title": {"text": legend_title, "side": "top"},
            "traceorder": "normal",
            "itemclick": False,
            "itemdoubleclick": False,
            "font": {"size": 12},
        },
    )
    layout["meta"]["summary"] = _summary(data[known], measure, class_labels)
    return go.Figure({"data": traces, "layout": layout})


def _area_trace(
    geojson: GeoJSON, part: pd.DataFrame, measure: Measure, color: str, label: str
) -> dict[str, Any]:
    """The communes of one class (or without data), filled with ``color``, named ``label`` in the
    legend; hover names the commune and its value."""
    shown = part["text"] if "text" in part.columns else part["value"].map(measure.fmt)
    return {
        "type": "choropleth",
        "geojson": geojson,
        "locations": part["code"].tolist(),
        "z": [0] * len(part),
        "colorscale": [[0, color], [1, color]],
        "showscale": False,
        "showlegend": True,
        # Grey borders: they show on the lightest class too (and frame its legend swatch).
        "marker": {"line": {"color": BORDER, "width": 0.6}},
        "text": [f"<b>{n}</b><br>{v}" for n, v in zip(part["name"], shown, strict=True)],
        "hovertemplate": "%{text}<extra></extra>",
        "customdata": part["code"].tolist(),
        "name": label,
        "legendgroup": "classes",
    }


def _summary(part: pd.DataFrame, measure: Measure, class_labels: list[str]) -> str:
    """« 24 communes ; classes : … ; plus élevé : Valenton (16,8 %) ; plus bas : Rungis (8,5 %) »:
    what the map shows, for its accessible name."""
    if part.empty:
        return ""
    ordered = part.sort_values("value")
    lo, hi = ordered.iloc[0], ordered.iloc[-1]
    top, low = f"{hi['name']} ({measure.fmt(hi['value'])})", f"{lo['name']} ({measure.fmt(lo['value'])})"
    if measure.lang == "fr":
        return f"{len(part)} communes ; classes : {', '.join(class_labels)} ; plus élevé : {top} ; plus bas : {low}"
    return f"{len(part)} communes; classes: {', '.join(class_labels)}; highest: {top}; lowest: {low}"


def outline_trace(
    geojson: GeoJSON, codes: list[str], color: str = OUTLINE, width: float = 2.2, name: str = "outline"
) -> dict[str, Any]:
    """Outlines of ``codes`` (transparent fill, no hover, no legend entry)."""
    return {
        "type": "choropleth",
        "geojson": geojson,
        "locations": list(codes),
        "z": [0] * len(codes),
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "marker": {"line": {"color": color, "width": width}},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": name,
    }


def locator(
    frame: pd.DataFrame,
    geojson: GeoJSON,
    code: str,
    title: str,
    lang: str = "fr",
    outlines: GeoJSON | None = None,
    outline_codes: list[str] | None = None,
    height: int = 300,
) -> go.Figure:
    """The communes of ``frame`` (``code``, ``name``) in grey, ``code`` highlighted."""
    data = frame.reset_index(drop=True)
    traces: list[dict[str, Any]] = [
        {
            "type": "choropleth",
            "geojson": geojson,
            "locations": data["code"].tolist(),
            "z": (data["code"] == code).astype(int).tolist(),
            "zmin": 0,
            "zmax": 1,
            "colorscale": [
                [0, "#E8EAED"],
                [0.5, "#E8EAED"],
                [0.5, ROLE_COLORS["commune"]],
                [1, ROLE_COLORS["commune"]],
            ],
            "showscale": False,
            "marker": {"line": {"color": "#757575", "width": 0.6}},
            "text": data["name"].tolist(),
            "hovertemplate": "%{text}<extra></extra>",
            "customdata": data["code"].tolist(),
        }
    ]
    if outlines is not None and outline_codes:
        traces.append(outline_trace(outlines, outline_codes))
    layout = base_layout(
        title, "", lang, height, margin={"l": 0, "r": 0, "t": 40, "b": 0}, dragmode=False, geo=GEO
    )
    return go.Figure({"data": traces, "layout": layout})
