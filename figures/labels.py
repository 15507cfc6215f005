"""Map labels that fit (pure): a commune's name is written only where its box fits inside the
commune's shape at the size the map is drawn, in a colour that contrasts with the commune's class.

Shapes are projected like plotly's ``geo`` maps (Mercator) and scaled as ``fitbounds`` does, so
that a label box measured in pixels can be tested against the commune in the same units. The
label point is the pole of inaccessibility (``shapely.ops.polylabel``): the point of the shape
farthest from its edges, where a label has the most room. A box inside its own commune cannot
overlap another commune's label, since communes do not overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.ops import polylabel

#: Average advance of a character of the UI sans-serif, in ems (measured on DejaVu/Liberation).
CHAR_EM = 0.58
LINE_EM = 1.25


@dataclass(frozen=True)
class Label:
    """A label that fits: its text (``<br>`` between lines) and where it goes (degrees)."""

    code: str
    text: str
    lon: float
    lat: float


def _mercator(coords: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(coords[:, 0]), np.radians(np.clip(coords[:, 1], -85, 85))
    return np.column_stack([lon, np.log(np.tan(math.pi / 4 + lat / 2))])


def _unmercator(x: float, y: float) -> tuple[float, float]:
    return math.degrees(x), math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def project(geometry: dict[str, Any]) -> Polygon | MultiPolygon:
    """A GeoJSON geometry in Mercator units (radians), made valid."""
    geom = shapely.transform(shape(geometry), _mercator)
    return geom if geom.is_valid else shapely.make_valid(geom)


def _largest(geom: Any) -> Polygon:
    if isinstance(geom, Polygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]
    return max(parts, key=lambda g: g.area) if parts else Polygon()


def candidates(name: str) -> list[list[str]]:
    """Ways to write ``name``, best first: whole, short (« Vitry » for « Vitry-sur-Seine »), and on
    two lines broken at the hyphen nearest the middle."""
    out = [[name]]
    for sep in ("-sur-", "-lès-", "-les-", "-le-", "-en-"):
        if sep in name:
            out.append([name.split(sep)[0]])
            break
    cuts = [i for i, c in enumerate(name) if c in "- " and 0 < i < len(name) - 1]
    if cuts:
        mid = min(cuts, key=lambda i: abs(i - len(name) / 2))
        first = name[: mid + 1] if name[mid] == "-" else name[:mid]
        out.append([first, name[mid + 1 :]])
    return out


def fit_labels(
    shapes: dict[str, dict[str, Any]],
    names: dict[str, str],
    size: tuple[float, float] = (600, 520),
    font_size: float = 11,
    padding: float = 2,
) -> list[Label]:
    """The labels of ``names`` (code → name) that fit inside their shape (code → GeoJSON geometry)
    on a map whose plot area is ``size`` (width, height) pixels, fitted to all ``shapes``."""
    projected = {c: project(g) for c, g in shapes.items() if g}
    if not projected:
        return []
    minx, miny, maxx, maxy = shapely.total_bounds(list(projected.values()))
    span_x, span_y = max(maxx - minx, 1e-12), max(maxy - miny, 1e-12)
    px = min(size[0] / span_x, size[1] / span_y)  # pixels per Mercator unit (plotly fitbounds)
    out = []
    for code, name in names.items():
        geom = projected.get(code)
        if geom is None or geom.is_empty:
            continue
        part = _largest(geom)
        if part.is_empty:
            continue
        point = polylabel(part, tolerance=2 / px)
        for lines in candidates(name):
            width = (max(len(s) for s in lines) * CHAR_EM * font_size + 2 * padding) / px
            height = (len(lines) * LINE_EM * font_size + 2 * padding) / px
            rect = box(point.x - width / 2, point.y - height / 2, point.x + width / 2, point.y + height / 2)
            if part.contains(rect):
                lon, lat = _unmercator(point.x, point.y)
                out.append(Label(code, "<br>".join(lines), lon, lat))
                break
    return out
