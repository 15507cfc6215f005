"""Comparison (``/comparer``): 2 to 6 communes, territories or custom groups, over time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import Input, Output, State, no_update
from dash import ctx as dash_ctx

from callbacks import cards, common, data, drawn
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from callbacks.state import split_list
from figures import charts
from figures.base import empty_figure
from indicators.geo import TerritoryError, group_code, parse_territory
from layouts import comparer as view
from layouts import ids
from layouts.i18n import t
from layouts.ids import Card, ctx, param

PAGE = view.PAGE
MAX = 6


def default() -> list[str]:
    """The comparison a bare ``/comparer`` shows: the home territory and its reference areas."""
    return list(data.home().areas)[:MAX]


def resolve(codes: list[str]) -> list[Any]:
    """Resolved territories (``indicators.geo.Territory``); ``TerritoryError`` if one is unknown."""
    terr = data.territories()
    return [terr.resolve(c) for c in codes]


def parse_places(
    codes: list[str], resolve_one: Callable[[str], Any], limit: int = MAX
) -> tuple[list[str], list[str], list[str]]:
    """A URL list of territories → (known canonical codes, at most ``limit``; unknown or malformed
    codes as typed; known codes left out beyond ``limit``). Duplicates are dropped."""
    known: list[str] = []
    unknown: list[str] = []
    for raw in codes:
        try:
            code = resolve_one(raw).code
        except TerritoryError:
            unknown.append(raw)
            continue
        if code not in known:
            known.append(code)
    return known[:limit], unknown, known[limit:]


def url_notice(unknown: list[str], extra: list[str], lang: str) -> str:
    """The notice of a URL list that was cut: unknown codes left out, codes beyond the maximum."""
    parts = []
    if unknown:
        parts.append(t("cmp.unknown", lang, codes=", ".join(f"« {c} »" for c in unknown)))
    if extra:
        parts.append(t("cmp.max_dropped", lang, names=", ".join(data.name(c) for c in extra)))
    return " ".join(parts)


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(state, defaults, path args) of the page's URL; ``PageError`` for an unknown indicator.
    Unknown territories are left out (``args["notice"]`` says which); none known → the defaults."""
    ind = common.check_indicator(req.query.get("indicateur"), req.lang)
    codes = split_list(req.query.get("territoires")) or default()
    terr = data.territories()
    known, unknown, extra = parse_places(codes, terr.resolve)
    state = {"territoires": known or default(), "indicateur": ind.id}
    notice = url_notice(unknown, extra, req.lang)
    return state, {"territoires": default(), "indicateur": data.DEFAULT_INDICATOR}, {"notice": notice}


def territory_options(lang: str, selected: list[str]) -> list[dict[str, str]]:
    """Territories first (the home and its references, MGP, departments, its peers T1, T2 … or the
    EPCIs of its region), then the communes, then custom groups."""
    terr = data.territories()
    if data.home().in_metropolis:
        fixed = ["MGP", "D75", "D91", "D92", "D93", "D94", "D95", *data.peers()]
    else:  # issue #11: its references, then the intercommunalities of its region (its peers)
        fixed = data.peers()
    groups = list(dict.fromkeys([*data.home().areas, *fixed]))
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
    """Canonical known codes, at most ``MAX`` (unknown ones are dropped, as from a URL)."""
    out = dict(state)
    raw = [canonical(c) for c in (out.get("territoires") or []) if c]
    codes, _, _ = parse_places(raw, data.territories().resolve)
    out["territoires"] = codes
    return out, {"territoires": territory_options(lang, codes)}


def build(req: Request) -> PageResult:
    state, defaults, args = page_state(req)
    lang = req.lang
    options = territory_options(lang, state["territoires"])
    layout = view.layout(
        lang,
        data.indicator_options(lang),
        options,
        data.search_options(),
        state,
        defaults,
        notice=args.get("notice", ""),
        picker_notice=max_notice(state["territoires"], [], {}, lang),
    )
    return PageResult(layout, t("cmp.title", lang))


register(
    Page(
        key=PAGE,
        path="/comparer",
        build=build,
        nav="nav.compare",
        order=40,
        normalise=normalise,
        check=page_state,
    )
)


def _clean(params: dict[str, Any]) -> tuple[Any, list[str]]:
    ind = common.safe_indicator(params.get("indicateur"))
    raw = params.get("territoires") or default()
    codes = split_list(raw) if isinstance(raw, str) else list(raw)
    places = resolve(codes[:MAX])
    return ind, [p.code for p in places]


@download(Card.CMP_SERIES, view=drawn.series_file)
def series_export(params: dict[str, Any], lang: str) -> Export:
    ind, codes = _clean(params)
    frame = data.series(ind.id, codes)
    return common.values_export(frame, ind, lang, common.full_title(ind, lang, t("cmp.series", lang)))


