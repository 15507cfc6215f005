"""Map explorer (``/carte``) and the « click a commune to open its profile » behaviour of all charts.

Issue #11, a home outside the metropolis: only its own communes are offered (no metropolis
perimeter, no metropolis value at the centre of the classes), the default vintage is the latest
with data for it, an indicator whose sources do not cover it says so in words, and a map of
communes without shapes in the store says so and keeps the list of values."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import ALL, Input, Output, State, callback_context, dcc, html, no_update

from callbacks import cards, common, data, geo, nomap
from callbacks.exports import Export, download
from callbacks.overview import mgp_value
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from callbacks.state import build_query, href, lang_of, normalise_year, parse_query
from figures import maps
from layouts import carte as view
from layouts import ids
from layouts.i18n import t
from layouts.ids import Card, ctx, param

PAGE = view.PAGE
SCOPES = ("territoire", "mgp")
#: former URL values still accepted (published links): ``gosb`` is the home, whatever it is
LEGACY_SCOPES = {"gosb": "territoire"}
METHODS = ("quantiles", "jenks")


def scopes() -> tuple[str, ...]:
    """The perimeters offered: the home, and the metropolis for a home in it (issue #11)."""
    return SCOPES if data.home().in_metropolis else SCOPES[:1]


def outlines_key() -> str:
    """Text key naming the thick lines: the territories (EPT), or the home's own boundary."""
    return "map.outlines" if data.home().in_metropolis else "map.outlines_epci"


def _group(scope: str) -> str:
    """The group a scope shows: ``territoire`` is the configured home."""
    return data.home().code if scope == SCOPES[0] else data.MGP


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(state, defaults, path args) of the page's URL; ``PageError`` for unknown values."""
    _, state, defaults = common.indicator_year_state(req)
    scope = req.query.get("perimetre")
    scope = LEGACY_SCOPES.get(scope, scope)  # type: ignore[arg-type]
    state["perimetre"] = common.check_choice("perimetre", scope, scopes(), req.lang)
    state["classes"] = common.check_choice("classes", req.query.get("classes"), METHODS, req.lang)
    defaults.update(perimetre=SCOPES[0], classes=METHODS[0])
    return state, defaults, {}


def build(req: Request) -> PageResult:
    state, defaults, _ = page_state(req)
    ind_opts, year_opts = common.options(data.indicator(state["indicateur"]), req.lang)
    # issue #11: no shapes for the home's communes, no « click a commune… thick line… » either
    intro = None if nomap.has_shapes(f"communes-{data.home().code}") else nomap.no_shapes_intro(req.lang)
    layout = view.layout(req.lang, ind_opts, year_opts, state, defaults, scopes(), outlines_key(), intro)
    return PageResult(layout, t("map.title", req.lang))


register(
    Page(
        key=PAGE,
        path="/carte",
        build=build,
        nav="nav.map",
        order=20,
        normalise=normalise_year,
        check=page_state,
    )
)


def clean(params: dict[str, Any]) -> dict[str, str]:
    """Valid map parameters (defaults for anything missing or wrong)."""
    ind = common.safe_indicator(params.get("indicateur"))
    scope = LEGACY_SCOPES.get(params.get("perimetre"), params.get("perimetre"))  # type: ignore[arg-type]
    scope = scope if scope in scopes() else SCOPES[0]
    method = params.get("classes") if params.get("classes") in METHODS else METHODS[0]
    return {
        "indicateur": ind.id,
        "annee": str(common.safe_year(ind, params.get("annee"))),
        "perimetre": scope,
        "classes": method,
    }


@download(Card.MAP)
def map_export(params: dict[str, Any], lang: str) -> Export:
    p = clean(params)
    ind = data.indicator(p["indicateur"])
    frame = data.ranking(ind.id, p["annee"], "home" if p["perimetre"] == SCOPES[0] else p["perimetre"])
    if data.home().in_metropolis:  # the metropolis' value: the centre of diverging classes
        frame = pd.concat([frame, data.values(ind.id, ["MGP"], p["annee"])], ignore_index=True)
    scope = t(f"scope.{p['perimetre']}", lang)
    title = common.full_title(ind, lang, t("map.card", lang, scope=scope, year=p["annee"]))
    return common.values_export(frame, ind, lang, title, extra=("rank",))


@data.cached
def draw(params: dict[str, Any], lang: str) -> tuple:
    p = clean(params)
    export = map_export(p, lang)
    ind = data.indicator(p["indicateur"])
    frame = common.frame_back(export, lang)
    communes = frame[frame["code"] != "MGP"].copy()
    m = data.measure(ind, lang, source=export.source)
    group = _group(p["perimetre"])
    home = data.home().code
    area = data.uncovered(ind) if p["perimetre"] == SCOPES[0] else None
    if area:  # issue #11: no vintage has any value here (a source covering Île-de-France only)
        return nomap.uncovered_card(t(f"cov.{area}", lang), export.title, lang)
    inside = data.home().in_metropolis
    mine = p["perimetre"] == SCOPES[0]  # the home's communes (issue #11: whatever the configured home)
    outlines = (f"outlines-{home}", [home]) if mine else ("outlines-ept", [f"T{i}" for i in range(1, 13)])
    fig = maps.choropleth(
        communes,
        geo.url(f"communes-{group}"),
        m,
        common.split_title(export.title)[0],
        subtitle=common.split_title(export.title)[1],
        method=p["classes"],
        center=mgp_value(ind.id, p["annee"]) if inside else None,
        outlines=geo.url(outlines[0]),
        outline_codes=outlines[1],
        labels=True,
        shapes=geo.shapes(f"communes-{group}"),
        label_size=(560, 500),
        home=None if mine else (home, f"{data.home().name} ({home})"),
        height=640,
    )
    listing = commune_list(communes, m, lang, export.title, ind.id, p["annee"])
    if not nomap.has_shapes(f"communes-{group}"):  # e.g. a home outside the six departments
        return nomap.no_shapes_card(Card.MAP, export, p, lang, listing)
    return cards.graph_card(Card.MAP, fig, export, p, lang, listing)


def commune_list(
    frame: pd.DataFrame, m: Any, lang: str, caption: str, ind_id: str, year: Any = ""
) -> html.Table:
    """The communes of the map, highest value first, each name a link to its profile: the
    keyboard and phone way into the map (also its text alternative). Each value links to
    « D'où vient ce chiffre ? » (issue #15)."""
    rows = []
    label = data.label(data.indicator(ind_id), lang)
    data_rows = frame.sort_values("value", ascending=False, na_position="last")
    for rank, rec in enumerate(data_rows.to_dict("records"), start=1):
        link = dcc.Link(rec["name"], href=href(f"/commune/{rec['code']}", {"indicateur": ind_id}, lang))
        value = m.fmt(rec["value"])
        if pd.notna(rec["value"]):
            value = cards.explained_value(value, ind_id, rec["code"], year, lang, label)
        rows.append([link, value, str(rank) if pd.notna(rec["value"]) else ""])
    header = [t("level.commune", lang), t("col.value", lang), t("col.rank", lang)]  # communes only
    return cards.alt_table(header, rows, caption)


@callback(
    *cards.graph_outputs(Card.MAP),
    Input(param(PAGE, "indicateur"), "value"),
    Input(param(PAGE, "annee"), "value"),
    Input(param(PAGE, "perimetre"), "value"),
    Input(param(PAGE, "classes"), "value"),
    Input(ctx(PAGE), "data"),
)
def update_map(ind_id: str, year: str, scope: str, method: str, context: dict) -> tuple:
    return draw({"indicateur": ind_id, "annee": year, "perimetre": scope, "classes": method}, context["lang"])


@callback(
    Output(ids.URL, "pathname", allow_duplicate=True),
    Output(ids.URL, "search", allow_duplicate=True),
    Input({"type": "card-graph", "card": ALL}, "clickData"),
    State(ids.URL, "pathname"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def open_profile(clicks: list[dict | None], pathname: str | None, search: str | None) -> tuple:
    """Clicking a commune on any map or chart opens its profile (keeping the indicator and language)."""
    dash_ctx = callback_context
    if not isinstance(dash_ctx.triggered_id, dict) or not dash_ctx.triggered:
        return no_update, no_update
    target = profile_target(dash_ctx.triggered[0]["value"], pathname, search)
    return target if target else (no_update, no_update)


def profile_target(click: dict | None, pathname: str | None, search: str | None) -> tuple[str, str] | None:
    """(pathname, search) of the profile of the commune clicked, or None (not a commune, an embed,
    or the profile already shown)."""
    if (pathname or "").startswith("/embed"):
        return None
    points = (click or {}).get("points") or []
    code = points[0].get("customdata") if points else None
    if isinstance(code, list):
        code = code[0] if code else None
    if not isinstance(code, str) or not data.is_commune(code) or pathname == f"/commune/{code}":
        return None
    query = parse_query(search)
    keep = {k: query[k] for k in ("indicateur",) if k in query}
    return f"/commune/{code}", build_query(keep, lang_of(search))
