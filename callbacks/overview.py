"""Territory overview (``/``): key figures of the home territory (``observatoire.yaml``) with trends,
its map and the 12 territories ranked."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, html

from callbacks import cards, common, data, geo, nomap, officer_notes
from callbacks.exports import Export, download
from callbacks.profile import previous_year
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from callbacks.spreadsheet import STATUS_DETAIL
from callbacks.state import normalise_year
from figures import charts, maps, text
from indicators.catalogue import headlines
from indicators.formatting import fmt_comparator
from layouts import overview as view
from layouts.i18n import ordinal, t
from layouts.ids import Card, ctx, param
from layouts.links import explain_link

PAGE = view.PAGE
#: How many key figures the home page shows.
N_KPIS = 8


def kpis() -> tuple[str, ...]:
    """Key figures: the catalogue's headline indicators, in their declared order, that the home (a sum
    of communes) has a value for: the aggregable ones (medians are not published for territories)."""
    return tuple(i for i in headlines() if data.indicator(i).aggregable)[:N_KPIS]


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(state, defaults, path args) of the page's URL; ``PageError`` for unknown values."""
    _, state, defaults = common.indicator_year_state(req)
    return state, defaults, {}


def build(req: Request) -> PageResult:
    state, defaults, _ = page_state(req)
    ind_opts, year_opts = common.options(data.indicator(state["indicateur"]), req.lang)
    return PageResult(view.layout(req.lang, ind_opts, year_opts, state, defaults), t("ov.title", req.lang))


register(
    Page(
        key=PAGE,
        path="/",
        build=build,
        nav="nav.overview",
        order=10,
        normalise=normalise_year,
        check=page_state,
    )
)


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
                }
            )
            srcs |= set(str(last["sources"]).split(","))
            shown.append({"indicator": ind_id, "year": int(last["year"]), "sources": last["sources"]})
            if len(before):
                old = mine.loc[mine["year"] == base, "sources"].iloc[0]
                shown.append({"indicator": ind_id, "year": base, "sources": old})
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
    vintage = f"{years[0]}-{years[-1]}"
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


@download(Card.OV_MAP)
def map_export(params: dict[str, Any], lang: str) -> Export:
    ind = data.indicator(params.get("indicateur") or data.DEFAULT_INDICATOR)
    year = common.safe_year(ind, params.get("annee"))
    frame = data.ranking(ind.id, year, "home")
    title = common.full_title(ind, lang, t("ov.map", lang, year=year))
    return common.values_export(frame, ind, lang, title, extra=("rank",))


@download(Card.OV_RANK)
def rank_export(params: dict[str, Any], lang: str) -> Export:
    ind = data.indicator(params.get("indicateur") or data.DEFAULT_INDICATOR)
    year = common.safe_year(ind, params.get("annee"))
    # the home's peers (issue #11: the 12 territories, or the EPCIs of its region) and their whole
    home = data.home()
    whole = "MGP" if home.in_metropolis else home.region
    parts = [data.ranking(ind.id, year, "peers")] + ([data.values(ind.id, [whole], year)] if whole else [])
    frame = pd.concat(parts, ignore_index=True)
    key = "ov.rank" if home.in_metropolis else "ov.rank_epci"
    title = common.full_title(ind, lang, t(key, lang, year=year))
    return common.values_export(frame, ind, lang, title, extra=("rank",))


_frame_back = common.frame_back


def clean(ind_id: str | None, year: str | None) -> dict[str, str]:
    ind = common.safe_indicator(ind_id)
    return {"indicateur": ind.id, "annee": str(common.safe_year(ind, year))}


@callback(
    *cards.graph_outputs(Card.OV_MAP),
    Input(param(PAGE, "indicateur"), "value"),
    Input(param(PAGE, "annee"), "value"),
    Input(ctx(PAGE), "data"),
)
def update_map(ind_id: str, year: str, context: dict) -> tuple:
    return draw_map(clean(ind_id, year), context["lang"])


@callback(
    *cards.graph_outputs(Card.OV_RANK),
    Input(param(PAGE, "indicateur"), "value"),
    Input(param(PAGE, "annee"), "value"),
    Input(ctx(PAGE), "data"),
)
def update_ranking(ind_id: str, year: str, context: dict) -> tuple:
    params, lang = clean(ind_id, year), context["lang"]
    # officers' public notes and target for the home (issue #11), read outside the card's cache
    return officer_notes.on_card(
        draw_ranking(params, lang), params["indicateur"], data.home().code, lang, draw=False
    )


