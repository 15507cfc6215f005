"""Map shapes served by the app itself (no CDN, no tile server): GeoJSON routes built from the
geometries of the data provider (``indicators.query.Store.geometries``), kept in the data cache
per data version (``callbacks.data.memoised``), with ETag and browser caching.

* ``/geo/communes-T6.geojson``, ``/geo/communes-MGP.geojson``: the communes of a group (the home
  territory of ``observatoire.yaml`` included, even outside the metropolis);
* ``/geo/outlines-ept.geojson``: the 12 territories; ``/geo/outlines-T6.geojson``: one alone;
  ``/geo/outlines-peers.geojson``: the home's peers (the 12 territories, or the EPCIs of its region).
A home outside Île-de-France has no shapes in the store (IGN files of the six departments only):
its layers are empty and the maps say so.

Features carry the territory code as ``id`` (what ``go.Choropleth(locations=…)`` matches).
Coordinates are rounded to 4 decimals (about 10 m), enough for these map sizes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import dash
import sqlalchemy as sa
from flask import Blueprint, Response, abort, request

from callbacks import data
from callbacks.engine import get_engine
from indicators.query import store

DECIMALS = 4
GROUPS = ("MGP", *(f"T{i}" for i in range(1, 13)), *(f"D{d}" for d in data.IDF_DEPS))
bp = Blueprint("geo", __name__)


def _round(coords: Any) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
        return [round(float(c), DECIMALS) for c in coords]
    return [_round(c) for c in coords]


def _shapes(codes: list[str]) -> dict[str, dict[str, Any]]:
    shapes = store(get_engine()).geometries(codes)
    return {c: {"type": g["type"], "coordinates": _round(g["coordinates"])} for c, g in shapes.items()}


def centroids(codes: list[str]) -> dict[str, tuple[float, float]]:
    """(lon, lat) label points of ``codes``."""
    return store(get_engine()).centroids(codes)


def layer_codes(name: str) -> list[str]:
    """Codes of a named layer (``communes-T6``, ``communes-MGP``, ``outlines-ept``, ``outlines-peers``,
    ``outlines-T6``)."""
    kind, _, group = name.partition("-")
    home = data.home()
    # the home and its reference areas too (a department or region outside Île-de-France, issue #11)
    known = group in GROUPS or group in {home.code, *home.references, *home.departments}
    if kind == "communes" and known:
        return data.members(group)
    if name == "outlines-ept":
        return [f"T{i}" for i in range(1, 13)]
    if name == "outlines-peers":  # the home's peers: the 12 territories, or the EPCIs of its region
        return data.peers()
    if kind == "outlines" and known:
        return [group]
    raise KeyError(name)


def _layer(name: str) -> tuple[bytes, str]:
    codes = layer_codes(name)
    shapes = _shapes(codes)
    names = data.territories().names
    features = [
        {
            "type": "Feature",
            "id": c,
            "properties": {"code": c, "name": names.get(c, c)},
            "geometry": shapes[c],
        }
        for c in codes
        if c in shapes
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


def feature_collection(name: str) -> tuple[bytes, str]:
    """The GeoJSON bytes of a layer and their ETag (the data cache, per data version)."""
    return data.memoised(("geo-layer", name), lambda: _layer(name))


def shapes(name: str) -> dict[str, Any]:
    """The parsed GeoJSON of a layer (what map labels are fitted against), per data version."""
    return data.memoised(("geo-shapes", name), lambda: json.loads(feature_collection(name)[0]))


def url(name: str) -> str:
    """URL of a layer, relative to the app's base path (what the figures put in ``geojson``)."""
    path = f"/geo/{name}.geojson"
    try:
        return dash.get_relative_path(path)
    except Exception:  # noqa: BLE001 - outside a running app (unit tests)
        return path


@bp.route("/geo/<name>.geojson")
def serve(name: str) -> Response:
    try:
        body, etag = feature_collection(name)
    except KeyError:
        abort(404)
    except sa.exc.SQLAlchemyError:
        logging.getLogger(__name__).exception("map shapes %s: store unavailable", name)
        abort(503)
    if request.if_none_match and etag in request.if_none_match:
        return Response(status=304)
    resp = Response(body, mimetype="application/geo+json")
    resp.set_etag(etag)
    resp.cache_control.public = True
    resp.cache_control.max_age = 3600
    return resp
