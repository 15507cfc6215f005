"""Commune profile (``/commune/<code>``): the page, and one indicator in detail (beside the home territory, the
department and the MGP; over time; among the MGP communes). The rest of the profile (summary,
locator, table of the theme in view) is in ``callbacks.commune_profile``; the themes (one at a
time, ``?theme=``) in ``callbacks.commune_themes``."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, html

from callbacks import cards, common, commune_themes, data, drawn, officer_notes, profile
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageError, PageResult, Request, register
from callbacks.state import href
from figures import charts
from indicators.credits import separator
from layouts import commune as view
from layouts.i18n import ordinal, t
from layouts.ids import Card, ctx, param

PAGE = view.PAGE


def check_code(code: str, lang: str) -> str:
    """A commune code of the URL; ``PageError`` (with useful links) if unknown."""
    if not data.is_commune(code):
        q = common.q(lang)
        links = [("/carte" + q, t("nav.map", lang)), ("/" + q, t("err.gosb_communes", lang))]
        raise PageError(t("err.commune", lang, code=code), links)
    return code


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(state, defaults, path args) of the page's URL; ``PageError`` for unknown values."""
    code = check_code(req.args.get("code") or req.query.get("code", ""), req.lang)
    _, state, defaults = common.indicator_year_state(req)
    # No theme in the URL: the indicator's (``commune_themes.normalise``); an unknown one likewise.
    state, _ = commune_themes.normalise({**state, "theme": req.query.get("theme", "")}, req.lang)
    defaults.update(theme="", annee="")  # derived: the indicator's theme, its latest vintage
    return state, defaults, {"code": code}


def build(req: Request) -> PageResult:
    lang = req.lang
    state, defaults, args = page_state(req)
    code = args["code"]
    ind = data.indicator(state["indicateur"])
    name, dep, ept = data.name(code), data.dep_of(code), data.ept_of(code)
    home = data.home()
    mine = ept == home.code or code in home.members
    dep_label = f"{data.name(dep)} ({dep[1:]})"
    if ept:
        subtitle = t("co.subtitle", lang, dep=dep_label, ept=f"{data.name(ept)} ({ept})")
    elif mine:  # a home outside the metropolis (issue #11)
        subtitle = t("co.subtitle_epci", lang, dep=dep_label)
    else:
        subtitle = t("co.subtitle_noept", lang, dep=dep_label)
    compare = (
        t("co.link_compare", lang)
        if home.in_metropolis
        else t("co.link_compare_epci", lang, region=data.name(home.scope))
    )
    links = [
        (
            href("/comparer", {"territoires": [code, home.code, home.scope], "indicateur": ind.id}, lang),
            compare,
        ),
        (
            href("/carte", {"indicateur": ind.id, "perimetre": "territoire" if mine else "mgp"}, lang),
            t("co.link_map", lang),
        ),
    ]
    _, options = commune_themes.normalise(state, lang)
    layout = view.layout(
        lang,
        code,
        name,
        subtitle,
        links,
        options["indicateur"],
        options["annee"],
        state,
        defaults,
        tabs=commune_themes.tabs(code, lang),
        theme_options=commune_themes.theme_options(lang),
        inside=home.in_metropolis,
    )
    return PageResult(layout, t("co.page", lang, name=name))


register(
    Page(
        key=PAGE,
        path="/commune/<code>",
        build=build,
        order=30,
        normalise=commune_themes.normalise,
        check=page_state,
    )
)


def areas(code: str) -> list[str]:
    """The commune and its reference areas: the home territory, its department, the MGP (the
    home's region outside the metropolis, ``Home.scope``)."""
    return list(dict.fromkeys([code, data.home().code, data.dep_of(code), data.home().scope]))


def _epci() -> str:
    """The suffix of the texts of a home outside the metropolis (``co.bars_epci`` …)."""
    return "" if data.home().in_metropolis else "_epci"


# --- one indicator in detail -----------------------------------------------------------------


def _params(params: dict[str, Any]) -> tuple[str, Any, int]:
    code = params["code"]
    if not data.is_commune(code):
        raise KeyError(code)
    ind = common.safe_indicator(params.get("indicateur"))
    return code, ind, common.safe_year(ind, params.get("annee"))


@download(Card.CO_BARS, view=drawn.bars_file)
def bars_export(params: dict[str, Any], lang: str) -> Export:
    code, ind, year = _params(params)
    frame = data.values(ind.id, areas(code), year)
    title = common.full_title(ind, lang, t("co.bars" + _epci(), lang, name=data.name(code), year=year))
    return common.values_export(frame, ind, lang, title)


@download(Card.CO_SERIES, view=drawn.series_file)
def series_export(params: dict[str, Any], lang: str) -> Export:
    code, ind, _ = _params(params)
    frame = data.series(ind.id, areas(code))
    title = common.full_title(ind, lang, t("co.series", lang, name=data.name(code)))
    return common.values_export(frame, ind, lang, title)


