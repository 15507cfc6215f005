"""Commune profile: plain-language summary, locator map and the table of the theme in view
(commune, home territory, department, MGP, change, rank; the download holds every theme) with the theme links.
Part of ``/commune/<code>`` (page and detailed charts in ``callbacks.commune``, themes in
``callbacks.commune_themes``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, Output, dcc, html

from callbacks import cards, commune_themes, data, geo, headlines, nomap, profile
from callbacks.exports import META_COLS, Export, download
from callbacks.registration import callback
from callbacks.state import href
from figures import maps, text
from indicators.coverage import ABSENT, ELSEWHERE, IDF
from indicators.formatting import fmt_comparator
from layouts import commune as view
from layouts.components import table
from layouts.i18n import ordinal, t
from layouts.ids import CO_TABS, Card, ctx, param
from layouts.links import explain_href

PAGE = view.PAGE


@download(Card.CO_PROFILE)
def profile_export(params: dict[str, Any], lang: str) -> Export:
    """The profile's table: every theme, or the ``theme`` of ``params`` (the one in view)."""
    code = params["code"]
    if not data.is_commune(code):
        raise KeyError(code)
    frame = profile.commune_profile(code)
    theme = params.get("theme")
    if theme in commune_themes.order():
        frame = frame[frame["theme"] == theme].reset_index(drop=True)
    frame.insert(2, "label", [data.label(data.indicator(i), lang) for i in frame["id"]])
    frame.insert(3, "unit", [data.indicator(i).unit for i in frame["id"]])
    home, dep, whole = data.home().code, data.dep_of(code), profile.scope()  # the MGP, or the region
    names = {  # « Greater Paris Metropolis » in English
        "value": data.name(code, lang),
        "home": data.name(home, lang),
        "dep": data.name(dep, lang),
        "scope": data.name(whole, lang),
    }
    fr = lang == "fr"
    inside = data.home().in_metropolis
    cols = {
        "theme": "theme",
        "id": "indicateur" if fr else "indicator",
        "label": "libelle" if fr else "label",
        "unit": "unite" if fr else "unit",
        "year": "annee" if fr else "year",
        **names,
        "prev_year": "annee_precedente" if fr else "previous_year",
        "prev_value": "valeur_precedente" if fr else "previous_value",
        # the rank among the MGP communes, or among the home's outside the metropolis (issue #11)
        "rank": ("rang_mgp" if fr else "mgp_rank")
        if inside
        else ("rang_intercommunalite" if fr else "home_rank"),
        "n": "communes_classees" if fr else "communes_ranked",
    }
    # themes in words of the file's language (« Employment », not the id « emploi »)
    out = frame[list(cols)].assign(theme=[data.theme_label(x, lang) for x in frame["theme"]])
    out = out.rename(columns=cols)
    # each row names the sources of its own indicator at its years (not the whole table's)
    meta = [_row_meta(r, lang) for r in frame.to_dict("records")]
    for i, col in enumerate(META_COLS[lang]):
        out[col] = [m[i] for m in meta]
    srcs = sorted({s for v in frame["sources"] for s in v.split(",") if s})
    title = f"{t('co.profile', lang)} — {data.name(code)}"
    years = sorted({int(y) for y in frame["year"]})
    # issue #9.10: one line for the table, naming the datasets of its indicators at the years shown
    shown = frame.rename(columns={"id": "indicator"})
    prev = shown.dropna(subset=["prev_year"]).assign(year=lambda f: f["prev_year"])
    line = data.credit(pd.concat([shown, prev])[["indicator", "year", "sources"]], lang)
    vintage = str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"  # not « 2018-2018 »
    return Export(out, title, line, vintage, data.licences(srcs), srcs)


