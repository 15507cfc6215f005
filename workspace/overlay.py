"""Targets on charts: a dashed line at the target value and the distance from the latest value.

``add_target(fig, target, latest, unit, decimals, lang)`` works on any plotly figure whose y axis
is in the indicator's unit (the workspace chart, and the public charts for targets marked public:
``workspace.store.targets_for(engine, indicator, code)`` gives them).
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import plotly.graph_objects as go

from indicators.formatting import fmt_change, fmt_value
from workspace.texts import tr

TARGET_COLOR = "#b03a2e"


def distance_text(target: dict[str, Any], latest: float | None, unit: str, decimals: int, lang: str) -> str:
    """« Cible : 25 % (2025-12-31) — écart à la cible : -3,2 pt » (latest value minus target)."""
    when = target["target_date"]
    when = when.isoformat() if isinstance(when, date) else str(when)
    goal = fmt_value(target["value"], unit, decimals, lang)
    head = tr("target_head", lang, goal=goal, when=when[:10])
    if target.get("label"):
        head += f" — {target['label']}"
    if latest is None:
        return head
    gap = fmt_change(float(latest) - float(target["value"]), unit, max(decimals, 1), lang)
    return head + tr("target_gap", lang, gap=gap)


def add_target(
    fig: go.Figure,
    target: dict[str, Any],
    latest: float | None,
    unit: str,
    decimals: int = 1,
    lang: str = "fr",
) -> go.Figure:
    """Draw ``target`` on ``fig`` (in place) and return it."""
    fig.add_hline(
        y=float(target["value"]),
        line={"color": TARGET_COLOR, "dash": "dash", "width": 2},
        annotation={
            # plain text: plotly renders tags in text (<a href>, <b>…), an officer's label must not
            "text": html.escape(distance_text(target, latest, unit, decimals, lang), quote=False),
            "font": {"color": TARGET_COLOR},
            "xanchor": "left",
            "x": 0,
            "yanchor": "bottom",
        },
    )
    return fig
