"""Shared look of every figure: colour-blind-safe palettes, fonts, French/English number separators,
the source annotation, and ``Measure`` (what a figure needs to know about an indicator).

Palettes: Okabe-Ito for categories, ColorBrewer YlGnBu (sequential) and PuOr (diverging), all
readable with the common colour-vision deficiencies; highlighted items are also marked by shape
or weight, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from indicators.formatting import fmt_change, fmt_value, unit_label

#: Okabe & Ito (2008) categorical palette, black last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HIGHLIGHT = "#D55E00"  # vermillion: the commune / GOSB being looked at
REFERENCE = "#0072B2"  # blue: reference areas (MGP, department)
MUTED = "#A7A9AC"  # other items
NO_DATA = "#E3E3E3"
OUTLINE = "#222222"
#: ColorBrewer YlGnBu, 7 classes (light = low).
SEQUENTIAL = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
#: ColorBrewer PuOr, 8 classes (purple = below the reference, orange = above).
DIVERGING_LOW = ("#542788", "#8073ac", "#b2abd2", "#d8daeb")
DIVERGING_HIGH = ("#fee0b6", "#fdb863", "#e08214", "#b35806")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
SEPARATORS = {"fr": ",\u00a0", "en": ".,"}


@dataclass(frozen=True)
class Measure:
    """An indicator as figures see it: label, unit, decimals and source credit in one language."""

    id: str
    label: str
    unit: str
    decimals: int = 1
    polarity: str = "neutral"
    source: str = ""
    lang: str = "fr"

    def fmt(self, value: float | None, plain: bool = False) -> str:
        """The value in the indicator's unit, French or English style (``12,8 %``)."""
        return fmt_value(value, self.unit, self.decimals, self.lang, plain=plain)

    def fmt_change(self, delta: float | None) -> str:
        """A signed change (``+0,8 pt`` for rates)."""
        return fmt_change(delta, self.unit, self.decimals, self.lang)

    @property
    def unit_text(self) -> str:
        """Unit label for axes (``%``, ``€``, ``pour 1 000``); empty for counts."""
        return unit_label(self.unit, self.lang)

    @property
    def axis_title(self) -> str:
        unit = self.unit_text
        return f"{self.label} ({unit})" if unit else self.label

    @property
    def is_rate(self) -> bool:
        """Rates and shares: their map classes diverge around the metropolis value."""
        return self.unit in ("percent", "per_100", "per_1000", "ratio")


def wrap(text: str, width: int = 75) -> str:
    """Break ``text`` into lines of at most ``width`` characters with ``<br>`` (plotly annotations)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def base_layout(
    title: str,
    source: str,
    lang: str,
    height: int = 420,
    bottom: int = 56,
    subtitle: str = "",
    source_width: int = 60,
    **extra: Any,
) -> dict[str, Any]:
    """The common layout (a plain dict: one validated ``go.Figure`` is built per chart): title and
    subtitle, fonts, separators, margins and the source line at the foot of the ``bottom`` margin
    (pixels), wrapped at ``source_width`` characters. ``extra`` keys are merged in (``margin`` is
    merged key by key)."""
    source = wrap(source, source_width) if source else ""
    title, subtitle = wrap(title, 60) if title else "", wrap(subtitle, 80) if subtitle else ""
    extra_lines = source.count("<br>")
    margin = {"l": 10, "r": 10, "t": 72 if subtitle else 48, "b": bottom + 13 * extra_lines}
    margin.update(extra.pop("margin", {}))
    margin["t"] += 19 * title.count("<br>") + 16 * subtitle.count("<br>")
    annotations = list(extra.pop("annotations", []))
    if source:
        annotations.append(
            {
                "text": source,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -(margin["b"] - 10),
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "align": "left",
                "font": {"size": 11, "color": "#555"},
            }
        )
    return {
        "title": {
            "text": f"<b>{title.replace('<br>', '</b><br><b>')}</b>" if title else "",
            "subtitle": {"text": subtitle, "font": {"size": 13, "color": "#444"}},
            "x": 0.01,
            "xanchor": "left",
            "y": 0.98,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 15},
        },
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "separators": SEPARATORS.get(lang, SEPARATORS["fr"]),
        "margin": margin,
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT}},
        "meta": {"source": source, "lang": lang},
        "annotations": annotations,
        **extra,
    }


def empty_figure(message: str, lang: str = "fr", height: int = 300) -> go.Figure:
    """A blank figure carrying only ``message`` (no data for the selection)."""
    note = {"text": message, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False}
    layout = base_layout(
        "", "", lang, height, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False}
    )
    return go.Figure(layout=layout)
