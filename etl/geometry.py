"""Polygons for the map: communes, Paris arrondissements, and outlines dissolved from communes.

Inputs (see ``raw/geo/PROVENANCE.md``): the france-geojson files (IGN ADMIN EXPRESS COG 2018,
already simplified by mapshaper with shared borders snapped, 5-decimal coordinates) for the
departments 75, 91..95, and the Paris Open Data arrondissements (full precision, ODbL).
The 2018 codes are folded onto the COG 2024 and 2025 maps with the reference tables
(``etl.geography``), so 93059 Pierrefitte-sur-Seine is dissolved into 93066 Saint-Denis in 2025.
Names are never taken from these files (they drop the articles): the ``territory`` table has them.

File keys: ``communes_<dep>`` (required, dep in 75, 91..95), ``departement_<dep>`` (optional,
used only to cross-check the dissolved department areas) and ``arrondissements`` (required).
Output: ``GEOMETRY_COLUMNS``, the rows of ``territory_geometry``. Nothing is written here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from etl.contract import RawDataError
from etl.geography import EPT_CODES, IDF_DEPS, MGP, Reference

GEOMETRY_COLUMNS = ["code", "geo_vintage", "level", "geojson", "lon", "lat", "area_km2"]
GEO_VINTAGES = (2025, 2024)
WGS84, LAMBERT93 = "EPSG:4326", "EPSG:2154"
DECIMALS = 5  # ~1.1 m; the france-geojson files already have 5 decimals
GRID = 10.0**-DECIMALS
#: Coverage simplification of the full-precision arrondissements (metres): 5008 → ~1250 vertices,
#: ~95 KB → ~24 KB, area change < 0.001 km², shared borders kept identical.
ARRONDISSEMENT_TOLERANCE_M = 5.0
#: Dissolved department vs the department file of the same source (observed: ≤ 0.03 %).
DEPARTMENT_AREA_TOLERANCE = 0.005
ARRONDISSEMENT_CODES = tuple(f"751{i:02d}" for i in range(1, 21))


def read_features(path: Path) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """(properties, geometry) of a GeoJSON FeatureCollection or single Feature (department files)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawDataError(path, f"not valid GeoJSON: {exc}") from exc
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        features = [data]
    elif kind == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        raise RawDataError(path, "expected a GeoJSON Feature or FeatureCollection", field="type")
    out = []
    for i, feat in enumerate(features):
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not geom or geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise RawDataError(path, f"feature {i}: no Polygon/MultiPolygon geometry", field="geometry")
        try:
            poly = shape(geom)
        except (ValueError, TypeError, KeyError, shapely.errors.GEOSException) as exc:
            raise RawDataError(path, f"feature {i}: bad geometry ({exc})", field="geometry") from exc
        if not poly.is_valid:
            why = shapely.is_valid_reason(poly)
            raise RawDataError(path, f"feature {i}: invalid geometry ({why})", field="geometry")
        out.append((feat.get("properties") or {}, poly))
    return out


def _key(files: dict[str, Path], key: str) -> Path:
    if key not in files:
        raise ValueError(f"build_geometries: missing file key {key!r} (have {sorted(files)})")
    return Path(files[key])


def _communes_2018(files: dict[str, Path]) -> dict[str, tuple[BaseGeometry, Path]]:
    """2018 code → (polygon, file), for every commune of the IDF_DEPS files."""
    out: dict[str, tuple[BaseGeometry, Path]] = {}
    for dep in IDF_DEPS:
        path = _key(files, f"communes_{dep}")
        for i, (props, geom) in enumerate(read_features(path)):
            code = props.get("code")
            if not isinstance(code, str) or len(code) != 5 or not code.startswith(dep):
                raise RawDataError(path, f"feature {i}: bad commune code {code!r}", field="code")
            if code in out:
                raise RawDataError(path, f"commune {code} appears twice", field="code")
            out[code] = (geom, path)
    return out


def _on_map(
    layer: dict[str, tuple[BaseGeometry, Path]], reference: Reference, vintage: int
) -> dict[str, BaseGeometry]:
    """The communes of the IDF_DEPS on one geo vintage, 2018 polygons folded into their successor."""
    target = set().union(*(reference.group(f"D{d}", vintage) for d in IDF_DEPS))
    to_current = reference.to_current()
    parts: dict[str, list[BaseGeometry]] = {}
    for code, (geom, path) in layer.items():
        new, seen = code, [code]
        # Follow old → current links until a commune of this map (at most a few hops; a cycle
        # or a dead end means the reference does not explain a 2018 code).
        while new not in target:
            new = to_current.get(new)
            if new is None or new in seen:
                raise RawDataError(path, f"commune {code} has no successor on COG {vintage}", field="code")
            seen.append(new)
        parts.setdefault(new, []).append(geom)
    if missing := sorted(target - set(parts)):
        files = sorted({str(p.name) for _, p in layer.values()})
        raise RawDataError(", ".join(files), f"COG {vintage} communes without a polygon: {missing}")
    return {code: _dissolve(geoms) for code, geoms in sorted(parts.items())}


def _dissolve(geoms: list[BaseGeometry]) -> BaseGeometry:
    if len(geoms) == 1:
        return geoms[0]
    # Snapping to the 5-decimal grid of the source makes shared borders cancel exactly (no slivers).
    return shapely.union_all(geoms, grid_size=GRID)


