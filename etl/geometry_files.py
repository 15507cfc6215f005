"""Reading the polygon files of the map, producer's or mirror's, keeping the features in scope.

Inputs (see ``raw/geo/PROVENANCE.md``), told apart by their content, not their name: the mirror's
france-geojson files (IGN ADMIN EXPRESS COG 2018 simplified by mapshaper, shared borders snapped,
5 decimals), one per department 75, 91..95; or the producer's national file (Etalab « contours
administratifs » from ADMIN EXPRESS COG, gzip GeoJSON, ``code``/``nom``, MultiPolygons, municipal
arrondissements beside their commune), which a download puts under every per-department key and
which is read once. The scope is applied when reading: every commune of 75, 91..95, plus the
configured home's communes and those of its reference areas (``config``: e.g. an EPCI of the Pays
Basque, its department and region), which only a national file holds. ``etl.geometry`` builds the
rows of ``territory_geometry`` from what is read here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, shape
from shapely.geometry.base import BaseGeometry

import config
from etl.contract import RawDataError
from etl.geography import IDF_DEPS, Reference

GEO_VINTAGES = (2025, 2024)
#: A ring folded by coordinate truncation is repaired only if the repair keeps the area to this.
REPAIR_AREA_TOLERANCE = 0.001
#: Reference areas that are no map of communes (all of France).
NOT_MAPPED = ("FR", "FRM")

Keep = Callable[[dict[str, Any]], bool]


def _load_json(path: Path) -> Any:
    # The cache keeps a download under the spec's path whatever its format: gzip is told by its bytes.
    raw = Path(path).read_bytes()
    try:
        return json.loads((gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawDataError(path, f"not valid GeoJSON: {exc}") from exc


def read_features(path: Path, keep: Keep | None = None) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """(properties, geometry) of a GeoJSON FeatureCollection or single Feature (department files),
    gzip-compressed or not; ``keep`` selects features on their properties before any geometry is built."""
    data = _load_json(path)
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        features = [data]
    elif kind == "FeatureCollection" and isinstance(data.get("features"), list):
        features = data["features"]
    else:
        raise RawDataError(path, "expected a GeoJSON Feature or FeatureCollection", field="type")
    out = []
    for i, feat in enumerate(features):
        props = (feat.get("properties") or {}) if isinstance(feat, dict) else {}
        if keep is not None and not keep(props):
            continue
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        if not geom or geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise RawDataError(path, f"feature {i}: no Polygon/MultiPolygon geometry", field="geometry")
        try:
            poly = shape(geom)
        except (ValueError, TypeError, KeyError, shapely.errors.GEOSException) as exc:
            raise RawDataError(path, f"feature {i}: bad geometry ({exc})", field="geometry") from exc
        out.append((props, _valid(path, i, poly)))
    return out


def _valid(path: Path, i: int, poly: BaseGeometry) -> BaseGeometry:
    if isinstance(poly, MultiPolygon) and len(poly.geoms) == 1:
        poly = poly.geoms[0]  # a single-part MultiPolygon of the national file: the mirror's Polygon
    if poly.is_valid:
        return poly
    # The national file's coordinates are truncated to 4 decimals, which can fold a tiny ring.
    parts = [p for p in shapely.get_parts(shapely.make_valid(poly)) if p.geom_type.endswith("Polygon")]
    fixed = shapely.union_all(parts) if parts else None
    if (
        fixed is None
        or not fixed.is_valid
        or abs(fixed.area - poly.area) > REPAIR_AREA_TOLERANCE * fixed.area
    ):
        why = shapely.is_valid_reason(poly)
        raise RawDataError(path, f"feature {i}: invalid geometry ({why})", field="geometry")
    return fixed


def file_key(files: dict[str, Path], key: str) -> Path:
    """The file under ``key`` (a missing key is a wrong source declaration, not a bad file)."""
    if key not in files:
        raise ValueError(f"build_geometries: missing file key {key!r} (have {sorted(files)})")
    return Path(files[key])


def distinct_files(paths: Iterable[Path]) -> list[Path]:
    """Each content once: a download puts the producer's one national file under every
    per-department key, where the mirror has a file per department."""
    by_digest: dict[str, Path] = {}
    for path in map(Path, paths):
        by_digest.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return list(by_digest.values())


def scope_groups(reference: Reference, home: config.HomeConfig) -> list[str]:
    """The home and its reference areas (as ``indicators.home`` derives them when not configured:
    its departments and the metropolis, outside the metropolis its department(s) and its region)."""
    members = set(reference.group(home.code))
    if home.references is not None:
        areas = [r for r in home.references if r not in NOT_MAPPED]
    else:
        terr = reference.territories
        areas = sorted({f"D{d}" for d in terr.loc[terr["code"].isin(members), "dep_code"].dropna()})
        if not home.in_metropolis and members:  # and the region that holds every member
            regions = terr.loc[terr["level"] == "region", "code"]
            areas += [r for r in regions if members <= set(reference.group(r))]
    return [home.code, *(a for a in areas if a != home.code)]


def keeper(reference: Reference, groups: list[str]) -> Keep:
    """Which features of a communes file to read: the IDF_DEPS and the scope's communes (any vintage,
    or a code the reference folds into one of them)."""
    scope = {c for g in groups for v in GEO_VINTAGES for c in reference.group(g, v)}
    to_current = reference.to_current()

    def keep(props: dict[str, Any]) -> bool:
        if props.get("commune"):  # a municipal arrondissement of the national file (75101 …)
            return False
        code = props.get("code")
        if not isinstance(code, str):
            return True  # rejected with its file's name by read_communes
        return code[:2] in IDF_DEPS or code in scope or to_current.get(code) in scope

    return keep


def read_communes(files: dict[str, Path], keep: Keep) -> dict[str, tuple[BaseGeometry, Path]]:
    """Code of the file's edition → (polygon, file), for the communes of the scope."""
    out: dict[str, tuple[BaseGeometry, Path]] = {}
    for path in distinct_files(file_key(files, f"communes_{dep}") for dep in IDF_DEPS):
        for props, geom in read_features(path, keep):
            code = props.get("code")
            if not isinstance(code, str) or len(code) != 5:
                raise RawDataError(path, f"bad commune code {code!r}", field="code")
            if code in out:
                raise RawDataError(path, f"commune {code} appears twice", field="code")
            out[code] = (geom, path)
    return out
