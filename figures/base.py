"""Shared look of every figure: colour-blind-safe palettes, fonts, French/English number separators,
the source line of exported images, and ``Measure`` (what a figure needs to know about an indicator).

Places take the colour of their role (``figures.roles``). Classes: ColorBrewer YlOrBr (sequential)
and PuOr (diverging), readable with the common colour-vision deficiencies; highlighted items are
also marked by shape or weight, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from figures.roles import ROLE_COLORS
from indicators.formatting import fmt_change, fmt_value, labelled, unit_label

#: Okabe & Ito (2008) categorical palette, black last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HIGHLIGHT = ROLE_COLORS["commune"]  # vermillion: the commune being looked at (figures.roles)
REFERENCE = ROLE_COLORS["territory"]  # blue: its territory
MUTED = ROLE_COLORS["peer"]  # grey (3.4:1 against white): the other communes
NO_DATA = "#E3E3E3"
OUTLINE = "#222222"
#: ColorBrewer YlOrBr, 7 classes (light = low): no blue, so that the home territory's outline (the
#: territory role's blue) stands out on every class.
SEQUENTIAL = ("#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04")
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

    def named(self, label: str, value: float | None) -> str:
        """« MGP : 11,8 % » in French, "MGP: 11.8%" in English (the language's punctuation)."""
        return labelled(label, self.fmt(value), self.lang)

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


#: Value axes: whole numbers with thousands separators (« 600 000 »), never SI suffixes (« 600k »).
VALUE_AXIS: dict[str, Any] = {"exponentformat": "none", "separatethousands": True}
SOURCE_FONT = {"size": 12, "color": "#595959"}  # 7:1 against white
GRID = {"showgrid": True, "gridcolor": "#eee"}


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
    subtitle, fonts, separators and margins. ``bottom`` (pixels) is the foot margin a figure needs
    *with* its source line; in the app the source is printed once, in HTML under the chart, so it
    is only kept in ``meta`` (``standalone`` draws it in exported images). ``extra`` keys are merged
    in (``margin`` is merged key by key)."""
    # Titles wrap early: a chart in a half-width card or on a phone is 340-400 px wide.
    title, subtitle = wrap(title, 42) if title else "", wrap(subtitle, 48) if subtitle else ""
    margin = {"l": 10, "r": 10, "t": 72 if subtitle else 48, "b": max(24, bottom - SOURCE_SPACE)}
    margin.update(extra.pop("margin", {}))
    margin["t"] += 19 * title.count("<br>") + 16 * subtitle.count("<br>")
    annotations = list(extra.pop("annotations", []))
    return {
        "title": {
            "text": f"<b>{title.replace('<br>', '</b><br><b>')}</b>" if title else "",
            "subtitle": {"text": subtitle, "font": {"size": 13, "color": "#444"}},
            "x": 0.01,
            "xanchor": "left",
            # plotly anchors a multi-line title by its first line: pad it down by the extra lines
            "y": 1,
            "pad": {"t": 8 + 19 * title.count("<br>")},
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
        "meta": {"source": source, "source_width": source_width, "lang": lang},
        "annotations": annotations,
        **extra,
    }


#: Foot margin of the source line in ``base_layout``'s ``bottom`` (dropped in the app).
SOURCE_SPACE = 40


def standalone(fig: go.Figure, source: str | None = None, width: int | None = None) -> go.Figure:
    """A copy of ``fig`` for an image file (PNG/SVG of a view): its source line drawn once at the
    foot (``source`` or the one kept in ``meta``), wrapped to ``width`` pixels, and no hover."""
    out = go.Figure(fig)
    meta = dict(out.layout.meta or {}) if isinstance(out.layout.meta, dict) else {}
    text = source if source is not None else str(meta.get("source") or "")
    chars = max(40, int((width or 1200) / 7.2)) if width else int(meta.get("source_width") or 60)
    if text:
        wrapped = wrap(text, chars)
        lines = 1 + wrapped.count("<br>")
        added = 12 + 16 * lines
        bottom = int(out.layout.margin.b or 24) + added
        height = int(out.layout.height or 420) + added
        out.update_layout(margin={"b": bottom}, height=height)
        if out.layout.legend.yref == "container":  # a legend at the foot stays above the source line
            out.update_layout(
                legend={"y": (float(out.layout.legend.y or 0) * (height - added) + added) / height}
            )
        out.add_annotation(
            text=wrapped,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-(bottom - 6),
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            align="left",
            font=SOURCE_FONT,
        )
    out.update_layout(hovermode=False)
    return out


def empty_figure(message: str, lang: str = "fr", height: int = 300) -> go.Figure:
    """A blank figure carrying only ``message`` (no data for the selection)."""
    note = {"text": message, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False}
    layout = base_layout(
        "", "", lang, height, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False}
    )
    return go.Figure(layout=layout)


def value_axis(measure: Measure, title: str | None = None) -> dict[str, Any]:
    """A value axis: its title (the unit by default), French/English thousands, no SI suffix."""
    return {"title": {"text": measure.unit_text if title is None else title}, **VALUE_AXIS, **GRID}


def axis_note(text: str) -> dict[str, Any]:
    """The value axis's unit, written level at its top left (« Indice, base 100 en 2013 », « % »)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 6,
        "showarrow": False,
        "font": {"size": 12, "color": "#444"},
    }


def foot_note(text: str) -> dict[str, Any]:
    """A short note above the plot's top right corner (e.g. what a chart leaves out)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": 1,
        "xanchor": "right",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": "#595959"},
    }