def _arrondissements(files: dict[str, Path]) -> tuple[list[str], list[BaseGeometry], list[BaseGeometry]]:
    """Codes, full-precision and simplified polygons of the 20 Paris arrondissements."""
    path = _key(files, "arrondissements")
    feats = read_features(path)
    codes = []
    for i, (props, _) in enumerate(feats):
        raw = props.get("c_arinsee")  # an integer in this layer (75101), not a string
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if not isinstance(raw, (int, str)) or str(raw) not in ARRONDISSEMENT_CODES:
            raise RawDataError(path, f"feature {i}: bad arrondissement code {raw!r}", field="c_arinsee")
        codes.append(str(raw).zfill(5))
    if sorted(codes) != list(ARRONDISSEMENT_CODES):
        raise RawDataError(path, f"expected the 20 arrondissements 75101..75120, got {sorted(codes)}")
    full = [g for _, g in feats]
    # Simplifying the coverage as a whole keeps shared borders identical, unlike a per-polygon
    # simplify(preserve_topology=True), which would open gaps and overlaps between neighbours.
    metric = gpd.GeoSeries(full, crs=WGS84).to_crs(LAMBERT93).values
    simple = shapely.coverage_simplify(metric, ARRONDISSEMENT_TOLERANCE_M, simplify_boundary=True)
    return codes, full, list(gpd.GeoSeries(simple, crs=LAMBERT93).to_crs(WGS84).values)


def _rounded(geom: BaseGeometry) -> BaseGeometry:
    out = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    # Rounding a vertex can in rare cases fold a ring; snap-rounding is the safe fallback.
    return out if out.is_valid else shapely.set_precision(geom, GRID)


def geojson_text(geom: BaseGeometry) -> str:
    """Compact GeoJSON geometry text (coordinates already on the 5-decimal grid)."""
    return json.dumps(mapping(geom), separators=(",", ":"))


def _check_departments(files: dict[str, Path], rows: list[tuple[str, int, str, Any, Any]]) -> None:
    areas = _areas([full for code, v, lvl, full, _ in rows if lvl == "departement"])
    dissolved = dict(zip([code for code, v, lvl, *_ in rows if lvl == "departement"], areas, strict=True))
    for dep in IDF_DEPS:
        key = f"departement_{dep}"
        if key not in files:
            continue
        feats = read_features(files[key])
        if len(feats) != 1 or feats[0][0].get("code") != dep:
            raise RawDataError(files[key], f"expected one Feature with code {dep!r}", field="code")
        area = _areas([feats[0][1]])[0]
        if abs(dissolved[f"D{dep}"] / area - 1) > DEPARTMENT_AREA_TOLERANCE:
            msg = f"dissolved D{dep} is {dissolved[f'D{dep}']:.2f} km², the department file {area:.2f} km²"
            raise RawDataError(files[key], msg)


def _areas(geoms: list[BaseGeometry]) -> list[float]:
    return list(gpd.GeoSeries(geoms, crs=WGS84).to_crs(LAMBERT93).area / 1e6)


def build_geometries(files: dict[str, Path], reference: Reference) -> pd.DataFrame:
    """Rows of ``territory_geometry`` (``GEOMETRY_COLUMNS``) for geo vintages 2025 and 2024.

    Per vintage: every commune of 75, 91..95 (level commune), the 20 Paris arrondissements
    (level arrondissement; the same polygons both years), and outlines dissolved from the
    communes for the 12 territories T1, T2 … (ept), MGP (mgp) and D75, D91..D95 (departement). ``area_km2`` is
    computed in EPSG:2154 on the unsimplified polygon; ``lon``/``lat`` is a point inside the
    shipped polygon.
    """
    layer = _communes_2018(files)
    arr_codes, arr_full, arr_simple = _arrondissements(files)
    rows: list[tuple[str, int, str, BaseGeometry, BaseGeometry]] = []  # code, vintage, level, full, shipped
    for vintage in GEO_VINTAGES:
        communes = _on_map(layer, reference, vintage)
        per_vintage = [(c, vintage, "commune", g, g) for c, g in communes.items()]
        per_vintage += [
            (c, vintage, "arrondissement", f, s)
            for c, f, s in zip(arr_codes, arr_full, arr_simple, strict=True)
        ]
        groups = (
            [(t, "ept") for t in EPT_CODES] + [(MGP, "mgp")] + [(f"D{d}", "departement") for d in IDF_DEPS]
        )
        for group, level in groups:
            outline = _dissolve([communes[c] for c in reference.group(group, vintage)])
            per_vintage.append((group, vintage, level, outline, outline))
        _check_departments(files, per_vintage)
        rows += per_vintage

    shipped = [_rounded(s) for *_, s in rows]
    invalid = [r[0] for r, g in zip(rows, shipped, strict=True) if not g.is_valid]
    if invalid:
        raise RawDataError("build_geometries", f"invalid geometries after rounding: {invalid[:10]}")
    points = shapely.point_on_surface(np.array(shipped, dtype=object))
    return pd.DataFrame(
        {
            "code": [r[0] for r in rows],
            "geo_vintage": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "geojson": [geojson_text(g) for g in shipped],
            "lon": np.round(shapely.get_x(points), DECIMALS),
            "lat": np.round(shapely.get_y(points), DECIMALS),
            "area_km2": np.round(_areas([r[3] for r in rows]), 4),
        },
        columns=GEOMETRY_COLUMNS,
    )