def _row_meta(r: dict[str, Any], lang: str) -> tuple[str, str, str]:
    """Source line, vintage and licence of one profile row (its value and its previous one)."""
    shown = [{"indicator": r["id"], "year": int(r["year"]), "sources": r["sources"]}]
    if pd.notna(r["prev_year"]):
        shown.append({"indicator": r["id"], "year": int(r["prev_year"]), "sources": r["sources"]})
    years = sorted({x["year"] for x in shown})
    ids = sorted({s for s in str(r["sources"]).split(",") if s})
    return data.credit(pd.DataFrame(shown), lang), ", ".join(map(str, years)), data.licences(ids)


def profile_tables(code: str, frame: pd.DataFrame, lang: str, theme: str | None = None) -> list[Any]:
    """One accessible table per theme (``theme`` only if given); each indicator label selects it
    for the detailed charts."""
    dep, whole, inside = data.dep_of(code), profile.scope(), data.home().in_metropolis
    if theme:
        frame = frame[frame["theme"] == theme]
    header = [
        t("col.indicator", lang),
        t("col.year", lang),
        data.name(code),
        data.home().short,
        data.name(dep),
        "MGP" if inside else data.name(whole),
        t("col.change", lang),
        t("col.rank", lang),
    ]
    note = t("co.rank_note" if inside else "co.rank_note_epci", lang)
    out: list[Any] = [html.P(note, className="small text-body-secondary"), *uncovered_note(theme, lang)]
    for theme, part in frame.groupby("theme", sort=False):
        rows = []
        for r in part.to_dict("records"):
            ind = data.indicator(r["id"])
            m = data.measure(ind, lang, ())
            link = dcc.Link(
                data.label(ind, lang),
                href=href(
                    f"/commune/{code}", {"theme": ind.theme, "indicateur": ind.id, "annee": r["year"]}, lang
                ),
            )
            prev = None if pd.isna(r["prev_year"]) else int(r["prev_year"])
            tr = text.trend(r["value"], r["prev_value"], prev or 0, ind.decimals) if prev else None
            change = (
                f"{tr.arrow} {m.fmt_change(tr.delta)} {t('co.change_since', lang, year=prev)}" if tr else ""
            )
            rank = "" if pd.isna(r["rank"]) else ordinal(int(r["rank"]), int(r["n"]), lang)
            # issue #15: each value links to « D'où vient ce chiffre ? »
            # issue #14: a comparator without a value says why in words (fmt_comparator), unlinked
            cells = [
                _explained(
                    m.fmt(r[col]) if col == "value" else _comparator(ind, r, col, lang),
                    ind,
                    place if pd.notna(r[col]) else "",
                    r["year"],
                    lang,
                )
                for col, place in (
                    ("value", code),
                    ("home", data.home().code),
                    ("dep", dep),
                    ("scope", whole),
                )
            ]
            rows.append([link, str(r["year"]), *cells, change, rank])
        out.append(html.Div(table(header, rows, data.theme_label(theme, lang)), className="table-responsive"))
    return out


def uncovered_note(theme: str | None, lang: str) -> list[Any]:
    """The indicators (of ``theme``, or all) left out of the profile because their sources do
    not cover the home (issue #11: Île-de-France files), named once in a sentence; none in the
    metropolis."""
    out = []
    keys = {IDF: "co.uncovered", ELSEWHERE: "co.uncovered_elsewhere", ABSENT: "co.uncovered_absent"}
    for area, key in keys.items():
        ids = [i for i, a in profile.uncovered().items() if a == area]
        labels = [
            data.label(data.indicator(i), lang) for i in ids if not theme or data.indicator(i).theme == theme
        ]
        if labels:
            out.append(
                html.P(
                    t(key, lang, labels=(" ; " if lang == "fr" else "; ").join(labels)),
                    className="small text-body-secondary",
                )
            )
    return out


def _explained(text_value: str, ind: Any, place: str, year: Any, lang: str) -> Any:
    """A value linked to its explanation (no link for a missing value)."""
    if not place or text_value in ("n.d.", "n/a", ""):
        return text_value
    name = t("xp.link_label", lang, label=data.label(ind, lang), territory=data.name(place), year=year)
    return html.A(text_value, href=explain_href(ind.id, place, year, lang), **{"aria-label": name})