@download(Card.CO_STRIP)
def strip_export(params: dict[str, Any], lang: str) -> Export:
    code, ind, year = _params(params)
    frame = data.ranking(ind.id, year, profile.ranked_level())  # the MGP's communes, or the home's
    title = common.full_title(ind, lang, t("co.strip" + _epci(), lang, name=data.name(code), year=year))
    return common.values_export(frame, ind, lang, title, extra=("rank",))


def _clean(params: dict[str, Any]) -> tuple[str, Any, dict[str, str]]:
    code, ind, year = _params(params)
    return code, ind, {"code": code, "indicateur": ind.id, "annee": str(year)}


@data.cached
def draw_bars(params: dict[str, Any], lang: str) -> tuple:
    code, ind, p = _clean(params)
    bars = bars_export(p, lang)
    m = data.measure(ind, lang, source=bars.source)
    frame = common.frame_back(bars, lang)
    head, sub = common.split_title(bars.title)
    fig = charts.compare_bars(
        frame, m, head, highlight=code, subtitle=sub, population=cards.population(frame)
    )
    alt = drawn.table(drawn.bars(bars, lang), lang, bars.title)  # the values drawn (#9.3)
    return cards.graph_card(Card.CO_BARS, fig, bars, p, lang, alt)


@data.cached
def draw_series(params: dict[str, Any], lang: str) -> tuple:
    code, ind, p = _clean(params)
    ser = series_export(p, lang)
    frame = common.frame_back(ser, lang)
    m = data.measure(ind, lang, source=ser.source)
    head, sub = common.split_title(ser.title)
    fig = charts.series(frame, m, head, highlight=code, subtitle=sub, indicator=ind)  # census: 5 years apart
    alt = drawn.table(drawn.series(ser, lang), lang, ser.title, year=True)  # the values drawn (#9.3)
    return cards.graph_card(Card.CO_SERIES, fig, ser, p, lang, alt)


@data.cached
def draw_strip(params: dict[str, Any], lang: str) -> tuple:
    code, ind, p = _clean(params)
    strip = strip_export(p, lang)
    frame = common.frame_back(strip, lang)
    m = data.measure(ind, lang, source=strip.source)
    refs = bars_export(p, lang).frame.set_index(common.COLS[lang]["code"])[common.COLS[lang]["value"]]
    whole = data.home().scope  # the MGP, or the home's region (issue #11)
    references = [
        (lab, float(refs[c]))
        for lab, c in (
            ("MGP" if whole == data.MGP else data.name(whole, lang), whole),
            (data.home().short, data.home().code),
        )
        if c in refs and pd.notna(refs[c])
    ]
    head, sub = common.split_title(strip.title)
    home = data.home()  # its communes, labelled with its short name (« Plaine Commune » for T6)
    label = home.short or home.code
    fig = charts.strip(frame, m, head, code, set(home.members), references, label, subtitle=sub, height=300)
    me = frame[frame["code"] == code]
    sentence = m.named(data.name(code), me["value"].iloc[0] if len(me) else None)
    if len(me) and pd.notna(me["rank"].iloc[0]):
        sentence += f" — {ordinal(int(me['rank'].iloc[0]), int(frame['rank'].notna().sum()), lang)}"
    alt = html.P(sentence + ". " + separator(lang).join(m.named(lab, v) for lab, v in references))
    return cards.graph_card(Card.CO_STRIP, fig, strip, p, lang, alt)


def _inputs() -> list[Input]:
    return [
        Input(param(PAGE, "indicateur"), "value"),
        Input(param(PAGE, "annee"), "value"),
        Input(ctx(PAGE), "data"),
    ]


@callback(*cards.graph_outputs(Card.CO_BARS), *_inputs())
def update_bars(ind_id: str, year: str, context: dict) -> tuple:
    return draw_bars({"code": context["args"]["code"], "indicateur": ind_id, "annee": year}, context["lang"])


@callback(*cards.graph_outputs(Card.CO_SERIES), *_inputs())
def update_series(ind_id: str, year: str, context: dict) -> tuple:
    code, lang = context["args"]["code"], context["lang"]
    out = draw_series({"code": code, "indicateur": ind_id, "annee": year}, lang)
    # officers' public notes and target (issue #11): read outside the card's data-version cache
    return officer_notes.on_card(out, common.safe_indicator(ind_id).id, code, lang)


@callback(*cards.graph_outputs(Card.CO_STRIP), *_inputs())
def update_strip(ind_id: str, year: str, context: dict) -> tuple:
    return draw_strip({"code": context["args"]["code"], "indicateur": ind_id, "annee": year}, context["lang"])
