"""Comparison (``/comparer``): 2 to 6 communes, territories or custom groups, over time."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, no_update

from callbacks import cards, common, data
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageError, PageResult, Request, register
from callbacks.state import split_list
from figures import charts, text
from indicators.geo import TerritoryError, group_code, parse_territory
from layouts import comparer as view
from layouts import ids
from layouts.i18n import t
from layouts.ids import Card, ctx, param

PAGE = view.PAGE
MAX = 6
DEFAULT = ["T12", "MGP", "D94", "D91"]


def resolve(codes: list[str]) -> list[Any]:
    """Resolved territories (``indicators.geo.Territory``); ``TerritoryError`` if one is unknown."""
    terr = data.territories()
    return [terr.resolve(c) for c in codes]


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(state, defaults, path args) of the page's URL; ``PageError`` for unknown values."""
    ind = common.check_indicator(req.query.get("indicateur"), req.lang)
    codes = split_list(req.query.get("territoires")) or list(DEFAULT)
    try:
        places = resolve(codes[:MAX])
    except TerritoryError as exc:
        raise PageError(
            t("err.territory", req.lang, value=str(exc)), common.catalogue_links(req.lang)
        ) from None
    state = {"territoires": [p.code for p in places], "indicateur": ind.id}
    return state, {"territoires": list(DEFAULT), "indicateur": data.DEFAULT_INDICATOR}, {}


def territory_options(lang: str, selected: list[str]) -> list[dict[str, str]]:
    """Territories first (GOSB, MGP, departments, T1..T12), then the MGP communes, then custom groups."""
    terr = data.territories()
    groups = ["T12", "MGP", "D75", "D91", "D92", "D93", "D94", "D95"] + [f"T{i}" for i in range(1, 12)]
    out = [{"label": f"{data.name(c)} ({c})", "value": c, "search": data.fold(data.name(c))} for c in groups]
    out += data.search_options()
    known = {o["value"] for o in out}
    for code in selected:
        if code not in known:
            try:
                out.append({"label": terr.resolve(code).name, "value": code})
            except TerritoryError:
                continue
    return out


def canonical(code: str) -> str:
    """``group:94041 94081`` (a ``+`` decoded from a URL) → ``group:94041+94081``; others unchanged."""
    try:
        return parse_territory(code).code
    except TerritoryError:
        return code


def normalise(state: dict[str, Any], lang: str) -> tuple[dict[str, Any], dict[str, list]]:
    out = dict(state)
    codes = list(dict.fromkeys(canonical(c) for c in (out.get("territoires") or []) if c))[:MAX]
    out["territoires"] = codes
    return out, {"territoires": territory_options(lang, codes)}


def build(req: Request) -> PageResult:
    state, defaults, _ = page_state(req)
    lang = req.lang
    options = territory_options(lang, state["territoires"])
    layout = view.layout(lang, data.indicator_options(lang), options, data.search_options(), state, defaults)
    return PageResult(layout, t("cmp.title", lang))


register(Page(key=PAGE, path="/comparer", build=build, nav="nav.compare", order=40, normalise=normalise))


def _clean(params: dict[str, Any]) -> tuple[Any, list[str]]:
    ind = common.safe_indicator(params.get("indicateur"))
    raw = params.get("territoires") or DEFAULT
    codes = split_list(raw) if isinstance(raw, str) else list(raw)
    places = resolve(codes[:MAX])
    return ind, [p.code for p in places]


@download(Card.CMP_SERIES)
def series_export(params: dict[str, Any], lang: str) -> Export:
    ind, codes = _clean(params)
    frame = data.series(ind.id, codes)
    return common.values_export(frame, ind, lang, common.full_title(ind, lang, t("cmp.series", lang)))


@download(Card.CMP_BARS)
def bars_export(params: dict[str, Any], lang: str) -> Export:
    ind, codes = _clean(params)
    frame = data.values(ind.id, codes)
    title = common.full_title(ind, lang, t("cmp.bars", lang, year=int(frame["year"].iloc[0])))
    return common.values_export(frame, ind, lang, title)


@data.cached
def draw_series(params: dict[str, Any], lang: str) -> tuple:
    ind, codes = _clean(params)
    p = {"territoires": codes, "indicateur": ind.id}
    export = series_export(p, lang)
    frame = common.frame_back(export, lang)
    m = data.measure(ind, lang, export.source_ids)
    head, sub = common.split_title(export.title)
    fig = charts.series(frame, m, head, height=420, subtitle=sub)
    rows = text.value_rows(frame, m, ("name", "year", "value"))
    alt = cards.alt_table(
        [t("col.territory", lang), t("col.year", lang), t("col.value", lang)], rows, export.title
    )
    return cards.graph_card(Card.CMP_SERIES, fig, export, p, lang, alt)


@data.cached
def draw_bars(params: dict[str, Any], lang: str) -> tuple:
    ind, codes = _clean(params)
    p = {"territoires": codes, "indicateur": ind.id}
    export = bars_export(p, lang)
    frame = common.frame_back(export, lang)
    m = data.measure(ind, lang, export.source_ids)
    head, sub = common.split_title(export.title)
    fig = charts.compare_bars(frame, m, head, height=420, subtitle=sub)
    alt = cards.alt_table(
        [t("col.territory", lang), t("col.value", lang)], text.value_rows(frame, m), export.title
    )
    return cards.graph_card(Card.CMP_BARS, fig, export, p, lang, alt)


def _inputs() -> list[Input]:
    return [
        Input(param(PAGE, "territoires"), "value"),
        Input(param(PAGE, "indicateur"), "value"),
        Input(ctx(PAGE), "data"),
    ]


@callback(*cards.graph_outputs(Card.CMP_SERIES), *_inputs())
def update_series(codes: list[str], ind_id: str, context: dict) -> tuple:
    return draw_series({"territoires": codes or DEFAULT, "indicateur": ind_id}, context["lang"])


@callback(*cards.graph_outputs(Card.CMP_BARS), *_inputs())
def update_bars(codes: list[str], ind_id: str, context: dict) -> tuple:
    return draw_bars({"territoires": codes or DEFAULT, "indicateur": ind_id}, context["lang"])


@callback(
    Output(param(PAGE, "territoires"), "value", allow_duplicate=True),
    Output(ids.GROUP_PICKER, "value"),
    Input(ids.GROUP_ADD, "n_clicks"),
    State(ids.GROUP_PICKER, "value"),
    State(param(PAGE, "territoires"), "value"),
    prevent_initial_call=True,
)
def add_group(n_clicks: int, members: list[str] | None, current: list[str] | None) -> tuple:
    """Add the picked communes as one custom group (``group:94041+94081``)."""
    if not n_clicks or not members or len(members) < 2:
        return no_update, no_update
    code = group_code(members)
    codes = [c for c in (current or []) if c != code][: MAX - 1] + [code]
    return codes, []
