"""Charts (pure builders): territories ranked, a commune beside its reference areas, change over
time, and a commune's place among the metropolis communes (strip). Frames in, ``go.Figure`` out.

Frames: ``code``, ``name``, ``value`` (and ``year``, optionally ``month``, for series). Values are
printed with the indicator's French/English format; the highlighted item is coloured *and* marked
(bold label, larger symbol) so that colour is never the only cue. Figures are assembled as plain
dicts and validated once by ``go.Figure`` (much faster than incremental updates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures.base import HIGHLIGHT, MUTED, OKABE_ITO, REFERENCE, Measure, base_layout

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
GRID = {"showgrid": True, "gridcolor": "#eee"}
#: Reference areas of the comparison bars (blues and green, never the highlight's vermillion).
REFERENCES = ("#0072B2", "#56B4E9", "#009E73", "#CC79A7", "#000000", "#F0E442")


def reference_marks(refs: list[tuple[str, float]], measure: Measure) -> tuple[list[dict], list[dict]]:
    """Vertical dashed lines with a label at the top, for reference values (MGP, GOSB)."""
    shapes, notes = [], []
    for i, (label, value) in enumerate(refs):
        if value is None or not np.isfinite(value):
            continue
        dash = ("dash", "dot")[i % 2]
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {"color": REFERENCE, "width": 1.5, "dash": dash},
            }
        )
        notes.append(
            {
                "text": f"{label} : {measure.fmt(value)}",
                "xref": "x",
                "yref": "paper",
                "x": value,
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "yshift": 2 + 14 * i,
                "font": {"size": 11, "color": REFERENCE},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )
    return shapes, notes


def _hbar(data: pd.DataFrame, measure: Measure, names: list[str], colors: list[str]) -> dict[str, Any]:
    return {
        "type": "bar",
        "orientation": "h",
        "x": data["value"].tolist(),
        "y": names,
        "marker": {"color": colors},
        "text": [measure.fmt(v) for v in data["value"]],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": data["code"].tolist(),
        "hovertemplate": "%{y} : %{text}<extra></extra>",
        "name": measure.label,
    }


def ranking(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    reference: tuple[str, float] | None = None,
    height: int = 460,
    subtitle: str = "",
) -> go.Figure:
    """Horizontal bars sorted by value (largest on top), ``highlight`` in vermillion and bold.

    ``reference``: (label, value) drawn as a dashed vertical line (e.g. the metropolis value).
    """
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=True)
    is_hl = (data["code"] == highlight).tolist()
    names = [f"<b>▶ {n}</b>" if h else str(n) for n, h in zip(data["name"], is_hl, strict=True)]
    shapes, notes = reference_marks([reference] if reference else [], measure)
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=76,
        source_width=50,
        showlegend=False,
        shapes=shapes,
        annotations=notes,
        margin={"r": 60, "t": 96},
        xaxis={"title": {"text": measure.unit_text}, "zeroline": True, "zerolinecolor": "#888", **GRID},
        yaxis={"automargin": True},
    )
    trace = _hbar(data, measure, names, [HIGHLIGHT if h else MUTED for h in is_hl])
    return go.Figure({"data": [trace], "layout": layout})


def compare_bars(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    height: int = 300,
    subtitle: str = "",
) -> go.Figure:
    """One bar per area in the frame's order (top to bottom), ``highlight`` marked."""
    data = frame.iloc[::-1].reset_index(drop=True)
    is_hl = (data["code"] == highlight).tolist()
    n = len(data)
    colors = [HIGHLIGHT if h else REFERENCES[(n - 1 - i) % len(REFERENCES)] for i, h in enumerate(is_hl)]
    names = [f"<b>{nm}</b>" if h else str(nm) for nm, h in zip(data["name"], is_hl, strict=True)]
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=76,
        source_width=50,
        showlegend=False,
        margin={"r": 60},
        xaxis={"title": {"text": measure.unit_text}, "zeroline": True, "zerolinecolor": "#888", **GRID},
        yaxis={"automargin": True},
    )
    return go.Figure({"data": [_hbar(data, measure, names, colors)], "layout": layout})


