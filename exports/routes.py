"""Stable download links (a Flask blueprint): re-generated from the store on every data update.

* ``/export/commune/<code>.pdf``: the commune profile (two A4 pages);
* ``/export/territoire/<code>.pdf``: the territory profile (an EPT ``T1``…``T12``, ``HOME``, ``MGP``
  or ``group:94054+94065``; the same two pages, compared with the MGP and its departments);
* ``/export/presentation.pptx?territoire=…&indicateurs=a,b`` (or ``theme=emploi``): the deck;
* ``/export/presentation.pdf?…``: the same deck as a PDF;
* ``/export/chart/<indicator>.png|svg?territoires=94081[,T6,MGP…]&annee=2022``: one chart at
  presentation resolution (1920 × 1080). With one territory, the slide's chart (its peers and
  references); with several, exactly those places, the first highlighted;
* ``/export/vue/<card>.png|svg?…``: a page's chart or map as drawn there (``exports.views``).

Errors never show a traceback: 400 (malformed query), 404 (unknown commune, indicator,
territory or year), 503 (no browser for PNG/SVG), 500 (logged); as JSON, or as a short HTML
page when the client asks for HTML (a link clicked in a browser). Files are cached per data
version and request; the ETag changes when the data do.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify, request

import config
from exports import data
from exports.attribution import source_line
from exports.charts import chart_spec
from exports.deck_choices import ChoiceError, parse_choices
from exports.fiche import fiche_pdf
from exports.pdf import deck_pdf
from exports.pptx import deck_pptx
from exports.profile import TERRITORY_LEVELS, profile
from exports.queue import CACHE_SIZE, ExportCache, request_key
from exports.render import RenderBusy, RenderError, render_chart
from exports.views import view_image
from indicators.aggregate import PeriodError
from indicators.geo import TerritoryError, parse_territories
from indicators.query import store
from layouts.i18n import norm_lang, t

log = logging.getLogger(__name__)
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: Query parameters each export reads: only they make up its cache key (issue #13).
CHART_PARAMS = ("territoires", "territoire", "annee")
DECK_PARAMS = ("territoire", "theme", "indicateurs", "slide", "lang")
FICHE_PARAMS = ("lang",)


def _fiche_kind() -> str:
    """The fiche's cache kind: it prints the app's address (its permanent link), so a file built
    for one host is never served to another."""
    return "fiche " + _root()


def _root() -> str:
    """Where printed links point: the configured public address, else this request's host."""
    return config.public_root(request.url_root)


def _lang() -> str:
    return norm_lang(request.args.get("lang"))


class ExportError(Exception):
    """An error for the user, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def slug(text: str) -> str:
    """ASCII file-name part: « L'Haÿ-les-Roses » → « l-hay-les-roses »."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"


def _error_response(status: int, message: str) -> Response:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    if (
        best == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]
    ):
        return Response(error_page(message), status=status, mimetype="text/html")
    resp = jsonify({"error": message, "status": status})
    resp.status_code = status
    return resp


def error_page(message: str) -> str:
    """A short HTML page in the app's style and the URL's language (``?lang=en``): what went
    wrong and where to go (a link clicked in a browser never shows raw JSON)."""
    lang = _lang()
    q = "?lang=en" if lang == "en" else ""
    title = html.escape(t("err.export_title", lang))
    links = " · ".join(
        f"<a href='{href}{q}'>{html.escape(t(key, lang))}</a>"
        for href, key in (("/presentation", "nav.presentation"), ("/", "nav.overview"))
    )
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title} · {html.escape(t('app.short', lang))}</title>"
        "<link rel='stylesheet' href='/assets/00-bootstrap.min.css'><link rel='stylesheet' href='/assets/app.css'>"
        f"</head><body><main class='container py-4' style='max-width:42rem'><h1 class='h3'>{title}</h1>"
        f"<p role='alert'>{html.escape(t('err.export', lang, message=message))}</p>"
        f"<p>{html.escape(t('err.links', lang))} {links}</p></main></body></html>"
    )


def _file(body: bytes, fmt: str, filename: str, etag: str, inline: bool) -> Response:
    resp = Response(body, mimetype=MIME[fmt])
    ascii_name = slug(filename.rsplit(".", 1)[0]) + "." + fmt
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{ascii_name}"'
    resp.set_etag(etag)
    resp.cache_control.no_cache = True  # revalidate: the data may have been reloaded since
    return resp


