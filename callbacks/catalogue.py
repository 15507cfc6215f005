"""Indicator catalogue (``/indicateurs``) and one indicator with all its values (``/indicateurs/<id>``)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Input, dash_table, html
from dash.dash_table.Format import Format, Group, Scheme

import indicators as ind_api
from callbacks import cards, common, data
from callbacks.exports import Export, download
from callbacks.registration import callback
from callbacks.registry import Page, PageResult, Request, register
from callbacks.state import href, year_options
from etl.registry import variables as declared_variables
from indicators.formatting import STATUS_TEXT, unit_label
from indicators.formula import Term
from layouts import catalogue as view
from layouts.i18n import t
from layouts.ids import INDICATOR_TABLE, Card, ctx, param
from layouts.links import explain_href

PAGE = view.PAGE
LEVELS = ("ept", "departement", "mgp")


def build_list(req: Request) -> PageResult:
    lang = req.lang
    themes = []
    for theme_id, theme in ind_api.themes().items():
        items = []
        for ind_id in theme.indicators:
            ind = data.indicator(ind_id)
            years = ind.years
            span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
            definition = ind.definition_en if lang == "en" else ind.definition_fr
            items.append(
                {
                    "href": href(f"/indicateurs/{ind_id}", {}, lang),
                    "label": data.label(ind, lang),
                    "definition": definition,
                    "years": span,
                }
            )
        themes.append({"label": data.theme_label(theme_id, lang), "indicators": items})
    return PageResult(view.catalogue_layout(lang, themes), t("cat.title", lang))


def variable_label(variable: str, lang: str) -> str:
    """A variable's label in ``lang`` (``etl/variables/*.yaml``), its code if undeclared."""
    spec = declared_variables().get(variable)
    return (spec.label_en if lang == "en" else spec.label_fr) if spec else variable


def expression_text(terms: tuple[Term, ...], lang: str) -> str:
    """« Chômeurs de 15 à 64 ans + 2 × … »: a sum of variables, by their labels."""
    out = ""
    for i, term in enumerate(terms):
        mag = abs(term.coef)
        label = variable_label(term.variable, lang)
        body = label if mag == 1 else f"{mag:g} × {label}"
        sign = "−" if term.coef < 0 else "+"
        out += (f"− {body}" if term.coef < 0 else body) if i == 0 else f" {sign} {body}"
    return out


def formula_text(ind: Any, lang: str = "fr") -> str:
    """« 100 × (Chômeurs de 15 à 64 ans) / (Actifs de 15 à 64 ans) »: the formula in words (the
    variables' labels; their codes are listed beside it, ``variables_text``)."""
    f = ind.formula
    num = expression_text(f.numerator, lang)
    scale = f"{f.scale:g} × " if f.scale != 1 else ""
    if f.kind == "ratio":
        return f"{scale}({num}) / ({expression_text(f.denominator, lang)})"
    if f.kind == "change":
        bases = ", ".join(f"{y} / {b}" for y, b in f.base_years)
        kind = t("cat.change_annual" if f.annualised else "cat.change", lang)
        year = t("cat.year_word", lang)
        colon = " : " if lang == "fr" else ": "
        return f"{kind}{colon}{scale}(({num})[{year}] / ({num})[base] − 1)  —  {bases}"
    return f"{scale}{num}" if f.kind == "count" else num


def variables_text(ind: Any, lang: str) -> str:
    """« med_uc : Niveau de vie médian »: the codes of the variables read (downloads, API)."""
    colon = " : " if lang == "fr" else ": "
    return " · ".join(f"{v}{colon}{variable_label(v, lang)}" for v in ind.formula.variables)


def page_state(req: Request) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    ind = common.check_indicator(req.args.get("id"), req.lang)
    year = common.check_year(ind, req.query.get("annee"), req.lang)
    return {"annee": year}, {"annee": str(data.home_year(ind))}, {"id": ind.id}


def build_one(req: Request) -> PageResult:
    lang = req.lang
    state, defaults, args = page_state(req)
    ind = data.indicator(args["id"])
    theme = ind_api.themes().get(ind.theme)
    srcs = data.sources(list(ind.sources))
    unit = unit_label(ind.unit, lang) or ("nombre" if lang == "fr" else "count")
    meta = {
        "id": ind.id,
        "label": data.label(ind, lang),
        "definition": ind.definition_en if lang == "en" else ind.definition_fr,
        "formula": formula_text(ind, lang),
        "variables": variables_text(ind, lang),
        "unit": unit,
        "years": ", ".join(map(str, ind.years)),
        "aggregation": t("cat.aggregable" if ind.aggregable else "cat.not_aggregable", lang),
        # issue #9.10: first the one line naming the datasets it reads, then the files' pages
        "sources": [(data.credit_of(ind, lang, ind.years, ind.sources), None)]
        + [
            (
                " — ".join(x for x in (s["title_en"] if lang == "en" else s["title_fr"], s["licence"]) if x),
                s.get("page_url"),
            )
            for s in srcs
        ],
        "notes": ind.notes_en if lang == "en" else ind.notes_fr,
        "limits": (theme.limits_en if lang == "en" else theme.limits_fr) if theme else "",
    }
    back = href("/indicateurs", {}, lang)
    layout = view.indicator_layout(lang, meta, year_options(ind.id), state, defaults, back)
    return PageResult(layout, meta["label"])


