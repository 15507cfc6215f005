"""Sources and provenance (``/sources``): every raw file loaded, with its source, vintage, licence,
load date and checksum, read through the data provider (``indicators.provenance``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, html

import indicators as ind_api
from callbacks import cards, data
from callbacks.engine import get_engine
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from config.texts import by_name
from config.texts import words as words_of
from indicators.credits import separator
from indicators.datasets import source_vintage
from layouts import sources as view
from layouts.components import table
from layouts.i18n import t
from layouts.ids import Card, ctx

PAGE = view.PAGE


def build(req: Request) -> PageResult:
    return PageResult(view.layout(req.lang), t("src.title", req.lang))


register(Page(key=PAGE, path="/sources", build=build, nav="nav.sources", order=60))


def provenance() -> pd.DataFrame:
    """One row per raw file: source, producer, vintage, licence, path, size, rows, sha256, loaded_at."""
    return ind_api.provenance(get_engine())


def vintages(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each file's vintage in ``lang`` (``indicators.datasets.source_vintage``: English words from
    ``vintage_en`` of the source's declaration)."""
    return [source_vintage(sid, lang, v) for sid, v in zip(frame["id"], frame["vintage"], strict=True)]


def short_producers(producers: Any) -> list[str]:
    """« Insee, DGCL (publié par Etalab) », « SDES (ministère …) » → Insee, DGCL, SDES: each
    producer once, without the notes in brackets (they stay in the table)."""
    names = (part.split(" (")[0].strip() for p in producers if p for part in str(p).split(", "))
    return list(dict.fromkeys(n for n in names if n))


@download(Card.SOURCES)
def sources_export(params: dict[str, Any], lang: str) -> Export:
    frame = provenance()
    words = {k: w[lang] for k, w in by_name("srccol.").items()}
    meta = {lang_: (w["vintage"], w["licence"]) for lang_, w in words_of("dlcol.").items()}[lang]
    cols = {
        "id": "id",
        "title_en" if lang == "en" else "title_fr": words["title"],
        "producer": words["producer"],
        "vintage": meta[0],
        "licence": meta[1],
        **{c: words[c] for c in ("path", "url", "size", "rows", "sha256", "origin", "loaded_at")},
    }
    out = frame[list(cols)].copy() if len(frame) else pd.DataFrame(columns=list(cols))
    if len(out):
        out["vintage"] = vintages(frame, lang)
        out["loaded_at"] = out["loaded_at"].astype(str)
    out = out.rename(columns=cols)
    # the footer names the producers once; each row carries its own vintage and licence
    producers = ", ".join(short_producers(frame.get("producer", ())))
    licences = separator(lang).join(dict.fromkeys(lic for lic in frame.get("licence", ()) if lic))
    source = t("src.producers", lang, producers=producers) if producers else t("src.title", lang)
    integers = {words["size"]: 0, words["rows"]: 0}
    return Export(out, t("src.title", lang), source, "", licences, column_decimals=integers)


def files_table(frame: pd.DataFrame, lang: str) -> html.Div:
    header = [
        t("src.file", lang),
        t("col.source", lang),
        t("src.vintage", lang),
        t("col.licence", lang),
        t("src.loaded", lang),
        t("src.size", lang),
        t("src.rows", lang),
        t("src.sha", lang),
    ]
    rows = []
    for r in frame.to_dict("records"):
        title = r["title_en"] if lang == "en" else r["title_fr"]
        src: Any = html.A(title, href=r["page_url"]) if r.get("page_url") else title
        # a licence not established is said so, never an empty link (axe: link-name)
        lic: Any = t("src.licence_none", lang)
        if r.get("licence"):
            lic = html.A(r["licence"], href=r["licence_url"]) if r.get("licence_url") else r["licence"]
        size = f"{r['size'] / 1e6:.1f} Mo" if lang == "fr" else f"{r['size'] / 1e6:.1f} MB"
        size = size.replace(".", ",") if lang == "fr" else size
        loaded = pd.Timestamp(r["loaded_at"]).strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")
        n_rows = (
            ""
            if pd.isna(r["rows"])
            else f"{int(r['rows']):,}".replace(",", "\u00a0" if lang == "fr" else ",")
        )
        sha = html.Code(r["sha256"][:12] + "…", title=r["sha256"])
        vintage = source_vintage(r["id"], lang, r["vintage"])  # English words on English pages
        rows.append([html.Code(r["path"]), src, vintage, lic, loaded, size, n_rows, sha])
    return html.Div(table(header, rows, t("src.files", lang)), className="table-responsive")


@callback(*cards.body_outputs(Card.SOURCES), Input(ctx(PAGE), "data"))
def update_sources(context: dict) -> tuple:
    return sources_output(context["lang"])


@data.cached
def sources_output(lang: str) -> tuple:
    export = sources_export({}, lang)
    return cards.body_card(Card.SOURCES, files_table(provenance(), lang), export, {}, lang)
