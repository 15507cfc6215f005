"""Data downloads of every card, as CSV or XLSX (openpyxl), served at ``/telecharger/<card>.<fmt>``
with the card's URL parameters (``?indicateur=…&annee=…&lang=en``).

Files are written by ``callbacks.spreadsheet`` (integer years, values rounded as published,
unit words, formatted XLSX). Each card registers an ``Export`` builder (``@download("carte")``) that the card's callback uses
too, so that the file holds exactly the values shown. Every row carries the source credit, the
vintage and the licence; the XLSX also has a metadata sheet (title, source, licence, URL).
CSV: UTF-8 with BOM; French files use ``;`` and decimal commas (what French spreadsheets expect).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from flask import Blueprint, Response, abort, current_app, redirect, request
from sqlalchemy.exc import SQLAlchemyError

from callbacks import data, spreadsheet
from callbacks.state import build_query
from config.texts import by_name, text, words
from exports.routes import slug
from layouts.i18n import norm_lang
from layouts.ids import LEGACY_CARDS

log = logging.getLogger(__name__)
bp = Blueprint("exports", __name__)
FORMATS = ("csv", "xlsx")
#: card → language → its file name's words (``config/texts/downloads.yaml``, ``dlfile.*``)
FILE_STEMS = by_name("dlfile.")
META_COLS = {lang: (w["source"], w["vintage"], w["licence"]) for lang, w in words("dlcol.").items()}


@dataclass
class Export:
    """A card's data: the table (display column names, raw numbers) and its provenance."""

    frame: pd.DataFrame
    title: str
    source: str
    vintage: str
    licence: str
    source_ids: list[str] = field(default_factory=list)  # the sources actually read
    decimals: int | None = None  # of the values, when the table has no indicator column
    #: decimals of a column whatever its rows' indicator (values drawn per 1,000 inhabitants, index)
    column_decimals: dict[str, int] = field(default_factory=dict)

    def with_meta(self, lang: str) -> pd.DataFrame:
        """The table with the source, vintage and licence columns appended to every row (a table
        with such a column of its own, one value per row like the sources page's, keeps it)."""
        meta = dict(zip(META_COLS[lang], (self.source, self.vintage, self.licence), strict=True))
        return self.frame.assign(**{k: v for k, v in meta.items() if k not in self.frame.columns})


Builder = Callable[[dict[str, Any], str], Export]
View = Callable[[Export, str], Export]
BUILDERS: dict[str, Builder] = {}
#: card → what its chart draws from its export (``callbacks.drawn``): the files hold those values
VIEWS: dict[str, View] = {}


def download(name: str, view: View | None = None) -> Callable[[Builder], Builder]:
    """Register the ``Export`` builder of card ``name`` (params, lang) → Export; ``view`` turns it
    into the values the chart draws (per 1,000 inhabitants, index…) for the downloaded files."""

    def deco(fn: Builder) -> Builder:
        BUILDERS[name] = fn
        if view is not None:
            VIEWS[name] = view
        return fn

    return deco


def href(name: str, fmt: str, params: dict[str, Any], lang: str) -> str:
    """The download URL of a card's data."""
    return f"/telecharger/{name}.{fmt}" + build_query(params, lang)


def to_csv(export: Export, lang: str) -> bytes:
    """The CSV of an export (``callbacks.spreadsheet``: integer years, published decimals, words)."""
    return spreadsheet.to_csv(export, lang)


def to_xlsx(export: Export, lang: str) -> bytes:
    """The XLSX of an export: formatted data sheet and metadata sheet (``callbacks.spreadsheet``)."""
    return spreadsheet.to_xlsx(export, lang, request.url if request else "")


def file_name(name: str, fmt: str, lang: str) -> str:
    """``observatoire-<home>-<card>.csv`` in French, ``observatory-<home>-<card in English>.csv`` in
    English; the home is its short name's slug (« gosb », « plaine-commune »), never a fixed one."""
    stem = FILE_STEMS.get(name, {}).get(lang, name)
    return f"{slug(text('dlname.prefix', lang))}-{slug(data.home().short)}-{slug(stem)}.{fmt}"


def not_found() -> Response:
    """The app's friendly « page not found » (FR/EN, status 404), as for any unknown address: the
    app shell, whose router finds no page at this path."""
    index = current_app.view_functions.get("/<path:path>")
    if index is None:  # a bare Flask app (tests of the blueprint alone)
        abort(404)
    resp = current_app.make_response(index(path=request.path.lstrip("/")))
    resp.status_code = 404
    return resp


@bp.route("/telecharger/<name>.<fmt>")
def serve(name: str, fmt: str) -> Response:
    if name in LEGACY_CARDS and fmt in FORMATS:  # a former name, kept for published links
        return redirect(f"/telecharger/{LEGACY_CARDS[name]}.{fmt}" + query_of(request), code=301)
    if name not in BUILDERS or fmt not in FORMATS:
        return not_found()
    params = request.args.to_dict()
    lang = norm_lang(params.pop("lang", None))
    try:
        export = BUILDERS[name](params, lang)
        if name in VIEWS:
            export = VIEWS[name](export, lang)
    except (KeyError, ValueError, LookupError) as exc:
        log.info("download %s refused: %s", name, exc)
        return not_found()
    except SQLAlchemyError:
        log.exception("download %s: store unavailable", name)
        abort(503)
    filename = file_name(name, fmt, lang)
    if fmt == "csv":
        # content_type, not mimetype: Flask would add a second « ; charset=utf-8 » to a mimetype
        body, ctype = to_csv(export, lang), "text/csv; charset=utf-8"
    else:
        body, ctype = (
            to_xlsx(export, lang),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return Response(
        body, content_type=ctype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def query_of(req: Any) -> str:
    """The request's query string, ``?…`` or empty."""
    raw = req.query_string.decode("latin-1")
    return f"?{raw}" if raw else ""