def summary(code: str, frame: pd.DataFrame, lang: str) -> html.Div:
    """« En bref »: the catalogue's headline indicators, in their declared order, beside the MGP."""
    intro, sentences = headlines.brief(frame, data.name(code), lang)
    return html.Div([html.P(intro, className="mb-1"), html.Ul([html.Li(s) for s in sentences])])


def locator(code: str, lang: str) -> tuple:
    ept = data.ept_of(code)
    home = data.home().code
    mine = ept == home or code in data.home().members  # a home outside the metropolis: its communes
    group = home if mine else ("MGP" if ept else data.dep_of(code))
    frame = pd.DataFrame({"code": data.members(group)})
    frame["name"] = frame["code"].map(data.name)
    outlines = (
        (f"outlines-{home}", [home]) if group == home else ("outlines-ept", [f"T{i}" for i in range(1, 13)])
    )
    title = t("co.locator", lang, name=data.name(code))
    territory = ept or (home if mine else None)
    alt = html.P(
        f"{data.name(code)} — {data.name(data.dep_of(code))}"
        + (f", {data.name(territory)}" if territory else "")
    )
    if not nomap.has_shapes(f"communes-{group}"):  # no shapes loaded here (issue #11)
        empty = Export(pd.DataFrame(), title, "", "", "")
        return nomap.no_shapes_card(Card.CO_LOCATOR, empty, {}, lang, alt, 300, embed=False, beside=False)
    fig = maps.locator(
        frame, geo.url(f"communes-{group}"), code, title, lang, geo.url(outlines[0]), outlines[1]
    )
    empty = Export(pd.DataFrame(), title, "", "", "")
    return cards.graph_card(Card.CO_LOCATOR, fig, empty, {}, lang, alt, embed=False)


@callback(
    *cards.body_outputs(Card.CO_SUMMARY),
    *cards.graph_outputs(Card.CO_LOCATOR),
    Input(ctx(PAGE), "data"),
)
def update_profile(context: dict) -> tuple:
    return profile_output(context["args"]["code"], context["lang"])


@data.cached
def profile_output(code: str, lang: str) -> tuple:
    """Summary and locator of a commune (memoised per data version)."""
    frame = profile.commune_profile(code)
    return cards.body_card(Card.CO_SUMMARY, summary(code, frame, lang), None, {"code": code}, lang) + locator(
        code, lang
    )


@callback(
    Output(CO_TABS, "children"),
    *cards.body_outputs(Card.CO_PROFILE),
    Input(param(PAGE, "theme"), "value"),
    Input(ctx(PAGE), "data"),
)
def update_theme(theme: str | None, context: dict) -> tuple:
    return theme_output(context["args"]["code"], theme or "", context["lang"])


@data.cached
def theme_output(code: str, theme: str, lang: str) -> tuple:
    """The theme links (the one in view marked) and the table of the theme in view."""
    theme = theme if theme in commune_themes.order() else commune_themes.order()[0]
    params = {"code": code, "theme": theme}  # sources and downloads of the theme in view
    export = profile_export(params, lang)
    tables = profile_tables(code, profile.commune_profile(code), lang, theme)
    return (view.theme_tabs(commune_themes.tabs(code, lang), theme, lang),) + cards.body_card(
        Card.CO_PROFILE, tables, export, params, lang
    )


def _comparator(ind: Any, row: dict, key: str, lang: str) -> str:
    """A comparator cell (issue #14): its value, « valeur publiée » when the producer published it
    for the area, or why it has none in words."""
    status, method = row.get(f"{key}_note") or ("", "")
    return fmt_comparator(
        row[key], ind.unit, ind.decimals, lang, status=status or None, method=method or None
    )