def create_blueprint(engine: sa.Engine | Callable[[], sa.Engine], name: str = "deck_exports") -> Blueprint:
    """The ``/export/…`` routes on ``engine`` (an engine, or a function returning the app's engine)."""
    bp = Blueprint(name, __name__)
    cache = bp.export_cache = ExportCache(CACHE_SIZE)  # normalised keys, single flight (issue #13)

    def get_engine() -> sa.Engine:
        return engine() if callable(engine) else engine

    def cached(
        kind: str, build: Callable[[sa.Engine], tuple[bytes, str]], params: tuple[str, ...] | None
    ) -> tuple[bytes, str, str]:
        eng = get_engine()
        version = store(eng).version()
        key = request_key(kind, request.path, request.args, params, version)
        etag = hashlib.sha256(repr(key).encode()).hexdigest()[:20]
        # behind this process's single flight, the data cache (issue #12): a file built by one
        # worker is served by all (Redis), and a new load changes the key everywhere at once
        hit = cache.get_or_build(
            key, lambda: store(eng).cached_at(version, ("export", *key), lambda: build(eng))
        )
        return hit[0], hit[1], etag

    def serve(
        kind: str,
        fmt: str,
        build: Callable[[sa.Engine], tuple[bytes, str]],
        inline: bool,
        params: tuple[str, ...] | None = None,
    ) -> Response:
        """``params``: the query parameters the export reads (the others do not change the cache key)."""
        try:
            body, filename, etag = cached(kind, build, params)
        except RenderBusy as exc:  # the render queue is full: come back shortly
            resp = _error_response(429, str(exc))
            resp.headers["Retry-After"] = str(exc.retry_after)
            return resp
        except ExportError as exc:
            return _error_response(exc.status, exc.message)
        except ChoiceError as exc:
            return _error_response(404 if exc.unknown else 400, str(exc))
        except TerritoryError as exc:
            return _error_response(404 if exc.unknown else 400, str(exc))
        except KeyError as exc:
            return _error_response(
                404, t("err.export_unknown", _lang(), value=exc.args[0] if exc.args else "?")
            )
        except PeriodError as exc:
            return _error_response(404, t("err.export_period", _lang(), detail=exc))
        except RenderError as exc:
            return _error_response(503, str(exc))
        except Exception:  # noqa: BLE001 - logged; the user gets a message, never a traceback
            log.exception("export %s failed for %s", kind, request.full_path)
            return _error_response(500, t("err.export_failed", _lang()))
        if request.if_none_match and etag in request.if_none_match:
            return Response(status=304)
        return _file(body, fmt, filename, etag, inline)

    @bp.route("/export/commune/<code>.pdf")
    def commune_pdf(code: str) -> Response:
        lang, root = _lang(), _root()

        def build(eng: sa.Engine) -> tuple[bytes, str]:
            p = profile(eng, code, lang=lang, base_url=root)
            return fiche_pdf(p), f"{t('fiche.file', lang)}-{p.place.code}-{p.name}.pdf"

        return serve(_fiche_kind(), "pdf", build, inline=True, params=FICHE_PARAMS)

    @bp.route("/export/territoire/<code>.pdf")
    def territory_pdf(code: str) -> Response:
        lang, root = _lang(), _root()

        def build(eng: sa.Engine) -> tuple[bytes, str]:
            try:
                p = profile(eng, code, TERRITORY_LEVELS, lang, root)
            except ChoiceError as exc:  # a path naming no territory (« T99 » too) is not found
                raise ChoiceError(str(exc), unknown=True) from None
            return fiche_pdf(p), f"{t('fiche.file', lang)}-{p.place.code}-{p.name}.pdf"

        return serve(_fiche_kind(), "pdf", build, inline=True, params=FICHE_PARAMS)

    def deck_build(fmt: str) -> Callable[[sa.Engine], tuple[bytes, str]]:
        args, root = request.args.to_dict(), _root()  # links in the files are absolute

        def build(eng: sa.Engine) -> tuple[bytes, str]:
            deck = data.deck(eng, parse_choices(args), base_url=root)
            body = deck_pptx(deck) if fmt == "pptx" else deck_pdf(deck)
            return body, f"presentation-{deck.title}.{fmt}"

        return build

    @bp.route("/export/presentation.pptx")
    def presentation_pptx() -> Response:
        return serve("deck " + _root(), "pptx", deck_build("pptx"), inline=False, params=DECK_PARAMS)

    @bp.route("/export/presentation.pdf")
    def presentation_pdf() -> Response:
        return serve("deck " + _root(), "pdf", deck_build("pdf"), inline=True, params=DECK_PARAMS)

    @bp.route("/export/chart/<indicator_id>.<fmt>")
    def chart(indicator_id: str, fmt: str) -> Response:
        if fmt not in ("png", "svg"):
            return _error_response(404, t("err.export_format", _lang(), value=fmt))

        def build(eng: sa.Engine) -> tuple[bytes, str]:
            facts = _chart_facts(eng, indicator_id, request.args.to_dict())
            spec = chart_spec(facts, source_line([facts]))
            name = f"{indicator_id}-{facts.focus.place.name}-{facts.year}.{fmt}"
            return render_chart(spec, fmt), name

        return serve("chart", fmt, build, inline=True, params=CHART_PARAMS)

    @bp.route("/export/vue/<card>.<fmt>")
    def view(card: str, fmt: str) -> Response:
        """A page's chart or map as an image, with title, legend and source (``exports.views``)."""
        if fmt not in ("png", "svg"):
            return _error_response(404, t("err.export_format", _lang(), value=fmt))
        args = request.args.to_dict()
        return serve("view", fmt, lambda eng: view_image(card, args, fmt), inline=False)

    return bp


def _chart_facts(eng: sa.Engine, indicator_id: str, args: dict[str, Any]):
    """Facts of the chart route: one territory → the slide's chart; several → those places."""
    raw = str(args.get("territoires") or args.get("territoire") or "").strip()
    if not raw:
        raise ExportError(400, t("err.export_territories", _lang()))
    codes = [ref.code for ref in parse_territories(raw)]
    year_text = str(args.get("annee") or "").strip()
    if year_text and not (year_text.isascii() and year_text.isdigit()):  # "²".isdigit() is True
        raise ExportError(400, t("err.export_year", _lang(), value=year_text))
    year = int(year_text) if year_text else None
    focus = data.place(eng, codes[0])
    if len(codes) == 1:
        return data.gather(eng, focus, indicator_id, year=year)
    others = [data.place(eng, c) for c in codes[1:]]
    refs = [p for p in others if p.code == "MGP" or p.is_home]
    return data.gather(
        eng, focus, indicator_id, refs, year=year, peer_codes=[p.code for p in others if p not in refs]
    )
