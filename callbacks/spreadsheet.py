"""Clean download tables (issue #9.11): what ``callbacks.exports`` writes as CSV and XLSX.

* years, months, ranks and counts of places are integers (« 2017 », never « 2017,0 »);
* values are rounded as published: the catalogue's ``decimals`` of each row's indicator
  (half up, like the pages), written with a decimal comma in French CSV;
* units and statuses are words in the file's language (« pour 1 000 », « partielle »), not codes;
* XLSX: a number format per value cell, a bold frozen header, column widths, and a metadata sheet
  (title, source, producer and dataset, vintage, licence, source pages, address, dates).

Columns are recognised by their display names (``callbacks.common.COLS`` and the card builders).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from callbacks import data
from indicators.credits import separator
from indicators.formatting import round_half_up
from layouts.i18n import t

if TYPE_CHECKING:
    from callbacks.exports import Export

#: Integer columns: vintages, months, ranks, counts of places.
INTEGER_COLS = {
    "annee",
    "year",
    "annee_precedente",
    "previous_year",
    "annee_reference",
    "base_year",
    "mois",
    "month",
    "rang",
    "rank",
    "rang_mgp",
    "mgp_rank",
    "rang_intercommunalite",  # the commune profile's rank outside the metropolis (issue #11)
    "home_rank",
    "communes_classees",
    "communes_ranked",
}
INDICATOR_COLS = ("indicateur", "indicator")
UNIT_COLS = ("unite", "unit")
STATUS_COLS = ("statut", "status")
#: A value's provenance (``indicators.aggregate``: ``method``, communes covered of its members),
#: carried by the exports only to word its status as the API states it (``status_word``).
STATUS_DETAIL = ("method", "n_covered", "n_members")
#: Text columns never rounded (codes stay text: « 01001 », « T6 »).
TEXT_COLS = {"code", "source", "millesime", "vintage", "licence"}


def _decimals(frame: pd.DataFrame, default: int | None) -> pd.Series:
    """Decimals of each row: its indicator's (catalogue), else ``default`` (else 1)."""
    col = next((c for c in INDICATOR_COLS if c in frame.columns), None)
    if col is None:
        return pd.Series(default if default is not None else 1, index=frame.index)

    def one(ind_id: Any) -> int:
        try:
            return data.indicator(str(ind_id)).decimals
        except KeyError:
            return default if default is not None else 1

    return frame[col].map(one)


