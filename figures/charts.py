"""Charts (pure builders): territories ranked, a commune beside its reference areas, change over
time (``figures.series``, re-exported here), and a commune's place among the metropolis communes
(strip). Frames in, ``go.Figure`` out.

Frames: ``code``, ``name``, ``value`` (and ``year``, optionally ``month``, for series). Values are
printed with the indicator's French/English format. Every place takes the colour of its role
(``figures.roles``: the commune, its territory, its department, the metropolis, the peers), and
the place looked at is also marked (bold label, larger symbol, thicker line) so that colour is
never the only cue. Counts are never set beside far larger places (``figures.compare``): bars
show them per 1,000 inhabitants, trends as an index (base 100) or, monthly, as the change over
one year. Figures are assembled as plain dicts and validated once by ``go.Figure``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import config
from figures import compare
from figures.base import Measure, base_layout, foot_note, value_axis
from figures.roles import ROLE_COLORS, color_of, palette, role_of
from figures.series import comparable_series, month_ticks, series  # noqa: F401 - charts API
from indicators.formatting import labelled

#: Reference lines: (label, value) or (label, value, code); the code (or the label « MGP »,
#: « GOSB ») gives the line its role's colour.
Reference = tuple


def _ref_color(ref: Reference) -> str:
    home = config.home()  # the home's short name (« GOSB ») as a label: the territory colour
    code = (
        ref[2] if len(ref) > 2 else {"MGP": "MGP", home.short or home.code: home.code}.get(str(ref[0]), "MGP")
    )
    return color_of(code)


def reference_marks(refs: list[Reference], measure: Measure) -> tuple[list[dict], list[dict]]:
    """Vertical dashed lines with a label at the top, for reference values (MGP, GOSB)."""
    shapes, notes = [], []
    for i, ref in enumerate(refs):
        label, value = ref[0], ref[1]
        if value is None or not np.isfinite(value):
            continue
        color = _ref_color(ref)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {"color": color, "width": 2, "dash": ("dash", "dot")[i % 2]},
            }
        )
        notes.append(
            {
                "text": measure.named(str(label), value),
                "xref": "x",
                "yref": "paper",
                "x": value,
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "yshift": 2 + 14 * i,
                "font": {"size": 11, "color": color},
                "bgcolor": "rgba(255,255,255,0.85)",
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
        "hovertemplate": labelled("%{y}", "%{text}", measure.lang) + "<extra></extra>",
        "name": measure.label,
    }


def ranking(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    reference: Reference | None = None,
    height: int = 460,
    subtitle: str = "",
) -> go.Figure:
    """Horizontal bars sorted by value (largest on top); ``highlight`` in its role's colour, bold
    and marked ▶, the others grey. ``reference``: a dashed vertical line (the metropolis value).
    An optional ``label`` column gives shorter axis labels (``name`` is then shown on hover)."""
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=True)
    is_hl = (data["code"] == highlight).tolist()
    labels = data["label"] if "label" in data else data["name"]
    names = [f"<b>▶ {n}</b>" if h else str(n) for n, h in zip(labels, is_hl, strict=True)]
    shapes, notes = reference_marks([reference] if reference else [], measure)
    x_range = _value_range(data["value"].tolist() + ([reference[1]] if reference else []))
    for note in notes:
        # a label centred on its line would widen an autoranged axis (plotly fits annotations in)
        # or spill out of the plot: it reads towards the plot's middle (review R2.6)
        note["xanchor"] = "right" if x_range and note["x"] > sum(x_range) / 2 else "left"
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
        xaxis={
            **value_axis(measure),
            "zeroline": True,
            "zerolinecolor": "#888",
            **({"range": x_range} if x_range else {}),
        },
        yaxis={"automargin": True},
    )
    hl_color = color_of(highlight) if highlight else ROLE_COLORS["commune"]
    colors = [hl_color if h else ROLE_COLORS["peer"] for h in is_hl]
    trace = _hbar(data, measure, names, colors)
    if "label" in data:  # shortened labels on the axis, the full names on hover
        trace["hovertext"] = [str(n) for n in data["name"]]
        trace["hovertemplate"] = "%{hovertext} : %{text}<extra></extra>"
    if notes:
        # The values as a column in the right margin, not at the ends of the bars: the dashed
        # reference line would cross the labels of the bars ending near it (R1 #10).
        trace["textposition"] = "none"
        layout["annotations"] = notes + _value_column(names, trace["text"], is_hl)
    layout["margin"]["r"] = _right_margin(trace["text"])
    return go.Figure({"data": [trace], "layout": layout})


def _value_range(values: list[float], pad: float = 0.05) -> list[float] | None:
    """The value axis's range: the bars and the reference line, from zero, ``pad`` of the span
    beyond the ends (as plotly's autorange of bars), or None without a finite value. Fixed so that
    the reference line's label cannot widen it (R2.6: an axis to 60 for values up to 17 %)."""
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    if not finite:
        return None
    low, high = min(0.0, *finite), max(0.0, *finite)
    span = (high - low) or 1.0
    return [low - pad * span if low < 0 else low, high + pad * span if high > 0 else high]


def _value_column(names: list[str], texts: list[str], bold: list[bool]) -> list[dict[str, Any]]:
    """Each bar's value printed level with it, just right of the plot area (bold for the place
    looked at)."""
    return [
        {
            "text": f"<b>{text}</b>" if b else text,
            "x": 1,
            "xref": "paper",
            "xanchor": "left",
            "xshift": 4,
            "y": name,
            "yref": "y",
            "showarrow": False,
        }
        for name, text, b in zip(names, texts, bold, strict=True)
    ]


def per_1000_measure(measure: Measure) -> Measure:
    """The measure of counts shown per 1,000 inhabitants: one decimal, the unit said once by the
    axis title (bar labels stay short: « 288,0 »)."""
    suffix = " pour 1 000 habitants" if measure.lang == "fr" else " per 1,000 inhabitants"
    return dataclasses.replace(measure, label=measure.label + suffix, unit="ratio", decimals=1)


def _right_margin(texts: list[str]) -> int:
    """Room on the right for the value printed after the longest bar."""
    return max(60, 12 + 8 * max((len(t) for t in texts), default=0))


def compare_bars(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    height: int = 300,
    subtitle: str = "",
    population: pd.DataFrame | None = None,
) -> go.Figure:
    """One bar per area in the frame's order (top to bottom), each in its role's colour.

    Counts: with ``population`` (``code``, ``year``, ``value``: the census population of the
    places, any vintages) the bars show values per 1,000 inhabitants; without it, only the places
    of the same order of size as ``highlight`` (or the first row) are kept, and a note says so.
    """
    data = frame.iloc[::-1].reset_index(drop=True)
    axis_title: str | None = None
    notes: list[dict[str, Any]] = []
    data, kind = compare.bar_values(data, measure.unit, population, highlight)
    if kind == "per_1000":
        measure = per_1000_measure(measure)
        axis_title = compare.axis_text("per_1000", measure.lang)
    elif kind == "same_scale":
        text = (
            "Territoires bien plus grands non représentés (effectifs)"
            if measure.lang == "fr"
            else "Much larger areas not shown (counts)"
        )
        notes.append(foot_note(text))
    is_hl = (data["code"] == highlight).tolist()
    colors_by_code = palette(data["code"].iloc[::-1], focus=highlight)
    colors = [colors_by_code[c] for c in data["code"]]
    names = [f"<b>{nm}</b>" if h else str(nm) for nm, h in zip(data["name"], is_hl, strict=True)]
    trace = _hbar(data, measure, names, colors)
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=76,
        source_width=50,
        showlegend=False,
        annotations=notes,
        margin={"r": _right_margin(trace["text"])},
        xaxis={**value_axis(measure, axis_title), "zeroline": True, "zerolinecolor": "#888"},
        yaxis={"automargin": True},
    )
    layout["meta"]["view"] = axis_title or ""  # what the values are, for descriptions
    return go.Figure({"data": [trace], "layout": layout})


