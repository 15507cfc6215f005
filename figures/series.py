"""Trends over time (pure builder): one line per place over the vintages or the months, each in
its role's colour (``figures.roles``) with its own symbol and dash, the place looked at drawn
thicker. Counts are drawn as an index (base 100 at the first common vintage) or, monthly, as the
change over one year (``figures.compare``); month ticks are named in the page language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from config.texts import t
from figures import compare
from figures.base import Measure, axis_note, base_layout, value_axis
from figures.roles import palette
from indicators.catalogue import Indicator
from indicators.formatting import labelled

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")


def comparable_series(frame: pd.DataFrame, measure: Measure) -> tuple[pd.DataFrame, Measure, str | None]:
    """(frame, measure, axis title) of a trend: counts become an index (base 100 at the first common
    vintage) or, for monthly series, their change over one year in %; other values are kept."""
    if not compare.is_count(measure.unit) or frame.empty:
        return frame, measure, None
    monthly = "month" in frame.columns and bool((frame["month"].fillna(0) > 0).any())
    if monthly:
        out = compare.year_on_year(frame)
        kind, base_year = "yoy", None
        label = " (évolution sur un an)" if measure.lang == "fr" else " (change over one year)"
        new = dataclasses.replace(measure, label=measure.label + label, unit="percent", decimals=1)
    else:
        out, base_year = compare.index_base100(frame)
        kind = "index"
        label = f" (indice base 100 en {base_year})" if measure.lang == "fr" else f" ({base_year} = 100)"
        new = dataclasses.replace(measure, label=measure.label + label, unit="ratio", decimals=1)
    return out, new, compare.axis_text(kind, measure.lang, base_year)


def series(
    frame: pd.DataFrame,
    measure: Measure,
    title: str,
    highlight: str | None = None,
    height: int = 380,
    subtitle: str = "",
    indicator: Indicator | None = None,
) -> go.Figure:
    """One line per area (order of first appearance) over the vintages, each in its role's colour,
    with distinct symbols and dashes; ``highlight`` drawn thicker. Monthly data (``month`` > 0) go
    on a date axis. Counts are drawn as an index or a change over one year (``comparable_series``).
    With ``indicator``, a census level joins only comparable vintages (``compare.comparable_chain``,
    at least 5 years apart): the others are points without a line, and the subtitle says so; a
    single vintage is said to be one."""
    raw_measure = measure
    frame, measure, axis_title = comparable_series(frame, measure)
    data = frame.dropna(subset=["value"])
    monthly = "month" in data.columns and bool((data["month"].fillna(0) > 0).any())
    if monthly:
        data = data.assign(
            x=[f"{int(y)}-{int(m):02d}-01" for y, m in zip(data["year"], data["month"], strict=True)]
        )
    else:
        data = data.assign(x=data["year"].astype(int))
    data = data.sort_values("x")
    colors = palette(frame["code"], focus=highlight)
    traces = []
    apart_shown = False  # some census vintage drawn without a line (too close to compare)
    for i, code in enumerate(dict.fromkeys(frame["code"])):
        part = data[data["code"] == code]
        if part.empty:
            continue
        hl = code == highlight
        name = str(frame.loc[frame["code"] == code, "name"].iloc[0])
        shown = [measure.fmt(v) for v in part["value"]]
        if "raw" in part.columns:  # the count itself, in the hover label
            shown = [f"{s} ({raw_measure.fmt(r)})" for s, r in zip(shown, part["raw"], strict=True)]
        part = part.assign(shown=shown)
        joined = part
        if not monthly and compare.census_rule(indicator):
            chain = compare.comparable_chain(indicator, part["x"])  # type: ignore[arg-type]
            joined = part[part["x"].isin(chain)] if len(chain) > 1 else part.iloc[0:0]
        apart = part.drop(joined.index)
        apart_shown = apart_shown or (len(apart) > 0 and len(part) > 1)
        style = {
            "line": {"color": colors[code], "width": 4 if hl else 2, "dash": DASHES[i % 8]},
            "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 10 if hl else 7, "color": colors[code]},
            "legendgroup": code,
            "hovertemplate": labelled(f"{name}, %{{x}}", "%{text}", measure.lang) + "<extra></extra>",
        }
        # the line joins comparable vintages only; nothing to join: every vintage a lone point
        for rows, mode, legend in (
            (joined, "lines+markers" if len(joined) > 1 else "markers", True),
            (apart, "markers", joined.empty),
        ):
            if rows.empty:
                continue
            traces.append(
                {
                    "type": "scatter",
                    "mode": mode,
                    "name": name,
                    "showlegend": legend,
                    "x": rows["x"].tolist(),
                    "y": rows["value"].tolist(),
                    "text": rows["shown"].tolist(),
                    "customdata": [code] * len(rows),
                    "meta": "trend",  # lone points read by ``figures.text.describe`` too
                    **style,
                }
            )
    years = sorted(set(data["x"]))
    notes_sub = [t("series.census_apart", measure.lang)] if apart_shown else []
    if len(years) == 1:  # no change to draw: say so rather than a line from a year to itself
        notes_sub.append(t("series.one_vintage", measure.lang, year=str(years[0])[:7]))
    subtitle = " · ".join(x for x in (subtitle, *notes_sub) if x)
    xaxis: dict[str, Any] = {"showgrid": False}
    if monthly:
        xaxis.update(month_ticks(sorted(set(data["x"])), measure.lang))
    else:
        xaxis.update(tickvals=sorted({int(y) for y in data["x"]}), tickformat="d")
    # The unit reads level above the axis: a vertical title crowds a phone-sized chart.
    yaxis = value_axis(measure, "")
    if axis_title is None:
        yaxis["rangemode"] = "tozero"
    else:
        yaxis.update(zeroline=True, zerolinecolor="#888")
    unit = axis_title if axis_title is not None else measure.unit_text
    notes = [axis_note(unit)] if unit else []
    layout = base_layout(
        title,
        measure.source,
        measure.lang,
        height,
        subtitle=subtitle,
        bottom=120 + 22 * (sum(bool(tr["showlegend"]) for tr in traces) // 3),
        hovermode="closest",
        # the legend at the figure's foot (container), not at a fraction of the plot's height: on a
        # phone the plot is short and its entries wrap, and a paper offset would cover the years
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        annotations=notes,
        margin={"t": (72 if subtitle else 48) + (22 if notes else 0)},
        xaxis=xaxis,
        yaxis=yaxis,
    )
    layout["meta"]["view"] = axis_title or ""  # what the values are (an index…), for descriptions
    return go.Figure({"data": traces, "layout": layout})


MONTHS = {
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def month_ticks(dates: list[str], lang: str) -> dict[str, Any]:
    """Ticks of a monthly axis named in the page language (« janv. 2024 »), few enough to stand
    level on a phone: every January beyond 30 months, every 6 or 3 months below (plotly's own
    month names are English only)."""
    if not dates:
        return {}
    step = 12 if len(dates) > 30 else 6 if len(dates) > 12 else 3
    vals = [d for d in dates if (int(d[5:7]) - 1) % step == 0]
    names = MONTHS.get(lang, MONTHS["fr"])
    text = [f"{names[int(d[5:7]) - 1]} {d[:4]}" if step < 12 else d[:4] for d in vals]
    return {"tickvals": vals, "ticktext": text, "tickangle": 0}
