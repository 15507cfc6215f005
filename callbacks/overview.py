"""Territory overview (``/``): the page, the home territory's map and its peers ranked (the 12
territories, or the EPCIs of its region). Its key figures with trends are ``callbacks.overview_kpis``."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input

from callbacks import cards, common, data, geo, nomap, officer_notes
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from callbacks.state import normalise_year
from figures import charts, maps, text
from layouts import overview as view
from layouts.i18n import ordinal, t
from layouts.ids import Card, ctx, param

PAGE = view.PAGE


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
    area = data.uncovered(ind)
    if area:  # issue #11: no vintage has any value here (a source covering Île-de-France only)
        return nomap.uncovered_card(t(f"cov.{area}", lang), export.title, lang, height=560)
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
    if not nomap.has_shapes(f"communes-{home}"):  # issue #11: a home without shapes
        return nomap.no_shapes_card(Card.OV_MAP, export, params, lang, alt, height=560)
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
    ranks = [ordinal(int(r), n, lang) for r in rank]
    part["name"] = [f"{name} ({r})" for name, r in zip(part["name"], ranks, strict=True)]
    # the axis keeps short labels so that bars stay readable in a 390 px card (review R2.6): the
    # name cut at a word, the rank alone (the subtitle gives the count); full names on hover
    part["label"] = [
        f"{_short(name)} ({r.split(' ')[0]})"
        for name, r in zip(ranked.loc[part.index, "name"], ranks, strict=True)
    ]
    return part, t("ov.rank_excerpt", lang, n=n, k=ENDS)


#: Longest name kept whole on the excerpt's axis (longer ones are cut at a word and end with « … »).
LABEL_CHARS = 22


def _short(name: str) -> str:
    """``name``, or its first words within ``LABEL_CHARS`` characters followed by « … »."""
    if len(name) <= LABEL_CHARS:
        return name
    cut = name[: LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(" -'(")
    return cut + "…"


def why_empty(ind: Any, frame: pd.DataFrame, year: Any, lang: str) -> str:
    """Why no peer has a value (issue #11): the source does not cover the home (``cov.idf`` …,
    ``coverage.uncovered_area``); a median or published rate that cannot be added up from the
    communes' values, with no official value for the peers (``not_aggregable``: not « not
    covered », the communes have values); or simply none that year."""
    area = data.uncovered(ind)
    if area:
        return t(f"cov.{area}", lang)
    label = data.label(ind, lang)
    statuses = set(frame.get("status", pd.Series(dtype=str)).dropna())
    key = "ov.rank_not_aggregable" if "not_aggregable" in statuses else "ov.rank_none"
    return t(key, lang, label=label, year=year)


@data.cached
def draw_ranking(params: dict[str, Any], lang: str) -> tuple:
    export = rank_export(params, lang)
    ind = data.indicator(params["indicateur"])
    frame = _frame_back(export, lang)
    m = data.measure(ind, lang, source=export.source)
    whole = "MGP" if data.home().in_metropolis else (data.home().region or "MGP")
    terr = frame[frame["code"] != whole]
    if terr["value"].isna().all():  # no peer has a value: say why in words, not bare axes
        return nomap.uncovered_card(why_empty(ind, terr, params["annee"], lang), export.title, lang, 560)
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