def strip(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str,
    group: set[str] | None = None,
    references: list[Reference] | None = None,
    group_label: str = "",
    height: int = 260,
    subtitle: str = "",
) -> go.Figure:
    """Every commune as a dot along the value axis (a strip), ``highlight`` as a large labelled
    diamond, the communes of ``group`` (the home's; legend ``group_label``, by default the home's
    short name) in the territory colour, the others grey, and dashed
    lines at the ``references`` (rates only: a territory's count is no point on a commune scale)."""
    if compare.is_count(measure.unit):
        references = []
    data = frame.dropna(subset=["value"]).sort_values("value").reset_index(drop=True)
    data = data.assign(y=((np.arange(len(data)) * 0.618034) % 1.0 - 0.5) * 0.8)
    group = group or set()
    group_label = group_label or config.home().short or config.home().code  # never « GOSB » elsewhere
    mine = data["code"] == highlight
    in_group = data["code"].isin(group) & ~mine
    other_label = "Autres communes" if measure.lang == "fr" else "Other communes"
    traces = []
    for mask, label, color, size in (
        (~in_group & ~mine, other_label, ROLE_COLORS["peer"], 7),
        (in_group, group_label, ROLE_COLORS["territory"], 8),
    ):
        part = data[mask]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "x": part["value"].tolist(),
                "y": part["y"].tolist(),
                "marker": {"color": color, "size": size, "line": {"width": 0.5, "color": "white"}},
                "text": [measure.named(n, v) for n, v in zip(part["name"], part["value"], strict=True)],
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
                    "color": ROLE_COLORS[role_of(highlight, highlight)],
                    "size": 16,
                    "symbol": "diamond",
                    "line": {"width": 1.5, "color": "#222"},
                },
                "text": [f"<b>{name}</b>"],
                "textposition": "top center",
                "customdata": me["code"].tolist(),
                "hovertemplate": measure.named(name, float(me["value"].iloc[0])) + "<extra></extra>",
            }
        )
    shapes, notes = reference_marks(references or [], measure)
    xaxis = value_axis(measure)
    positive = data["value"][data["value"] > 0]
    if compare.is_count(measure.unit) and len(positive) and positive.max() > 50 * positive.min():
        xaxis["type"] = "log"  # Paris beside a village: a log scale keeps every commune readable
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
        xaxis=xaxis,
        legend={"orientation": "h", "y": -0.45, "x": 1, "xanchor": "right", "yanchor": "top"},
    )
    return go.Figure({"data": traces, "layout": layout})