def _word(kind: str, code: Any, lang: str) -> str:
    """The word for a unit or status code in ``lang`` (the code itself if it has none)."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    try:
        return t(f"{kind}.{code}", lang)
    except KeyError:
        return str(code)


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _published_as_is(ind_id: Any) -> bool:
    """Whether a commune's value is a figure of the file itself (one variable read as published),
    not a ratio or a sum the observatory computes from its published figures."""
    try:
        f = data.indicator(str(ind_id)).formula
    except KeyError:
        return True
    return f.kind == "value" or (f.kind == "count" and len(f.numerator) == 1 and not f.denominator)


def status_word(row: dict[str, Any], lang: str) -> str:
    """The status of a value in words, as the API states it (``status``, ``method``, ``n_covered``
    of ``n_members``): « publiée » only for a figure published as is (a commune's variable, or the
    value a producer publishes for the area); a territory's sum of communes is « calculée : somme
    des 24 communes », a partial one « partielle : 124 communes sur 130 »."""
    status, method = row.get("status"), row.get("method")
    n, total = _count(row.get("n_covered")), _count(row.get("n_members"))
    if status == "partial" and n is not None and total:
        return t("status.partial_n", lang, n=n, total=total)
    if status in ("ok", "suspect") and method == "sum" and n is not None:
        word = t("status.sum", lang, n=n)
        return word if status == "ok" else f"{_word('status', status, lang)}, {word}"
    if status == "ok" and method == "commune" and not _published_as_is(row.get("indicator")):
        return t("status.commune_computed", lang)
    return _word("status", status, lang)


def column_decimals(export: Export, col: str, decimals: pd.Series) -> pd.Series:
    """Decimals of each row of ``col``: the export's own for that column (values drawn per 1,000
    inhabitants or as an index), else each row's indicator's."""
    fixed = export.column_decimals.get(col)
    return decimals if fixed is None else pd.Series(fixed, index=decimals.index)


def value_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding indicator values: every non-empty value a number (integers and text aside)."""
    out = []
    for c in frame.columns:
        if c in INTEGER_COLS or c in TEXT_COLS:
            continue
        col = frame[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out.append(c)
        elif col.dtype == object and col.notna().any():
            filled = col.dropna()
            if all(isinstance(v, int | float) and not isinstance(v, bool) for v in filled):
                out.append(c)
    return out


def clean(export: Export, lang: str) -> tuple[pd.DataFrame, pd.Series]:
    """(table with source columns, decimals of each row): integers, rounded values, words for codes."""
    frame = export.with_meta(lang).copy()
    decimals = _decimals(frame, export.decimals)
    for col in frame.columns:
        if col in INTEGER_COLS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").round().astype("Int64")
        elif col in UNIT_COLS:
            frame[col] = frame[col].map(lambda u: _word("unit", u, lang))
        elif col in STATUS_COLS:
            ind_col = next((c for c in INDICATOR_COLS if c in frame.columns), None)
            frame[col] = [
                status_word(
                    {**{k: r.get(k) for k in STATUS_DETAIL}, "status": r[col], "indicator": r.get(ind_col)},
                    lang,
                )
                for r in frame.to_dict("records")
            ]
    frame = frame.drop(columns=[c for c in STATUS_DETAIL if c in frame.columns])
    for col in value_columns(frame):
        frame[col] = [
            None if pd.isna(v) else float(round_half_up(float(v), int(d)))
            for v, d in zip(frame[col], column_decimals(export, col, decimals), strict=True)
        ]
    return frame, decimals


def to_csv(export: Export, lang: str) -> bytes:
    """UTF-8 with BOM; French: ``;`` and decimal commas, values with their published decimals."""
    frame, decimals = clean(export, lang)
    comma = lang == "fr"
    for col in value_columns(frame):
        frame[col] = [
            "" if v is None or pd.isna(v) else _number(v, int(d), comma)
            for v, d in zip(frame[col], column_decimals(export, col, decimals), strict=True)
        ]
    sep = ";" if comma else ","
    text = frame.to_csv(index=False, sep=sep, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def _number(value: float, decimals: int, comma: bool) -> str:
    text = f"{round_half_up(value, decimals):f}"
    return text.replace(".", ",") if comma else text


def _excel_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def metadata(export: Export, lang: str, url: str) -> list[tuple[str, str]]:
    """The rows of the metadata sheet (a licence that could not be established is not stated)."""
    srcs = data.sources(export.source_ids)
    sep = separator(lang)  # « ; » with a space before it in French only
    producers = sep.join(dict.fromkeys(f"{s['producer']}, {s['dataset']}" for s in srcs))
    pages = sep.join(dict.fromkeys(s["page_url"] for s in srcs if s.get("page_url")))
    loaded = _loaded_on()
    rows = [
        (t("dl.title", lang), export.title),
        (t("dl.source", lang), export.source),
        (t("dl.producer", lang), producers),
        (t("dl.vintage", lang), export.vintage),
        (t("dl.licence", lang), export.licence),
        (t("dl.pages", lang), pages),
        (t("dl.url", lang), url),
        (t("dl.loaded", lang), loaded),
        (t("dl.downloaded", lang), date.today().isoformat()),
    ]
    return [(k, v) for k, v in rows if v]


def _loaded_on() -> str:
    when = data.loaded_at()
    return when.date().isoformat() if isinstance(when, datetime) else ""


def to_xlsx(export: Export, lang: str, url: str = "") -> bytes:
    """Data sheet (number formats, frozen bold header, widths) and metadata sheet."""
    frame, decimals = clean(export, lang)
    values = set(value_columns(frame))
    book = Workbook()
    sheet = book.active
    sheet.title = "donnees" if lang == "fr" else "data"
    sheet.append(list(frame.columns))
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = [None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in row]
        sheet.append([int(v) if isinstance(v, int) else v for v in cells])
        for j, col in enumerate(frame.columns, start=1):
            if col in values:
                places = export.column_decimals.get(col, int(decimals.iloc[i]))
                sheet.cell(row=i + 2, column=j).number_format = _excel_format(places)
            elif col in INTEGER_COLS:
                sheet.cell(row=i + 2, column=j).number_format = "0"
    _finish(sheet)
    meta = book.create_sheet("metadonnees" if lang == "fr" else "metadata")
    meta.append([t("dl.field", lang), t("dl.value", lang)])
    for row in metadata(export, lang, url):
        meta.append(list(row))
    _finish(meta)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _finish(sheet: Any) -> None:
    """Bold frozen header and column widths fitted to the content (10 to 60 characters)."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for j, column in enumerate(sheet.iter_cols(max_row=200), start=1):
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[get_column_letter(j)].width = min(60, max(10, width + 2))