register(Page(key="catalogue", path="/indicateurs", build=build_list, nav="nav.indicators", order=50))
register(Page(key=PAGE, path="/indicateurs/<id>", build=build_one, order=51, check=page_state))


@download(Card.IND_TABLE)
def table_export(params: dict[str, Any], lang: str) -> Export:
    ind = data.indicator(params["id"])
    year = common.safe_year(ind, params.get("annee"))
    home = data.home()
    if home.in_metropolis:
        parts = [data.ranking(ind.id, year, "mgp")]
        parts += [data.ranking(ind.id, year, level) for level in ("peers", "departement")]
        parts.append(data.values(ind.id, ["MGP"], year))
    else:  # issue #11: its communes, its peers (the EPCIs of its region), its reference areas
        parts = [data.ranking(ind.id, year, level) for level in ("home", "peers")]
        parts.append(data.values(ind.id, list(home.references), year))
    frame = pd.concat(parts, ignore_index=True)
    title = common.full_title(ind, lang, t("cat.table", lang, year=year))
    return common.values_export(frame, ind, lang, title, extra=("level",))


def status_text(status: str | None, lang: str) -> str:
    """Readable status of a value (nothing for a plain ``ok``)."""
    if status in (None, "ok"):
        return ""
    return (
        STATUS_TEXT.get(status, {}).get(lang, status)
        if status in STATUS_TEXT
        else {
            "partial": "partiel" if lang == "fr" else "partial",
            "suspect": "à vérifier" if lang == "fr" else "to check",
        }.get(status, status)
    )


def datatable(export: Export, ind: Any, lang: str) -> dash_table.DataTable:
    """A sortable, filterable table with numbers in the French or English format."""
    cols = common.COLS[lang]
    frame = export.frame.copy()
    frame[cols["level"]] = frame[cols["level"]].map(lambda lv: t(f"level.{lv}", lang))
    frame[cols["status"]] = frame[cols["status"]].map(lambda st: status_text(st, lang))
    fmt = Format(precision=ind.decimals, scheme=Scheme.fixed, group=Group.yes)
    if lang == "fr":
        fmt = fmt.group_delimiter("\u00a0").decimal_delimiter(",")
    shown = [cols["name"], cols["code"], cols["level"], cols["value"], cols["status"]]
    columns = [
        {
            "id": c,
            "name": c.capitalize(),
            "type": "numeric" if c == cols["value"] else "text",
            **({"format": fmt} if c == cols["value"] else {}),
        }
        for c in shown
    ]
    columns[3]["name"] = (
        f"{t('col.value', lang)} ({unit_label(ind.unit, lang)})"
        if unit_label(ind.unit, lang)
        else t("col.value", lang)
    )
    # issue #15: each row links to « D'où vient ce chiffre ? » (a markdown cell holds the link)
    frame["xp"] = [
        f"[{t('xp.link', lang)}]({explain_href(ind.id, code, year, lang)})" if pd.notna(value) else ""
        for code, year, value in zip(
            frame[cols["code"]], frame[cols["year"]], frame[cols["value"]], strict=True
        )
    ]
    shown.append("xp")
    columns.append({"id": "xp", "name": t("xp.title", lang), "presentation": "markdown"})
    return dash_table.DataTable(
        id=INDICATOR_TABLE,
        data=frame[shown].to_dict("records"),
        columns=columns,
        sort_action="native",
        filter_action="native",
        # every row on one page: the table's page buttons have no accessible name (axe
        # "button-name"), and ~170 rows stay light
        page_action="none",
        filter_options={"case": "insensitive", "placeholder_text": t("cat.filter", lang)},
        style_cell={"fontFamily": "system-ui, sans-serif", "padding": "4px 8px", "textAlign": "left"},
        style_cell_conditional=[{"if": {"column_id": cols["value"]}, "textAlign": "right"}],
        style_header={"fontWeight": "bold"},
        style_table={"overflowX": "auto"},
    )


@callback(*cards.body_outputs(Card.IND_TABLE), Input(param(PAGE, "annee"), "value"), Input(ctx(PAGE), "data"))
def update_table(year: str, context: dict) -> tuple:
    lang = context["lang"]
    ind = data.indicator(context["args"]["id"])
    return table_output(ind.id, str(common.safe_year(ind, year)), lang)


@data.cached
def table_output(ind_id: str, year: str, lang: str) -> tuple:
    ind = data.indicator(ind_id)
    params = {"id": ind_id, "annee": year}
    export = table_export(params, lang)
    body: Any = datatable(export, ind, lang)
    area = data.uncovered(ind)
    if area:  # issue #11: say why the home's rows are empty (a source covering Île-de-France only)
        body = html.Div([html.P(t(f"cov.{area}", lang), className="alert alert-info", role="note"), body])
    return cards.body_card(Card.IND_TABLE, body, export, params, lang)
