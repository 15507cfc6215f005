"""Vector drawing on a reportlab canvas: the bar chart of a ``ChartSpec`` and the locator map.

Drawn directly (no browser, no image): the PDFs stay sharp at any zoom, small, and quick to
build. Text uses the fonts registered by ``exports.pdf.fonts`` (DejaVu Sans when installed, so
that « Ÿ », « € », « ² » and no-break spaces print and can be searched and copied).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from config.texts import t
from exports.charts import GRID, INK, MUTED, ChartSpec


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with « … » to fit ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def draw_bars(
    c: Canvas,
    spec: ChartSpec,
    x: float,
    y: float,
    w: float,
    h: float,
    font: str,
    bold: str,
    max_size: float = 14,
) -> None:
    """Horizontal bars of ``spec`` in the box (x, y) bottom-left, w × h points."""
    bars = spec.bars
    if not bars:
        c.setFont(font, max_size)
        c.setFillColor(HexColor(MUTED))
        c.drawString(x, y + h - max_size, t("deck.no_values", spec.lang))
        return
    row = h / len(bars)
    size = max(6.0, min(max_size, row * 0.72))
    label_w = min(w * 0.36, max(stringWidth(b.label, bold, size) for b in bars) + 10)
    value_w = max(stringWidth(b.text, bold, size) for b in bars) + 10
    low, high = min(0.0, *(b.value for b in bars)), max(0.0, *(b.value for b in bars))
    span = (high - low) or 1.0
    plot_w = max(10.0, w - label_w - 2 * value_w * (1 if low < 0 else 0.5))
    zero = x + label_w + (value_w if low < 0 else 0) + (-low) * plot_w / span
    for i, bar in enumerate(bars):
        top = y + h - i * row
        mid = top - row / 2
        length = bar.value * plot_w / span
        c.setFillColor(HexColor(bar.fill))
        c.rect(min(zero, zero + length), mid - row * 0.36, abs(length), row * 0.72, stroke=0, fill=1)
        face = bold if bar.role != "peer" else font
        c.setFillColor(HexColor(INK))
        c.setFont(face, size)
        c.drawRightString(x + label_w - 6, mid - size * 0.35, _fit(bar.label, face, size, label_w - 8))
        if bar.value >= 0:
            c.drawString(zero + length + 4, mid - size * 0.35, bar.text)
        else:
            c.drawRightString(zero + length - 4, mid - size * 0.35, bar.text)
    c.setStrokeColor(HexColor(MUTED))
    c.setLineWidth(0.6)
    c.line(zero, y, zero, y + h)


def _rings(geom: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    if geom.get("type") == "Polygon":
        yield from geom["coordinates"]
    elif geom.get("type") == "MultiPolygon":
        for polygon in geom["coordinates"]:
            yield from polygon


def draw_map(
    c: Canvas,
    shapes: Mapping[str, Mapping[str, Any]],
    styles: Mapping[str, tuple[str | None, str, float]],
    x: float,
    y: float,
    w: float,
    h: float,
) -> None:
    """Draw ``shapes`` (code → GeoJSON geometry, lon/lat) fitted in the box, in ``styles`` order.

    ``styles``: code → (fill colour or None, stroke colour, line width). Longitudes are scaled by
    cos(latitude) so that the shapes are not stretched (enough at the scale of a metropolis).
    """
    points = [p for code in styles if code in shapes for ring in _rings(shapes[code]) for p in ring]
    if not points:
        return
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lon0, lat0 = min(lons), min(lats)
    kx = math.cos(math.radians((lat0 + max(lats)) / 2))
    gw, gh = (max(lons) - lon0) * kx or 1e-9, (max(lats) - lat0) or 1e-9
    scale = min(w / gw, h / gh)
    ox = x + (w - gw * scale) / 2
    oy = y + (h - gh * scale) / 2
    for code, (fill, stroke, width) in styles.items():
        if code not in shapes:
            continue
        path = c.beginPath()
        for ring in _rings(shapes[code]):
            for i, (lon, lat) in enumerate(ring):
                px, py = ox + (lon - lon0) * kx * scale, oy + (lat - lat0) * scale
                path.moveTo(px, py) if i == 0 else path.lineTo(px, py)
            path.close()
        c.setLineWidth(width)
        c.setStrokeColor(HexColor(stroke))
        if fill:
            c.setFillColor(HexColor(fill))
        c.drawPath(path, stroke=1, fill=1 if fill else 0, fillMode=1)  # 1 = even-odd: holes stay empty


def legend(c: Canvas, items: list[tuple[str, str]], x: float, y: float, font: str, size: float = 8) -> None:
    """Small colour keys, one per line, from ``y`` downwards: (colour, label)."""
    for i, (colour, label) in enumerate(items):
        yy = y - i * (size + 4)
        c.setFillColor(HexColor(colour))
        c.setStrokeColor(HexColor(GRID))
        c.rect(x, yy - 1, size, size, stroke=1, fill=1)
        c.setFillColor(HexColor(INK))
        c.setFont(font, size)
        c.drawString(x + size + 4, yy, label)
