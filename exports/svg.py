"""Inline SVG for the tagged PDFs (``exports.fiche_html``, ``exports.deck_html``): the bar chart of
a ``ChartSpec`` and the locator map, each an image with its alternative text (``role="img"``,
``aria-label``), drawn as ``exports.drawing`` draws them for reportlab (same bars, order,
colours and labels).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

from config.texts import t
from exports.charts import INK, MUTED, ChartSpec
from exports.drawing import _rings

BOLD_W = 0.66  # mean glyph width of bold DejaVu Sans, in em: enough to size the label column


def _attr(text: str) -> str:
    return escape(text, quote=True)


def bars_svg(spec: ChartSpec, width: float, height: float, size: float = 13, unit: str = "") -> str:
    """Horizontal bars, names left, values at the bar ends; ``aria-label`` = ``spec.alt``.
    ``unit``: CSS unit of ``width`` and ``height`` (``pt`` in the deck; the drawing is in those units)."""
    head = f'<svg role="img" aria-label="{_attr(spec.alt)}" width="{width:.0f}{unit}" height="{height:.0f}{unit}" '
    head += f'viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg">'
    if not spec.bars:
        return (
            head
            + f'<text x="0" y="{size * 1.5}" fill="{MUTED}">{t("deck.no_values_short", spec.lang)}</text></svg>'
        )
    row = height / len(spec.bars)
    size = max(6.0, min(size, row * 0.72))
    label_w = min(width * 0.36, max(len(b.label) for b in spec.bars) * size * BOLD_W + 10)
    value_w = max(len(b.text) for b in spec.bars) * size * BOLD_W + 12
    low, high = min(0.0, *(b.value for b in spec.bars)), max(0.0, *(b.value for b in spec.bars))
    span = (high - low) or 1.0
    plot_w = max(10.0, width - label_w - value_w * (2 if low < 0 else 1))
    zero = label_w + (value_w if low < 0 else 0) + (-low) * plot_w / span
    parts = [head]
    for i, bar in enumerate(spec.bars):
        mid = i * row + row / 2
        length = bar.value * plot_w / span
        weight = "bold" if bar.role != "peer" else "normal"
        x = min(zero, zero + length)
        parts.append(
            f'<rect x="{x:.1f}" y="{mid - row * 0.36:.1f}" width="{abs(length):.1f}" '
            f'height="{row * 0.72:.1f}" fill="{bar.fill}"/>'
            f'<text x="{label_w - 6:.1f}" y="{mid + size * 0.35:.1f}" text-anchor="end" '
            f'font-size="{size:.1f}" font-weight="{weight}" fill="{INK}">{escape(bar.label)}</text>'
        )
        anchor, vx = ("start", zero + length + 4) if bar.value >= 0 else ("end", zero + length - 4)
        parts.append(
            f'<text x="{vx:.1f}" y="{mid + size * 0.35:.1f}" text-anchor="{anchor}" '
            f'font-size="{size:.1f}" font-weight="{weight}" fill="{INK}">{escape(bar.text)}</text>'
        )
    parts.append(f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height:.0f}" stroke="{MUTED}"/></svg>')
    return "".join(parts)


def map_svg(
    shapes: Mapping[str, Mapping[str, Any]],
    styles: Mapping[str, tuple[str | None, str, float]],
    width: float,
    height: float,
    label: str,
) -> str:
    """``shapes`` (code → GeoJSON geometry) fitted in the box, in ``styles`` order (see
    ``exports.drawing.draw_map``); ``label`` is the map's alternative text."""
    points = [p for code in styles if code in shapes for ring in _rings(shapes[code]) for p in ring]
    head = f'<svg role="img" aria-label="{_attr(label)}" width="{width:.0f}" height="{height:.0f}" '
    head += f'viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg">'
    if not points:
        return head + "</svg>"
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lon0, lat1 = min(lons), max(lats)
    kx = math.cos(math.radians((min(lats) + lat1) / 2))
    gw, gh = (max(lons) - lon0) * kx or 1e-9, (lat1 - min(lats)) or 1e-9
    scale = min(width / gw, height / gh)
    ox, oy = (width - gw * scale) / 2, (height - gh * scale) / 2
    parts = [head]
    for code, (fill, stroke, line) in styles.items():
        if code not in shapes:
            continue
        d = []
        for ring in _rings(shapes[code]):
            pts = [
                f"{ox + (lon - lon0) * kx * scale:.1f},{oy + (lat1 - lat) * scale:.1f}" for lon, lat in ring
            ]
            d.append("M" + " L".join(pts) + " Z")
        parts.append(
            f'<path d="{" ".join(d)}" fill="{fill or "none"}" fill-rule="evenodd" '
            f'stroke="{stroke}" stroke-width="{line}"/>'
        )
    return "".join(parts) + "</svg>"
