"""Polygons for the map: communes, Paris arrondissements, and outlines dissolved from communes.

The files are read, in scope, by ``etl.geometry_files`` (the producer's national gzip GeoJSON or the
mirror's per-department files, told apart by content). Paris arrondissements: Paris Open Data (full
precision, ODbL), simplified here as one coverage. Polygons are folded onto the COG 2024 and 2025
maps with the reference tables (``etl.geography``): 93059 Pierrefitte-sur-Seine is dissolved into
93066 Saint-Denis in 2025. Names are never taken from these files (the 2018 ones drop the
articles): ``territory`` has them.

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
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

import config
from etl.contract import RawDataError
from etl.geography import EPT_CODES, IDF_DEPS, MGP, Reference
from etl.geometry_files import (
    GEO_VINTAGES,
    distinct_files,
    file_key,
    keeper,
    read_communes,
    read_features,
    scope_groups,
)

GEOMETRY_COLUMNS = ["code", "geo_vintage", "level", "geojson", "lon", "lat", "area_km2"]
WGS84, LAMBERT93 = "EPSG:4326", "EPSG:2154"
DECIMALS = 5  # ~1.1 m; the france-geojson files already have 5 decimals (the national file 4)
GRID = 10.0**-DECIMALS
#: Coverage simplification of the full-precision arrondissements (metres): 5008 → ~1250 vertices,
#: ~95 KB → ~24 KB, area change < 0.001 km², shared borders kept identical.
ARRONDISSEMENT_TOLERANCE_M = 5.0
#: Dissolved department vs the department file of the same source (observed: ≤ 0.03 %).
DEPARTMENT_AREA_TOLERANCE = 0.005
ARRONDISSEMENT_CODES = tuple(f"751{i:02d}" for i in range(1, 21))
#: Groups every build outlines (the metropolis and its departments), whatever the home.
STANDARD_GROUPS = (
    [(t, "ept") for t in EPT_CODES] + [(MGP, "mgp")] + [(f"D{d}", "departement") for d in IDF_DEPS]
)


def _on_map(
    layer: dict[str, tuple[BaseGeometry, Path]], reference: Reference, vintage: int, groups: list[str]
) -> dict[str, BaseGeometry]:
    """The communes of the IDF_DEPS and of the scope's groups on one geo vintage, polygons of the
    file's edition folded into their successor. Every commune of the IDF_DEPS must have one; a
    commune elsewhere has one only if the file holds it (the mirror covers the IDF_DEPS only)."""
    idf = set().union(*(reference.group(f"D{d}", vintage) for d in IDF_DEPS))
    target = idf.union(*(reference.group(g, vintage) for g in groups))
    to_current = reference.to_current()
    parts: dict[str, list[BaseGeometry]] = {}
    for code, (geom, path) in layer.items():
        new, seen = code, [code]
        # Follow old → current links until a commune of this map (at most a few hops; a cycle
        # or a dead end means the reference does not explain a code of the file).
        while new not in target:
            new = to_current.get(new)
            if new is None or new in seen:
                new = None
                break
            seen.append(new)
        if new is None:
            if code[:2] in IDF_DEPS:
                raise RawDataError(path, f"commune {code} has no successor on COG {vintage}", field="code")
            continue  # outside the scope on this map (the France-wide groups exist on 2025 only)
        parts.setdefault(new, []).append(geom)
    if missing := sorted(idf - set(parts)):
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
    path = file_key(files, "arrondissements")
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
    """Each dissolved department vs its outline in the department file(s) of the same source."""
    keys = [f"departement_{d}" for d in IDF_DEPS if f"departement_{d}" in files]
    dissolved = {code[1:]: full for code, _v, level, full, _ in rows if level == "departement"}
    outlines: dict[str, tuple[BaseGeometry, Path]] = {}
    for path in distinct_files(files[k] for k in keys):
        for props, geom in read_features(path, lambda p: str(p.get("code")) in dissolved):
            if str(props["code"]) in outlines:
                raise RawDataError(path, f"department {props['code']} appears twice", field="code")
            outlines[str(props["code"])] = (geom, path)
    if missing := [k for k in keys if k.removeprefix("departement_") not in outlines]:
        raise RawDataError(
            files[missing[0]], f"expected a Feature with code {missing[0][-2:]!r}", field="code"
        )
    deps = sorted(outlines)
    areas = _areas([dissolved[d] for d in deps] + [outlines[d][0] for d in deps])
    for dep, mine, theirs in zip(deps, areas[: len(deps)], areas[len(deps) :], strict=True):
        if abs(mine / theirs - 1) > DEPARTMENT_AREA_TOLERANCE:
            msg = f"dissolved D{dep} is {mine:.2f} km², the department file {theirs:.2f} km²"
            raise RawDataError(outlines[dep][1], msg)


def _areas(geoms: list[BaseGeometry]) -> list[float]:
    return list(gpd.GeoSeries(geoms, crs=WGS84).to_crs(LAMBERT93).area / 1e6)


def build_geometries(
    files: dict[str, Path], reference: Reference, home: config.HomeConfig | None = None
) -> pd.DataFrame:
    """Rows of ``territory_geometry`` (``GEOMETRY_COLUMNS``) for geo vintages 2025 and 2024.

    Per vintage: every commune of 75, 91..95 and those of the scope the file holds (level commune),
    the 20 Paris arrondissements (level arrondissement; the same polygons both years), and outlines
    dissolved from the communes for the 12 territories T1, T2 … (ept), MGP (mgp), D75, D91..D95
    (departement), and the home and reference areas beyond them (epci, departement, region) whose
    every commune has a polygon. ``home``: the configured one by default. ``area_km2`` is computed
    in EPSG:2154 on the unsimplified polygon; ``lon``/``lat`` is a point inside the shipped polygon.
    """
    groups = scope_groups(reference, home or config.home())
    layer = read_communes(files, keeper(reference, groups))
    arr_codes, arr_full, arr_simple = _arrondissements(files)
    levels = dict(zip(reference.territories["code"], reference.territories["level"], strict=True))
    standard = {g for g, _ in STANDARD_GROUPS}
    outlined = STANDARD_GROUPS + [(g, levels[g]) for g in groups if g not in standard and g in levels]
    rows: list[tuple[str, int, str, BaseGeometry, BaseGeometry]] = []  # code, vintage, level, full, shipped
    for vintage in GEO_VINTAGES:
        communes = _on_map(layer, reference, vintage, groups)
        per_vintage = [(c, vintage, "commune", g, g) for c, g in communes.items()]
        per_vintage += [
            (c, vintage, "arrondissement", f, s)
            for c, f, s in zip(arr_codes, arr_full, arr_simple, strict=True)
        ]
        for group, level in outlined:
            members = reference.group(group, vintage)
            if group not in standard and (not members or not set(members) <= set(communes)):
                continue  # an outline only where every member commune has its polygon
            outline = _dissolve([communes[c] for c in members])
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