def mgp_value(ind_id: str, year: int | str) -> float | None:
    try:
        value = data.values(ind_id, ["MGP"], year)["value"].iloc[0]
    except LookupError:
        return None
    return None if pd.isna(value) else float(value)


@data.cached
def draw_map(params: dict[str, Any], lang: str) -> tuple:
    export = map_export(params, lang)
    ind = data.indicator(params["indicateur"])
    frame = _frame_back(export, lang)
    points = geo.centroids(frame["code"].tolist())
    frame["lon"] = frame["code"].map(lambda c: points.get(c, (None, None))[0])
    frame["lat"] = frame["code"].map(lambda c: points.get(c, (None, None))[1])
    m = data.measure(ind, lang, source=export.source)
    home = data.home().code
    fig = maps.choropleth(
        frame,
        geo.url(f"communes-{home}"),
        m,
        common.split_title(export.title)[0],
        subtitle=common.split_title(export.title)[1],
        center=mgp_value(ind.id, params["annee"]) if data.home().in_metropolis else None,
        outlines=geo.url(f"outlines-{home}"),
        outline_codes=[home],
        labels=True,
        shapes=geo.shapes(f"communes-{home}"),  # labels only where they fit (figures.labels)
        label_size=(440, 420),
        height=560,
    )
    rows = text.value_rows(frame.sort_values("value", ascending=False), m)
    alt = cards.alt_table([t("col.territory", lang), t("col.value", lang)], rows, export.title)
    if not geo.shapes(f"communes-{home}").get("features"):  # issue #11: a home without shapes
        fig, alt = nomap.no_shapes_map(alt, lang, height=560)
    return cards.graph_card(Card.OV_MAP, fig, export, params, lang, alt)


#: Above this many peers the ranking draws an excerpt (``excerpt``); ends and neighbours kept.
MAX_BARS, ENDS, NEIGHBOURS = 24, 5, 4


def excerpt(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, str]:
    """(rows drawn, note) of the peers' ranking: all of them (no note) up to ``MAX_BARS``; else
    the first and last ``ENDS`` and the home with its ``NEIGHBOURS`` on each side, their rank in
    their name, and a note saying how many there are (issue #11: the 154 EPCIs of a region). The
    full list stays in the card's table and download."""
    ranked = frame.dropna(subset=["value"]).sort_values("value", ascending=False).reset_index(drop=True)
    if len(ranked) <= MAX_BARS:
        return frame, ""
    n = len(ranked)
    mine = ranked.index[ranked["code"] == data.home().code]
    keep = set(range(ENDS)) | set(range(n - ENDS, n))
    if len(mine):
        keep |= set(range(max(0, mine[0] - NEIGHBOURS), min(n, mine[0] + NEIGHBOURS + 1)))
    part = ranked.loc[sorted(keep)].copy()
    rank = part["rank"] if "rank" in part else pd.Series(part.index + 1, index=part.index)
    part["name"] = [
        f"{name} ({ordinal(int(r), n, lang)})" for name, r in zip(part["name"], rank, strict=True)
    ]
    return part, t("ov.rank_excerpt", lang, n=n, k=ENDS)


@data.cached
def draw_ranking(params: dict[str, Any], lang: str) -> tuple:
    export = rank_export(params, lang)
    ind = data.indicator(params["indicateur"])
    frame = _frame_back(export, lang)
    m = data.measure(ind, lang, source=export.source)
    whole = "MGP" if data.home().in_metropolis else (data.home().region or "MGP")
    terr = frame[frame["code"] != whole]
    mgp = frame.loc[frame["code"] == whole, "value"]
    label = whole if whole == "MGP" else data.name(whole, lang)
    ref = (label, float(mgp.iloc[0])) if len(mgp) and pd.notna(mgp.iloc[0]) else None
    head, sub = common.split_title(export.title)
    shown, note = excerpt(terr, lang)  # 154 EPCIs do not fit in 560 px: the home among its neighbours
    sub = " · ".join(x for x in (sub, note) if x)
    fig = charts.ranking(shown, m, head, highlight=data.home().code, reference=ref, height=560, subtitle=sub)
    rows = text.value_rows(terr.sort_values("value", ascending=False), m)
    alt = cards.alt_table([t("col.territory", lang), t("col.value", lang)], rows, export.title)
    return cards.graph_card(Card.OV_RANK, fig, export, params, lang, alt)
