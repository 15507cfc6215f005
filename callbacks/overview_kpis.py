"""The overview's key figures (``/``, issue #11): one tile per headline indicator with the home's
latest value and trend and its reference areas' values (by default the MGP and its departments),
a partial sum marked « * » with its note, and the card's download (the same facts as a table).
The map and the ranking of the page are ``callbacks.overview``."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, html

from callbacks import cards, common, data
from callbacks.exports import Export, download
from callbacks.profile import previous_year
from callbacks.registration import callback
from callbacks.spreadsheet import STATUS_DETAIL
from figures import text
from indicators.catalogue import headlines
from indicators.formatting import fmt_comparator
from layouts.i18n import t
from layouts.ids import Card, ctx
from layouts.links import explain_link
from layouts.overview import PAGE

#: How many key figures the home page shows.
N_KPIS = 8


def kpis() -> tuple[str, ...]:
    """Key figures: the catalogue's headline indicators, in their declared order, that the home (a sum
    of communes) has a value for: the aggregable ones (medians are not published for territories)."""
    return tuple(i for i in headlines() if data.indicator(i).aggregable)[:N_KPIS]


@download(Card.OV_KPIS)
@data.cached
def kpi_export(params: dict[str, Any], lang: str) -> Export:
    """Key figures of the home and its reference areas (by default the MGP and its departments):
    for each area its latest value (an area may lack the latest vintage, e.g. Essonne for the 2022
    census) and the comparable earlier value the trend is measured from."""
    rows = []
    srcs: set[str] = set()
    shown: list[dict] = []  # indicator, year and files of each value shown: the source line
    areas = data.home().areas
    for ind_id in kpis():
        ind = data.indicator(ind_id)
        hist = data.series(ind_id, list(areas)).dropna(subset=["value"])
        for code in areas:
            mine = hist[hist["code"] == code].sort_values("year")
            if mine.empty:
                continue
            last = mine.iloc[-1]
            base = previous_year(ind, int(last["year"]))
            before = mine[mine["year"] == base]["value"]
            # the row's own provenance: the sources of its indicator at its years, not the table's
            mine_shown = [{"indicator": ind_id, "year": int(last["year"]), "sources": last["sources"]}]
            if len(before):
                old = mine.loc[mine["year"] == base, "sources"].iloc[0]
                mine_shown.append({"indicator": ind_id, "year": base, "sources": old})
            row_ids = {s for r in mine_shown for s in str(r["sources"]).split(",") if s}
            rows.append(
                {
                    "indicator": ind_id,
                    "label": data.label(ind, lang),
                    "code": code,
                    "name": data.name(code, lang),
                    "year": int(last["year"]),
                    "value": float(last["value"]),
                    "unit": ind.unit,
                    "base_year": base if len(before) else None,
                    "base_value": float(before.iloc[0]) if len(before) else None,
                    # how the value was obtained: a partial sum is marked on the tile and in the file
                    "status": last["status"],
                    **{k: last.get(k) for k in STATUS_DETAIL},
                    "source": data.credit(pd.DataFrame(mine_shown), lang),
                    "vintage": ", ".join(sorted({str(r["year"]) for r in mine_shown})),  # value, base
                    "licence": data.licences(sorted(row_ids)),
                }
            )
            srcs |= row_ids
            shown += mine_shown
    fr = lang == "fr"
    names = {
        **common.COLS[lang],
        "label": "libelle" if fr else "label",
        "base_year": "annee_reference" if fr else "base_year",
        "base_value": "valeur_reference" if fr else "base_value",
    }
    out = pd.DataFrame(rows, columns=list(rows[0]) if rows else list(names)).rename(columns=names)
    years = sorted({r["year"] for r in rows}) or [0]
    ids = sorted(s for s in srcs if s)
    vintage = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"
    return Export(out, t("ov.kpis", lang), data.credit(shown, lang), vintage, data.licences(ids), ids)


def kpi_tiles(export: Export, lang: str) -> html.Div:
    """One tile per key figure: the home's value and vintage, trend arrow, and the reference areas."""
    frame = common.frame_back(export, lang).rename(
        columns={"annee_reference": "base_year", "valeur_reference": "base_value"}
    )
    tiles = []
    for ind_id in kpis():
        ind = data.indicator(ind_id)
        m = data.measure(ind, lang, ())
        rec = {r["code"]: r for r in frame[frame["indicator"] == ind_id].to_dict("records")}
        gosb = rec.get(data.home().code)  # the home's record
        if gosb is None:
            continue
        trend: Any = ""
        tr = text.trend(gosb["value"], gosb["base_value"], gosb["base_year"] or 0, ind.decimals)
        if tr is not None:
            # « ↘ en baisse de 1,0 pour 1 000 depuis 2016 »: the word says the direction, not a sign too
            size = m.fmt_change(abs(tr.delta)).lstrip("+")
            words = t(f"kpi.trend_{tr.direction}", lang, year=int(gosb["base_year"]), delta=size)
            trend = html.Span(
                [
                    html.Span(tr.arrow, className="trend-arrow", **{"aria-hidden": "true"}),
                    f" {words}",
                ],
                className=f"kpi-trend trend-{tr.direction}",
            )
        refs = []
        partial = []  # places whose value sums part of their communes: « 670 643* » and a note
        for code in data.home().references:
            if code in rec:
                r = rec[code]
                shown = fmt_comparator(
                    r["value"],
                    ind.unit,
                    ind.decimals,
                    lang,
                    year=r["year"],
                    main_year=gosb["year"],
                    method=r.get("method") or None,
                    text=m.fmt(r["value"]) + ("*" if r.get("status") == "partial" else ""),
                )
                colon = " : " if lang == "fr" else ": "  # French puts a space before the colon
                refs.append(f"{'MGP' if code == 'MGP' else r['name']}{colon}{shown}")
                if r.get("status") == "partial":
                    partial.append(r)
        main = m.fmt(gosb["value"]) + ("*" if gosb.get("status") == "partial" else "")
        if gosb.get("status") == "partial":
            partial.insert(0, gosb)
        tiles.append(
            html.Div(
                [
                    html.Div(data.label(ind, lang), className="kpi-label"),
                    html.Div([main, html.Small(f" ({gosb['year']})")], className="kpi-value"),
                    html.Div(trend, className="small"),
                    html.Div(" · ".join(refs), className="kpi-refs small"),
                    *[partial_note(ind_id, r, lang) for r in partial],
                    # issue #15: where the home's figure comes from
                    explain_link(
                        ind_id, data.home().code, gosb["year"], lang, data.label(ind, lang), gosb["name"]
                    ),
                ],
                className="kpi-tile",
                role="group",
                **{"aria-label": data.label(ind, lang)},
            )
        )
    return html.Div(tiles, className="kpi-grid")


def partial_note(ind_id: str, rec: dict[str, Any], lang: str) -> html.Div:
    """« * MGP : estimation partielle, 124 communes sur 130 » and the link to its explanation: a
    value summed over part of a place's communes is marked as the fiche and the deck mark it."""
    ind = data.indicator(ind_id)
    name = "MGP" if rec["code"] == "MGP" else rec["name"]
    n, total = int(rec["n_covered"]), int(rec["n_members"])
    return html.Div(
        [
            t("kpi.partial", lang, name=name, n=n, total=total) + " ",
            explain_link(
                ind_id,
                rec["code"],
                rec["year"],
                lang,
                data.label(ind, lang),
                rec["name"],
                t("kpi.partial_link", lang),
            ),
        ],
        className="kpi-partial small",
    )


@callback(*cards.body_outputs(Card.OV_KPIS), Input(ctx(PAGE), "data"))
def update_kpis(context: dict) -> tuple:
    lang = context["lang"]
    export = kpi_export({}, lang)
    return cards.body_card(Card.OV_KPIS, kpi_tiles(export, lang), export, {}, lang)
