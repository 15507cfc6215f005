"""Serialisation of indicator values (pure): JSON-safe rows and CSV with a credits header.

Used by the API and meant for the exports: every CSV carries, in ``#`` lines, the indicator's
label and definition, its one source line (``indicators.credits``: the datasets it reads, the
years, the files, the licence) and, for each file read, its title, vintage, licence and URL.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from indicators.catalogue import Indicator
from indicators.credits import credit_line_of, rows_uses
from indicators.formatting import fmt_value

CSV_COLUMNS = [
    "code",
    "name",
    "level",
    "year",
    "month",
    "value",
    "numerator",
    "denominator",
    "denominator_year",
    "unit",
    "status",
    "method",
    "n_covered",
    "n_members",
    "reason",
    "sources",
]


def clean(value: Any) -> Any:
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if value != value:  # pandas NA/NaT
            return None
    except TypeError:  # pd.NA raises on bool()
        return None
    return value


def public_row(row: dict[str, Any], ind: Indicator, lang: str) -> dict[str, Any]:
    """JSON-safe row: NaN -> null, years as integers, plus the value formatted for display."""
    out = {k: clean(v) for k, v in row.items() if k != "indicator"}
    if out["denominator_year"] is not None:
        out["denominator_year"] = int(out["denominator_year"])
    out["formatted"] = fmt_value(out["value"], ind.unit, ind.decimals, lang, plain=True, status=out["status"])
    return out


def credit(src: dict[str, Any]) -> dict[str, Any]:
    """The public fields of a ``source`` row (credit lines, licence, vintage, URL)."""
    keys = (
        "id",
        "producer",
        "dataset",
        "vintage",
        "licence",
        "licence_url",
        "page_url",
        "credit_fr",
        "credit_en",
    )
    return {k: src.get(k) for k in keys}


def source_line(ind: Indicator, rows: list[dict[str, Any]], sources: list[dict[str, Any]], lang: str) -> str:
    """The one source line of these rows (issue #9.10, ``indicators.credits``), the same as the app's
    charts and downloads: the datasets ``ind`` reads, the years, the files, the licence."""
    licences = {str(s.get("id")): s.get("licence") or "" for s in sources}
    return credit_line_of(rows_uses(rows, ind), lang, licences)


def csv_text(
    ind: Indicator, rows: list[dict[str, Any]], sources: list[dict[str, Any]], lang: str, url: str
) -> str:
    """CSV of value rows with ``#`` metadata lines: label, definition, credits, licences, vintages, URLs."""
    out = io.StringIO()
    out.write(f"# {ind.label_fr if lang == 'fr' else ind.label_en} ({ind.id})\n")
    out.write(f"# {ind.definition_fr if lang == 'fr' else ind.definition_en}\n")
    line = source_line(ind, rows, sources, lang)
    if line:
        out.write(f"# {line}\n")
    for src in sources:  # the files read: title, vintage, licence and page (their full credit: /sources)
        title = src.get("title_fr" if lang == "fr" else "title_en") or src.get("id")
        # A source whose licence could not be established states none (never a working note).
        licence = (
            f" | licence: {src.get('licence')} {src.get('licence_url') or ''}" if src.get("licence") else ""
        )
        out.write(f"# {title} | vintage: {src.get('vintage')}{licence} | {src.get('page_url') or ''}\n")
    out.write(f"# API: {url}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    return out.getvalue()
