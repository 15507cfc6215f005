"""Presentation mode (``/presentation``): page build, chooser callbacks, and the export blueprint.

* ``/presentation`` (no territory, or ``choisir=1``): the chooser, inside the app's navigation;
* ``/presentation?territoire=94081&theme=emploi&slide=3``: the deck, full window (no navigation);
  ``assets/presentation.js`` handles the keys, clicks, full screen and ``slide`` in the address.

Importing this module registers the page (``callbacks.registry``) and its callbacks (Dash's
global list, like the other pages); ``bp`` is the Flask blueprint of the ``/export/…`` files.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import Input, Output, no_update

import indicators as ind_api
from callbacks.engine import get_engine
from callbacks.registration import callback
from callbacks.registry import Page, PageError, PageResult, Request, register
from exports import data as deck_data
from exports.charts import figure
from exports.deck import PRESETS, ChoiceError, Choices, parse_choices, theme_indicators
from exports.routes import create_blueprint
from layouts import presentation as view

#: The ``/export/…`` routes on the app's engine (the lead registers it on the Flask server).
bp = create_blueprint(get_engine)
THEME_LABELS = {
    "emploi": "Emploi",
    "logement": "Logement",
    "economie": "Économie",
    "demographie": "Démographie",
}
SLIDE_FONT = 15  # px: readable from the back of a room at 1366×768, not crowded at 1920×1080


def options() -> tuple[
    list[dict[str, str]], list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]
]:
    """(territories, MGP communes, themes, indicators) for the chooser."""
    terr = ind_api.territories(get_engine())
    gosb = [(terr.names[c], c) for c in terr.communes_of("T12")]
    mgp = [(terr.names[c], c) for c in terr.communes_of("MGP") if c not in terr.communes_of("T12")]
    places = [
        {"label": "Grand-Orly Seine Bièvre (territoire, 24 communes)", "value": "T12"},
        {"label": "Métropole du Grand Paris", "value": "MGP"},
    ]
    places += [
        {"label": f"{terr.names[t]} (territoire {t})", "value": t} for t in terr.codes("ept") if t != "T12"
    ]
    places += [{"label": f"{n} (GOSB)", "value": c} for n, c in sorted(gosb)]
    places += [{"label": n, "value": c} for n, c in sorted(mgp)]
    communes = [{"label": n, "value": c} for n, c in sorted(gosb + mgp)]
    themes = [{"label": THEME_LABELS.get(k, k), "value": k} for k in PRESETS] + [
        {"label": "Sur mesure", "value": view.CUSTOM}
    ]
    catalogue = ind_api.catalogue()
    indicators = [
        {"label": f"{THEME_LABELS.get(i.theme, i.theme.capitalize())} · {i.label_fr}", "value": i.id}
        for i in catalogue.values()
    ]
    return places, communes, themes, indicators


def links(
    territory: str | None, group: list[str] | None, theme: str | None, indicators: list[str] | None
) -> dict[str, str | None]:
    """Links of the chooser: present, PPTX, PDF, fiche (communes) and a hint when incomplete."""
    members = sorted(set(group or []))
    code = ("group:" + "+".join(members)) if len(members) >= 2 else (territory or "")
    chosen = tuple(indicators or ())
    if theme and theme != view.CUSTOM and not chosen:
        chosen = theme_indicators(theme)
    if not code or not chosen:
        hint = "Choisissez un territoire." if not code else "Choisissez au moins un indicateur."
        return {"launch": None, "pptx": None, "pdf": None, "fiche": None, "hint": hint}
    choices = Choices(code, chosen, theme if theme != view.CUSTOM else None)
    query = choices.query()
    # The profile exists for communes only (not Paris arrondissements, territories or groups).
    fiche = (
        f"/export/commune/{code}.pdf"
        if code.isdigit() and len(code) == 5 and not code.startswith("751")
        else None
    )
    return {
        "launch": f"/presentation?{query}",
        "pptx": f"/export/presentation.pptx?{query}",
        "pdf": f"/export/presentation.pdf?{query}",
        "fiche": fiche,
        "hint": f"{len(chosen)} indicateur(s), {len(chosen) + 2} diapositives.",
    }


def _state(query: dict[str, str]) -> dict[str, Any]:
    raw = query.get("territoire", "")
    group = raw[len("group:") :].replace(" ", "+").split("+") if raw.lower().startswith("group:") else []
    listed = [i for i in query.get("indicateurs", "").split(",") if i]
    theme = query.get("theme") or (None if listed else "emploi")
    return {
        "territory": None if group else (raw or "T12"),
        "group": group,
        "theme": theme or view.CUSTOM,
        "indicators": listed or (list(theme_indicators(theme)) if theme in PRESETS else []),
    }


def build(req: Request) -> PageResult:
    query = dict(req.query)
    if not query.get("territoire") or query.get("choisir"):
        state = _state(query)
        places, communes, themes, indicators = options()
        return PageResult(
            view.chooser(
                places,
                communes,
                themes,
                indicators,
                state,
                links(state["territory"], state["group"], state["theme"], state["indicators"]),
            ),
            "Mode présentation",
        )
    try:
        choices = parse_choices(query)
        deck = deck_data.deck(get_engine(), choices)
    except ChoiceError as exc:
        raise PageError(
            f"Présentation impossible : {exc}", [("/presentation", "Choisir un territoire")]
        ) from None
    figures = {s.number: figure(s.chart, font_size=SLIDE_FONT) for s in deck.slides if s.chart is not None}
    q = choices.query()
    edit = {k: v for k, v in query.items() if k != "slide"} | {"choisir": "1"}
    code = deck.place.code
    page_links = {
        "pptx": f"/export/presentation.pptx?{q}",
        "pdf": f"/export/presentation.pdf?{q}",
        "fiche": f"/export/commune/{code}.pdf" if deck.place.level == "commune" else None,
        "edit": "/presentation?" + urlencode(edit, safe=",:+"),
    }
    return PageResult(view.deck(deck, figures, page_links, active=choices.slide), deck.title, chrome=False)


register(Page(key=view.PAGE, path="/presentation", build=build, order=70))


@callback(Output(view.PRES_INDICATORS, "value"), Input(view.PRES_THEME, "value"), prevent_initial_call=True)
def fill_theme(theme: str | None) -> Any:
    """A ready-made theme fills the indicator list (which can then be edited)."""
    if not theme or theme == view.CUSTOM:
        return no_update
    return list(theme_indicators(theme))


@callback(
    Output(view.PRES_LAUNCH, "href"),
    Output(view.PRES_PPTX, "href"),
    Output(view.PRES_PDF, "href"),
    Output(view.PRES_FICHE, "href"),
    Output(view.PRES_FICHE, "hidden"),
    Output(view.PRES_HINT, "children"),
    Input(view.PRES_TERRITORY, "value"),
    Input(view.PRES_GROUP, "value"),
    Input(view.PRES_THEME, "value"),
    Input(view.PRES_INDICATORS, "value"),
)
def update_links(
    territory: str | None, group: list[str] | None, theme: str | None, indicators: list[str] | None
) -> tuple:
    found = links(territory, group, theme, indicators)
    return (
        found["launch"] or "#",
        found["pptx"] or "#",
        found["pdf"] or "#",
        found["fiche"] or "#",
        not found["fiche"],
        found["hint"],
    )