def series(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    height: int = 380,
    subtitle: str = "",
) -> go.Figure:
    """One line per area (order of first appearance) over the vintages; distinct colours, symbols and
    dashes; ``highlight`` drawn thicker. Monthly data (``month`` > 0) go on a date axis."""
    data = frame.dropna(subset=["value"])
    monthly = "month" in data.columns and bool((data["month"].fillna(0) > 0).any())
    if monthly:
        data = data.assign(
            x=[f"{int(y)}-{int(m):02d}-01" for y, m in zip(data["year"], data["month"], strict=True)]
        )
    else:
        data = data.assign(x=data["year"].astype(int))
    data = data.sort_values("x")
    traces = []
    for i, code in enumerate(dict.fromkeys(frame["code"])):
        part = data[data["code"] == code]
        if part.empty:
            continue
        hl = code == highlight
        name = str(frame.loc[frame["code"] == code, "name"].iloc[0])
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": part["x"].tolist(),
                "y": part["value"].tolist(),
                "text": [measure.fmt(v) for v in part["value"]],
                "line": {
                    "color": OKABE_ITO[i % len(OKABE_ITO)],
                    "width": 4 if hl else 2,
                    "dash": DASHES[i % 8],
                },
                "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 10 if hl else 7},
                "customdata": [code] * len(part),
                "hovertemplate": f"{name}, %{{x}} : %{{text}}<extra></extra>",
            }
        )
    xaxis: dict[str, Any] = {"showgrid": False}
    if not monthly:
        xaxis.update(tickvals=sorted({int(y) for y in data["x"]}), tickformat="d")
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=120 + 22 * (len(traces) // 3),
        hovermode="closest",
        legend={"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0},
        xaxis=xaxis,
        yaxis={"title": {"text": measure.unit_text}, "rangemode": "tozero", **GRID},
    )
    return go.Figure({"data": traces, "layout": layout})


def strip(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str,
    group: set[str] | None = None,
    references: list[tuple[str, float]] | None = None,
    group_label: str = "GOSB",
    height: int = 260,
    subtitle: str = "",
) -> go.Figure:
    """Every commune as a dot along the value axis (a strip), ``highlight`` as a large labelled
    diamond, the communes of ``group`` (GOSB) in blue, and dashed lines at the ``references``."""
    data = frame.dropna(subset=["value"]).sort_values("value").reset_index(drop=True)
    data = data.assign(y=((np.arange(len(data)) * 0.618034) % 1.0 - 0.5) * 0.8)
    group = group or set()
    mine = data["code"] == highlight
    in_group = data["code"].isin(group) & ~mine
    other_label = "Autres communes" if measure.lang == "fr" else "Other communes"
    traces = []
    for mask, label, color, size in (
        (~in_group & ~mine, other_label, MUTED, 7),
        (in_group, group_label, REFERENCE, 8),
    ):
        part = data[mask]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "x": part["value"].tolist(),
                "y": part["y"].tolist(),
                "marker": {
                    "color": color,
                    "size": size,
                    "opacity": 0.85,
                    "line": {"width": 0.5, "color": "white"},
                },
                "text": [f"{n} : {measure.fmt(v)}" for n, v in zip(part["name"], part["value"], strict=True)],
                "customdata": part["code"].tolist(),
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    me = data[mine]
    if not me.empty:
        name = str(me["name"].iloc[0])
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": name,
                "x": me["value"].tolist(),
                "y": me["y"].tolist(),
                "marker": {
                    "color": HIGHLIGHT,
                    "size": 16,
                    "symbol": "diamond",
                    "line": {"width": 1.5, "color": "#222"},
                },
                "text": [f"<b>{name}</b>"],
                "textposition": "top center",
                "customdata": me["code"].tolist(),
                "hovertemplate": f"{name} : {measure.fmt(float(me['value'].iloc[0]))}<extra></extra>",
            }
        )
    shapes, notes = reference_marks(references or [], measure)
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=76,
        shapes=shapes,
        annotations=notes,
        margin={"t": 104},
        yaxis={"visible": False, "range": [-0.7, 0.9]},
        xaxis={"title": {"text": measure.unit_text}, **GRID},
        legend={"orientation": "h", "y": -0.45, "x": 1, "xanchor": "right", "yanchor": "top"},
    )
    return go.Figure({"data": traces, "layout": layout})
