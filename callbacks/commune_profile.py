"""Commune profile, the whole of it: plain-language summary, locator map and the tables theme by
theme (commune, GOSB, department, MGP, change, rank), with their download. Part of ``/commune/<code>``
(page and detailed charts in ``callbacks.commune``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, dcc, html

from callbacks import cards, data, geo, profile
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.state import href
from figures import maps, text
from layouts import commune as view
from layouts.components import table
from layouts.i18n import ordinal, t
from layouts.ids import Card, ctx

PAGE = view.PAGE


@download(Card.CO_PROFILE)
def profile_export(params: dict[str, Any], lang: str) -> Export:
    code = params["code"]
    if not data.is_commune(code):
        raise KeyError(code)
    frame = profile.commune_profile(code)
    frame.insert(2, "label", [data.label(data.indicator(i), lang) for i in frame["id"]])
    frame.insert(3, "unit", [data.indicator(i).unit for i in frame["id"]])
    gosb, dep, mgp = data.GOSB, data.dep_of(code), data.MGP
    names = {"value": data.name(code), "gosb": data.name(gosb), "dep": data.name(dep), "mgp": data.name(mgp)}
    fr = lang == "fr"
    cols = {
        "theme": "theme",
        "id": "indicateur" if fr else "indicator",
        "label": "libelle" if fr else "label",
        "unit": "unite" if fr else "unit",
        "year": "annee" if fr else "year",
        **names,
        "prev_year": "annee_precedente" if fr else "previous_year",
        "prev_value": "valeur_precedente" if fr else "previous_value",
        "rank": "rang_mgp" if fr else "mgp_rank",
        "n": "communes_classees" if fr else "communes_ranked",
    }
    out = frame[list(cols)].rename(columns=cols)
    srcs = sorted({s for v in frame["sources"] for s in v.split(",") if s})
    title = f"{t('co.profile', lang)} — {data.name(code)}"
    years = sorted({int(y) for y in frame["year"]})
    return Export(out, title, data.credit(srcs, lang), f"{years[0]}-{years[-1]}", data.licences(srcs), srcs)


def profile_tables(code: str, frame: pd.DataFrame, lang: str) -> list[Any]:
    """One accessible table per theme; each indicator label selects it for the detailed charts."""
    dep = data.dep_of(code)
    header = [
        t("col.indicator", lang),
        t("col.year", lang),
        data.name(code),
        "GOSB",
        data.name(dep),
        "MGP",
        t("col.change", lang),
        t("col.rank", lang),
    ]
    out: list[Any] = [html.P(t("co.rank_note", lang), className="small text-body-secondary")]
    for theme, part in frame.groupby("theme", sort=False):
        rows = []
        for r in part.to_dict("records"):
            ind = data.indicator(r["id"])
            m = data.measure(ind, lang, ())
            link = dcc.Link(
                data.label(ind, lang),
                href=href(f"/commune/{code}", {"indicateur": ind.id, "annee": r["year"]}, lang),
            )
            prev = None if pd.isna(r["prev_year"]) else int(r["prev_year"])
            tr = text.trend(r["value"], r["prev_value"], prev or 0, ind.decimals) if prev else None
            change = (
                f"{tr.arrow} {m.fmt_change(tr.delta)} {t('co.change_since', lang, year=prev)}" if tr else ""
            )
            rank = "" if pd.isna(r["rank"]) else ordinal(int(r["rank"]), int(r["n"]), lang)
            rows.append(
                [
                    link,
                    str(r["year"]),
                    m.fmt(r["value"]),
                    m.fmt(r["gosb"]),
                    m.fmt(r["dep"]),
                    m.fmt(r["mgp"]),
                    change,
                    rank,
                ]
            )
        out.append(html.Div(table(header, rows, data.theme_label(theme, lang)), className="table-responsive"))
    return out


def summary(code: str, frame: pd.DataFrame, lang: str) -> html.Div:
    """The plain-language summary of the profile's most notable gaps with the MGP."""
    gaps = []
    for r in frame.to_dict("records"):
        ind = data.indicator(r["id"])
        if ind.unit == "count" or pd.isna(r["value"]) or pd.isna(r["mgp"]):
            continue
        gaps.append(
            text.Gap(
                data.measure(ind, lang, ()),
                float(r["value"]),
                float(r["mgp"]),
                r["spread"],
                None if pd.isna(r["rank"]) else int(r["rank"]),
                None if pd.isna(r["n"]) else int(r["n"]),
            )
        )
    intro, sentences = text.profile_summary(gaps, data.name(code), lang)
    return html.Div([html.P(intro, className="mb-1"), html.Ul([html.Li(s) for s in sentences])])


def locator(code: str, lang: str) -> tuple:
    ept = data.ept_of(code)
    group = "T12" if ept == "T12" else ("MGP" if ept else data.dep_of(code))
    frame = pd.DataFrame({"code": data.members(group)})
    frame["name"] = frame["code"].map(data.name)
    outlines = (
        ("outlines-T12", ["T12"]) if group == "T12" else ("outlines-ept", [f"T{i}" for i in range(1, 13)])
    )
    title = t("co.locator", lang, name=data.name(code))
    fig = maps.locator(
        frame, geo.url(f"communes-{group}"), code, title, lang, geo.url(outlines[0]), outlines[1]
    )
    alt = html.P(
        f"{data.name(code)} — {data.name(data.dep_of(code))}" + (f", {data.name(ept)}" if ept else "")
    )
    empty = Export(pd.DataFrame(), title, "", "", "")
    return cards.graph_card(Card.CO_LOCATOR, fig, empty, {}, lang, alt, embed=False)


@callback(
    *cards.body_outputs(Card.CO_SUMMARY),
    *cards.graph_outputs(Card.CO_LOCATOR),
    *cards.body_outputs(Card.CO_PROFILE),
    Input(ctx(PAGE), "data"),
)
def update_profile(context: dict) -> tuple:
    return profile_output(context["args"]["code"], context["lang"])


@data.cached
def profile_output(code: str, lang: str) -> tuple:
    """Summary, locator and profile tables of a commune (memoised per data version)."""
    export = profile_export({"code": code}, lang)
    frame = profile.commune_profile(code)
    params = {"code": code}
    return (
        cards.body_card(Card.CO_SUMMARY, summary(code, frame, lang), None, params, lang)
        + locator(code, lang)
        + cards.body_card(Card.CO_PROFILE, profile_tables(code, frame, lang), export, params, lang)
    )
