"""Maps (pure builders): the classed choropleth of communes with territory outlines, and the locator.

Maps are ``go.Choropleth`` on a ``geo`` subplot fitted to the shapes (``fitbounds="locations"``),
with no base map at all: nothing is fetched from a tile server, and the shapes come from the app
(``geojson`` is either a GeoJSON dict or the URL of the app's own ``/geo/…`` route; features carry
the territory code as their ``id``). Classes are drawn as a stepped colour scale whose colour bar
is the legend (one tick per class).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures.base import HIGHLIGHT, MUTED, NO_DATA, OUTLINE, Measure, base_layout
from figures.classes import Classes, discrete_colorscale, diverging, sequential

GeoJSON = dict[str, Any] | str
NO_DATA_MARK = "#bdbdbd"  # the legend's swatch of communes without data (a bit darker than the fill)


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
) -> go.Figure:
    """Communes coloured by class of ``measure``.

    ``frame``: columns ``code``, ``name``, ``value`` (NaN = no data). ``center``: the reference value
    (MGP) of diverging classes, also printed in the legend title. ``outlines``/``outline_codes``:
    territory shapes drawn as thick lines over the communes. ``labels``: commune names on the map
    (needs ``lon``/``lat`` columns).
    """
    lang = measure.lang
    data = frame.reset_index(drop=True)
    values = data["value"].astype(float)
    known = values.notna().to_numpy()
    traces: list[dict[str, Any]] = []
    line = {"color": "white", "width": 0.8}
    if known.any():
        classes = make_classes(values[known], measure, method, center)
        legend_title = measure.unit_text or measure.label
        if classes.center is not None:
            ref = "Métropole" if lang == "fr" else "Metropolis"
            legend_title = f"{legend_title}<br><sub>{ref} : {measure.fmt(classes.center)}</sub>"
        part = data[known]
        traces.append(
            {
                "type": "choropleth",
                "geojson": geojson,
                "locations": part["code"].tolist(),
                "z": classes.index(part["value"]).tolist(),
                "zmin": -0.5,
                "zmax": classes.k - 0.5,
                "colorscale": discrete_colorscale(classes.colors),
                "marker": {"line": line},
                "colorbar": {
                    "title": {"text": legend_title, "side": "top"},
                    "tickvals": list(range(classes.k)),
                    "ticktext": classes.labels(measure.fmt, part["value"]),
                    "thickness": 14,
                    "len": 0.8,
                    "x": 1.0,
                    "xanchor": "left",
                    "outlinewidth": 0,
                },
                "text": [
                    f"<b>{n}</b><br>{measure.fmt(v)}"
                    for n, v in zip(part["name"], part["value"], strict=True)
                ],
                "hovertemplate": "%{text}<extra></extra>",
                "customdata": part["code"].tolist(),
                "name": measure.label,
            }
        )
    if (~known).any():
        nd = "Pas de donnée" if lang == "fr" else "No data"
        part = data[~known]
        traces.append(
            {
                "type": "choropleth",
                "geojson": geojson,
                "locations": part["code"].tolist(),
                "z": [0] * len(part),
                "colorscale": [[0, NO_DATA], [1, NO_DATA]],
                "showscale": False,
                "marker": {"line": line},
                "text": [f"<b>{n}</b><br>{nd}" for n in part["name"]],
                "hovertemplate": "%{text}<extra></extra>",
                "customdata": part["code"].tolist(),
                "name": nd,
            }
        )
    notes = []
    if (~known).any():
        nd = "Pas de donnée" if lang == "fr" else "No data"
        notes.append(
            {
                "text": f"<span style='color:{NO_DATA_MARK}'>■</span> {nd}",
                "xref": "paper",
                "yref": "paper",
                "x": 1.0,
                "y": 0.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    if outlines is not None and outline_codes:
        traces.append(outline_trace(outlines, outline_codes))
    if labels and {"lon", "lat"} <= set(data.columns):
        traces.append(
            {
                "type": "scattergeo",
                "lon": data["lon"].tolist(),
                "lat": data["lat"].tolist(),
                "mode": "text",
                "text": [_short(n) for n in data["name"]],
                "textfont": {"size": 10, "color": "#111"},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    layout = base_layout(
        title,
        measure.source,
        lang,
        height,
        subtitle=subtitle,
        annotations=notes,
        source_width=80,
        margin={"l": 0, "r": 0},
        dragmode=False,
        geo=GEO,
    )
    return go.Figure({"data": traces, "layout": layout})


def outline_trace(geojson: GeoJSON, codes: list[str]) -> dict[str, Any]:
    """Thick outlines of ``codes`` (transparent fill, no hover)."""
    return {
        "type": "choropleth",
        "geojson": geojson,
        "locations": list(codes),
        "z": [0] * len(codes),
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "marker": {"line": {"color": OUTLINE, "width": 2.2}},
        "hoverinfo": "skip",
        "name": "outline",
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
            "colorscale": [[0, "#E8EAED"], [0.5, "#E8EAED"], [0.5, HIGHLIGHT], [1, HIGHLIGHT]],
            "showscale": False,
            "marker": {"line": {"color": MUTED, "width": 0.6}},
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


def _short(name: str) -> str:
    """Short label for the map: « Vitry-sur-Seine » → « Vitry » (other names are kept whole)."""
    return name.split("-sur-")[0]