@download(Card.CMP_BARS, view=drawn.bars_file)
def bars_export(params: dict[str, Any], lang: str) -> Export:
    ind, codes = _clean(params)
    # the latest vintage with data for the places chosen (issue #11: 2018 for the Pays Basque and
    # Nouvelle-Aquitaine, the 2022 census files covering Île-de-France only), not the catalogue's
    frame = data.values(ind.id, codes, data.home_year(ind, codes))
    title = common.full_title(ind, lang, t("cmp.bars", lang, year=int(frame["year"].iloc[0])))
    return common.values_export(frame, ind, lang, title)


@data.cached
def draw_series(params: dict[str, Any], lang: str) -> tuple:
    ind, codes = _clean(params)
    p = {"territoires": codes, "indicateur": ind.id}
    export = series_export(p, lang)
    frame = common.frame_back(export, lang)
    m = data.measure(ind, lang, source=export.source)
    head, sub = common.split_title(export.title)
    fig = charts.series(frame, m, head, height=420, subtitle=sub, indicator=ind)  # census: 5 years apart
    alt = drawn.table(drawn.series(export, lang), lang, export.title, year=True)  # values drawn (#9.3)
    return cards.graph_card(Card.CMP_SERIES, fig, export, p, lang, alt)


@data.cached
def draw_bars(params: dict[str, Any], lang: str) -> tuple:
    ind, codes = _clean(params)
    p = {"territoires": codes, "indicateur": ind.id}
    export = bars_export(p, lang)
    frame = common.frame_back(export, lang)
    m = data.measure(ind, lang, source=export.source)
    head, sub = common.split_title(export.title)
    fig = charts.compare_bars(frame, m, head, height=420, subtitle=sub, population=cards.population(frame))
    # issue #15: each value of the table links to « D'où vient ce chiffre ? »
    label = data.label(ind, lang)
    alt = drawn.table(  # the values drawn (#9.3), the published one linked to its explanation
        drawn.bars(export, lang),
        lang,
        export.title,
        link=lambda value, code, year: cards.explained_value(value, ind.id, code, year, lang, label),
    )
    return cards.graph_card(Card.CMP_BARS, fig, export, p, lang, alt)


def _inputs() -> list[Input]:
    return [
        Input(param(PAGE, "territoires"), "value"),
        Input(param(PAGE, "indicateur"), "value"),
        Input(ctx(PAGE), "data"),
    ]


def empty_card(lang: str) -> tuple:
    """A card with no territory chosen: an empty chart saying so, no source, no download."""
    message = t("cmp.empty", lang)
    return cards.empty_graph_card(empty_figure(message, lang, height=420), message)


@callback(*cards.graph_outputs(Card.CMP_SERIES), *_inputs())
def update_series(codes: list[str], ind_id: str, context: dict) -> tuple:
    if not codes:  # cleared: the charts empty (the URL keeps no list; a reload shows the defaults)
        return empty_card(context["lang"])
    return draw_series({"territoires": codes, "indicateur": ind_id}, context["lang"])


@callback(*cards.graph_outputs(Card.CMP_BARS), *_inputs())
def update_bars(codes: list[str], ind_id: str, context: dict) -> tuple:
    if not codes:
        return empty_card(context["lang"])
    return draw_bars({"territoires": codes, "indicateur": ind_id}, context["lang"])


def max_notice(values: list[str] | None, dropped: list[str], labels: dict[str, str], lang: str) -> str:
    """The picker's message: which choices were left out beyond ``MAX``, « maximum reached » at
    ``MAX``, nothing below."""
    if dropped:
        extra = [labels.get(v, v) for v in dropped]
        names = ", ".join(extra[:3]) + (f" (+{len(extra) - 3})" if len(extra) > 3 else "")
        return t("cmp.max_dropped", lang, names=names)
    return t("cmp.max_reached", lang) if len(values or []) >= MAX else ""


@callback(
    Output(ids.CMP_NOTICE, "children"),
    Input(ids.DROPPED, "data"),
    Input(param(PAGE, "territoires"), "value"),
    State(param(PAGE, "territoires"), "options"),
    State(ctx(PAGE), "data"),
    prevent_initial_call=True,  # the layout shows the first message (``build``)
)
def update_notice(
    left_out: dict | None, values: list[str] | None, options: list | None, context: dict
) -> str:
    """The picker's message, once the router has applied the maximum (it says what it left out)."""
    labels = {o["value"]: o["label"] for o in options or [] if isinstance(o, dict)}
    gone = (left_out or {}).get("territoires", []) if ctx_triggered_dropped() else []
    return max_notice(values, gone, labels, (context or {}).get("lang", "fr"))


def ctx_triggered_dropped() -> bool:
    """Whether the router's « left out » store is among this call's triggers."""
    return any(str(p).startswith(ids.DROPPED + ".") for p in dash_ctx.triggered_prop_ids)


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
