"""Read-only data API (Flask blueprint ``api``, mounted at ``/api/v1`` by ``register_api``).

* ``GET /api/v1/indicators[?theme=…]`` — the catalogue; ``GET /api/v1/indicators/<id>`` — one entry.
* ``GET /api/v1/territories[?level=…]`` — codes, names, levels and members (2025 map).
* ``GET /api/v1/values?indicator=ID&territory=CODE[,CODE…][&year=YYYY|all][&month=M][&format=csv]``
  — values with numerator, denominator, unit, status, coverage, source and vintage. A group of
  communes is ``territory=group:94054+94065+91479``. ``format=csv`` gives a CSV whose ``#`` header
  lines carry the source credits, licences, vintages and URLs; ``lang=en`` for English credits.
  For a ``change`` indicator, numerator and denominator are the sums at the year and the base year.
* ``GET /api/v1/explain?indicator=ID&territory=CODE[&year=YYYY][&format=csv|py]`` — « D'où vient ce
  chiffre ? »: member communes with numerator and denominator, formula filled in, status, source
  files with sha256, harmonisation, quality flags; ``csv``: the inputs; ``py``: a recompute script.
* ``GET /api/v1/ranking?indicator=ID[&level=ept|peers|home|mgp|departement][&year=…][&order=desc|asc]``
  — ranks with ties (1, 2, 2, 4), e.g. the 12 territories by jobs. ``home`` ranks the communes of
  the configured home territory (``observatoire.yaml``); ``peers`` the territories it is compared
  with (the 12 territories of the metropolis, or the EPCIs of its region for a home elsewhere); ``gosb``, its former name, is a deprecated
  alias kept for one release (the answer then carries a ``deprecation`` note and a
  ``Deprecation`` header).

Wiring (``app.py``)::

    from etl.config import default_database_url
    from etl.store.db import make_engine
    from indicators.api import register_api
    register_api(app.server, lambda: make_engine(default_database_url()))

Bad input gives HTTP 400 (malformed) or 404 (unknown indicator, territory or period) with a JSON
body ``{"error": {"status": …, "message": …, "parameter": …}}``; never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, default_exceptions

from indicators import explain, explain_text, recipe, service
from indicators.aggregate import PeriodError
from indicators.catalogue import Indicator, catalogue, credits, get_indicator, themes
from indicators.geo import TerritoryError
from indicators.serialise import clean, credit, csv_text, public_row, source_line
from indicators.vintages import resolve as resolve_vintages

API_PREFIX = "/api/v1"
EXTENSION = "observatoire_api"
META_KEYS = (
    "id",
    "label_fr",
    "label_en",
    "unit",
    "decimals",
    "polarity",
    "aggregable",
    "census",
    "notes_fr",
    "notes_en",
)
log = logging.getLogger(__name__)
api = Blueprint("api", __name__, url_prefix=API_PREFIX)


class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def register_api(server: Flask, engine_factory: Callable[[], sa.Engine]) -> None:
    """Mount the API on the Dash app's Flask server; the engine is created on first use.

    Routing errors (unknown path, wrong method) happen before any blueprint is chosen, so they
    are caught at the app level: JSON under ``/api/``, the app's previous behaviour elsewhere.
    """
    server.extensions[EXTENSION] = {"factory": engine_factory, "engine": None}
    server.register_blueprint(api)
    for code in (404, 405):
        previous = server.error_handler_spec.get(None, {}).get(code, {}).get(default_exceptions[code])
        server.register_error_handler(code, _routing_error(previous))


def _routing_error(previous: Callable | None) -> Callable:
    def handler(exc: HTTPException):
        if request.path.startswith(API_PREFIX + "/") or request.path == API_PREFIX:
            message = (
                (
                    f"unknown endpoint {request.path}; endpoints: {API_PREFIX}/indicators, "
                    f"{API_PREFIX}/territories, {API_PREFIX}/values, {API_PREFIX}/explain"
                )
                if exc.code == 404
                else exc.description
            )
            return _error(exc.code or 500, message)
        return previous(exc) if previous else exc

    return handler


def _engine() -> sa.Engine:
    state = current_app.extensions[EXTENSION]
    if state["engine"] is None:
        state["engine"] = state["factory"]()
    return state["engine"]


def _error(status: int, message: str, parameter: str | None = None) -> Response:
    body = {"status": status, "message": message}
    if parameter:
        body["parameter"] = parameter
    resp = jsonify(error=body)
    resp.status_code = status
    return resp


@api.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    return _error(exc.status, exc.message, exc.parameter)


@api.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return _error(exc.code or 500, exc.description or exc.name)


@api.errorhandler(Exception)
def _unexpected(exc: Exception) -> Response:
    log.exception("API error on %s", request.full_path)  # the traceback goes to the log, not the client
    return _error(500, "internal error")


def _indicator_arg() -> Indicator:
    indicator_id = request.args.get("indicator", "").strip()
    if not indicator_id:
        raise ApiError(400, f"missing parameter: indicator (see {API_PREFIX}/indicators)", "indicator")
    try:
        return get_indicator(indicator_id)
    except KeyError:
        raise ApiError(
            404, f"unknown indicator {indicator_id!r}; see {API_PREFIX}/indicators", "indicator"
        ) from None


def _arg_int(name: str, lo: int, hi: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not lo <= int(raw) <= hi:  # "²".isdigit() is True
        raise ApiError(400, f"{name} must be an integer between {lo} and {hi}, got {raw!r}", name)
    return int(raw)


def _described(ind: Indicator) -> dict[str, Any]:
    return {**ind.to_dict(), "credits_fr": credits(ind, "fr"), "credits_en": credits(ind, "en")}


@api.get("/indicators")
def list_indicators() -> Response:
    theme = request.args.get("theme")
    if theme is not None and theme not in themes():
        raise ApiError(404, f"unknown theme {theme!r}; themes: {', '.join(themes())}", "theme")
    engine = _engine()  # vintages read from the store (indicators.vintages), not from the YAML
    items = [
        _described(resolve_vintages(engine, i))
        for i in catalogue().values()
        if theme is None or i.theme == theme
    ]
    theme_list = [
        {
            "id": t.id,
            "label_fr": t.label_fr,
            "label_en": t.label_en,
            "limits_fr": t.limits_fr,
            "limits_en": t.limits_en,
            "indicators": list(t.indicators),
        }
        for t in themes().values()
    ]
    return jsonify(count=len(items), themes=theme_list, indicators=items)


@api.get("/indicators/<indicator_id>")
def one_indicator(indicator_id: str) -> Response:
    try:
        ind = resolve_vintages(_engine(), get_indicator(indicator_id))
    except KeyError:
        raise ApiError(
            404, f"unknown indicator {indicator_id!r}; see {API_PREFIX}/indicators", "indicator"
        ) from None
    body = _described(ind)
    body["source_details"] = service.sources(_engine(), ind.sources)
    return jsonify(body)


@api.get("/territories")
def list_territories() -> Response:
    terr = service.territories(_engine())
    level = request.args.get("level")
    levels = sorted(set(terr.levels.values()))
    if level is not None and level not in levels:
        raise ApiError(404, f"unknown level {level!r}; levels: {', '.join(levels)}", "level")
    items = [
        {"code": c, "name": terr.names[c], "level": lv, "members": list(terr.members.get(c, ())) or None}
        for c, lv in terr.levels.items()
        if level is None or lv == level
    ]
    return jsonify(count=len(items), geo_vintage=2025, territories=items)


@api.get("/values")
def get_values() -> Response:
    args = request.args
    ind = _indicator_arg()
    territory, fmt, lang = args.get("territory", ""), args.get("format", "json"), args.get("lang", "fr")
    if not territory.strip():
        raise ApiError(
            400, "missing parameter: territory (e.g. 94081, HOME, MGP, group:94054+94065)", "territory"
        )
    if fmt not in ("json", "csv"):
        raise ApiError(400, f"format must be json or csv, got {fmt!r}", "format")
    if lang not in ("fr", "en"):
        raise ApiError(400, f"lang must be fr or en, got {lang!r}", "lang")
    engine = _engine()
    try:
        if args.get("year") == "all":
            rows = service.series_rows(engine, ind.id, territory)
        else:
            year, month = _arg_int("year", 1900, 2100), _arg_int("month", 0, 12)
            rows = service.value_rows(engine, ind.id, territory, year, month)
    except TerritoryError as exc:
        raise ApiError(404 if exc.unknown else 400, str(exc), "territory") from None
    except PeriodError as exc:
        raise ApiError(404, str(exc), "year") from None
    rows = [public_row(row, ind, lang) for row in rows]
    used = sorted({s for row in rows for s in (row["sources"] or "").split(",") if s})
    used_sources = service.sources(engine, used)
    if fmt == "csv":
        resp = Response(csv_text(ind, rows, used_sources, lang, request.url), mimetype="text/csv")
        resp.headers["Content-Disposition"] = f'attachment; filename="{ind.id}.csv"'
        return resp
    meta = {k: v for k, v in ind.to_dict().items() if k in META_KEYS}
    line = source_line(ind, rows, used_sources, lang)  # issue #9.10: the line charts print
    resp = jsonify(
        indicator=meta,
        count=len(rows),
        values=rows,
        source_line=line,
        sources=[credit(s) for s in used_sources],
    )
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@api.get("/explain")
def get_explain() -> Response:
    """``?indicator=ID&territory=CODE[&year=YYYY][&month=M][&format=json|csv|py][&lang=fr|en]``: the
    inputs and the arithmetic of one value (``indicators.explain``); ``csv`` gives the member rows
    with the ``#`` metadata header, ``py`` the pandas script that recomputes the value."""
    args = request.args
    ind = _indicator_arg()
    territory, fmt, lang = args.get("territory", ""), args.get("format", "json"), args.get("lang", "fr")
    if not territory.strip():
        raise ApiError(
            400, "missing parameter: territory (e.g. 94081, HOME, MGP, group:94054+94065)", "territory"
        )
    if fmt not in ("json", "csv", "py"):
        raise ApiError(400, f"format must be json, csv or py, got {fmt!r}", "format")
    if lang not in ("fr", "en"):
        raise ApiError(400, f"lang must be fr or en, got {lang!r}", "lang")
    year, month = _arg_int("year", 1900, 2100), _arg_int("month", 0, 12)
    try:
        body = explain.explain(_engine(), ind.id, territory, year, month)
    except TerritoryError as exc:
        raise ApiError(404 if exc.unknown else 400, str(exc), "territory") from None
    except PeriodError as exc:
        raise ApiError(404, str(exc), "year") from None
    name = f"{ind.id}-{body['territory']['code'].replace(':', '-').replace('+', '-')[:80]}-{body['year']}"
    if fmt == "csv":
        resp = Response(explain_text.inputs_csv(body, lang, request.url), mimetype="text/csv")
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return resp
    if fmt == "py":
        code = recipe.script(body)
        if code is None:
            raise ApiError(404, body["script"][f"reason_{lang}"], "format")
        resp = Response(code, mimetype="text/x-python")
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.py"'
        return resp
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@api.get("/ranking")
def get_ranking() -> Response:
    """``?indicator=ID[&level=home|mgp|ept|peers|departement][&year=YYYY][&month=M][&order=desc|asc]``."""
    args = request.args
    ind = _indicator_arg()
    level, order = args.get("level", "ept"), args.get("order", "desc")
    deprecated = level in service.LEVEL_ALIASES
    level = service.LEVEL_ALIASES.get(level, level)
    if level not in service.RANKING_LEVELS:
        raise ApiError(400, f"level must be one of {', '.join(service.RANKING_LEVELS)}", "level")
    if order not in ("desc", "asc"):
        raise ApiError(400, "order must be desc (rank 1 = highest value) or asc", "order")
    try:
        frame = service.ranking(
            _engine(),
            ind.id,
            _arg_int("year", 1900, 2100),
            level,
            _arg_int("month", 0, 12),
            descending=order == "desc",
        )
    except PeriodError as exc:
        raise ApiError(404, str(exc), "year") from None
    keys = (
        "rank",
        "code",
        "name",
        "level",
        "year",
        "month",
        "value",
        "status",
        "n_covered",
        "n_members",
        "reason",
    )
    rows = [{k: clean(row[k]) for k in keys} for row in frame.to_dict(orient="records")]
    extra = {"deprecation": "level=gosb is deprecated: use level=home (removed in the next release)"}
    resp = jsonify(
        indicator=ind.id,
        level=level,
        order=order,
        polarity=ind.polarity,
        ties="min",
        n_ranked=int(frame["n_ranked"].iloc[0]) if len(frame) else 0,
        ranking=rows,
        **(extra if deprecated else {}),
    )
    if deprecated:
        resp.headers["Deprecation"] = "true"
    return resp
