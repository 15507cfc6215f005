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

from dash import Input, Output, State, no_update

import indicators as ind_api
from callbacks import data
from callbacks.data import fold
from callbacks.engine import get_engine
from callbacks.registration import callback
from callbacks.registry import Page, PageError, PageResult, Request, register
from callbacks.state import lang_of
from exports import data as deck_data
from exports.chart_figure import figure
from exports.deck import left_out_text
from exports.deck_choices import PRESETS, ChoiceError, Choices, parse_choices, theme_indicators
from exports.grammar_en import place_name
from exports.messages_en import by_commune
from exports.routes import create_blueprint
from layouts import ids
from layouts import presentation as view
from layouts.actions import fiche_href
from layouts.i18n import norm_lang, t

#: The ``/export/…`` routes on the app's engine (the lead registers it on the Flask server).
bp = create_blueprint(get_engine)
THEME_LABELS = {
    "emploi": "Emploi",
    "logement": "Logement",
    "economie": "Économie",
    "demographie": "Démographie",
}
SLIDE_FONT = 15  # px: readable from the back of a room at 1366×768, not crowded at 1920×1080


def options(
    lang: str = "fr",
) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """(territories, MGP communes, themes, indicators) for the chooser, labelled in ``lang``."""
    terr = ind_api.territories(get_engine())
    home = data.home()
    gosb = [(terr.names[c], c) for c in home.members]  # the home's communes
    # issue #11: the metropolis' communes only for a home in it
    others = terr.communes_of("MGP") if home.in_metropolis else ()
    mgp = [(terr.names[c], c) for c in others if c not in home.members]
    by_name = lambda pair: fold(pair[0])  # noqa: E731 - « Île » sorts with « I »
    places = [{"label": t("pres.gosb", lang), "value": home.code}]
    if home.in_metropolis:
        places.append({"label": data.name("MGP", lang), "value": "MGP"})
    # the home's peers: the 12 territories, or the intercommunalities of its region
    peer_key = "pres.ept" if home.in_metropolis else "pres.epci"
    places += [
        {"label": t(peer_key, lang, name=terr.names.get(c, c), code=c), "value": c}
        for c in data.peers()
        if c != home.code
    ]
    places += [{"label": f"{n} ({home.short})", "value": c} for n, c in sorted(gosb, key=by_name)]
    places += [{"label": n, "value": c} for n, c in sorted(mgp, key=by_name)]
    communes = [{"label": n, "value": c} for n, c in sorted(gosb + mgp, key=by_name)]
    all_themes = ind_api.themes()

    def theme_name(key: str) -> str:
        theme = all_themes.get(key)
        if lang == "en" and theme is not None:
            return theme.label_en
        return THEME_LABELS.get(key) or (theme.label_fr if theme is not None else key.capitalize())

    themes = [{"label": theme_name(k), "value": k} for k in PRESETS]
    themes.append({"label": t("pres.custom", lang), "value": view.CUSTOM})
    indicators = [
        {"label": f"{theme_name(i.theme)} · {i.label_en if lang == 'en' else i.label_fr}", "value": i.id}
        for i in ind_api.catalogue().values()
    ]
    return places, communes, themes, indicators


def links(
    territory: str | None,
    group: list[str] | None,
    theme: str | None,
    indicators: list[str] | None,
    lang: str = "fr",
) -> dict[str, str | None]:
    """Links of the chooser: present, PPTX, PDF, fiche (communes) and a hint when incomplete."""
    members = sorted(set(group or []))
    code = ("group:" + "+".join(members)) if len(members) >= 2 else (territory or "")
    chosen = tuple(indicators or ())
    if theme and theme != view.CUSTOM and not chosen:
        chosen = theme_indicators(theme)
    if not code or not chosen:
        hint = t("pres.need_place" if not code else "pres.need_indicator", lang)
        return {"launch": None, "pptx": None, "pdf": None, "fiche": None, "hint": hint}
    # the deck and its files in the chooser's language (``lang=en`` in every link)
    choices = Choices(code, chosen, theme if theme != view.CUSTOM else None, lang=norm_lang(lang))
    query = choices.query()
    # The profile exists for communes only (not Paris arrondissements, territories or groups).
    fiche = (
        fiche_href(code, choices.lang)
        if code.isdigit() and len(code) == 5 and not code.startswith("751")
        else None
    )
    left, notes = _coverage(choices)
    return {
        "launch": f"/presentation?{query}",
        "pptx": f"/export/presentation.pptx?{query}",
        "pdf": f"/export/presentation.pdf?{query}",
        "fiche": fiche,
        "hint": " ".join([_count_text(len(chosen), left, lang), *notes]),
    }


def _count_text(chosen: int, left: int, lang: str) -> str:
    """« 8 indicateurs sélectionnés, 6 présentés : 8 diapositives (titre et sources compris) »: the
    same count as the menu's « 8 sélectionnés », then what the deck keeps (plus its title and
    sources slides)."""
    shown = chosen - left
    if left:
        return t("pres.hint_left", lang, chosen=chosen, n=shown, slides=shown + 2)
    return t("pres.hint", lang, n=shown, slides=shown + 2)


def _coverage(choices: Choices) -> tuple[int, list[str]]:
    """How many indicators the deck leaves out (a ready-made deck skips those without a value for
    the place nor its communes) and what the chooser says of them and of the slides that show the
    member communes instead (review R1.1), in the deck's language; cached per data version."""

    def compute() -> tuple[int, list[str]]:
        try:
            place, facts, left = deck_data.deck_facts(get_engine(), choices)
        except ChoiceError:
            return 0, []
        lang = choices.lang
        known = ind_api.catalogue()
        communes = [known[f.indicator.id] for f in facts if by_commune(f)]
        name = place_name(place) if lang == "en" else place.name
        notes = [left_out_text(place, left, lang)] if left else []
        if communes:
            labels = [i.label_en if lang == "en" else i.label_fr for i in communes]
            notes.append(
                t("deck.by_commune", lang, place=name, labels=("; " if lang == "en" else " ; ").join(labels))
            )
        return len(left), notes

    return data.memoised(("deck-coverage", choices.query()), compute)


def _state(query: dict[str, str]) -> dict[str, Any]:
    raw = query.get("territoire", "")
    group = raw[len("group:") :].replace(" ", "+").split("+") if raw.lower().startswith("group:") else []
    listed = [i for i in query.get("indicateurs", "").split(",") if i]
    theme = query.get("theme") or (None if listed else "emploi")
    return {
        "territory": None if group else (raw or data.home().code),
        "group": group,
        "theme": theme or view.CUSTOM,
        "indicators": listed or (list(theme_indicators(theme)) if theme in PRESETS else []),
    }


def _deck(choices: Any) -> tuple[Any, dict[int, dict[str, Any]]]:
    """The deck's facts and its slides' figures (as plotly JSON), cached per data version: every
    official opening the same deck shares one computation (0.66 s alone, most of it building the
    figures), in every worker when the cache is Redis."""

    def compute() -> tuple[Any, dict[int, dict[str, Any]]]:
        deck = deck_data.deck(get_engine(), choices)
        figures = {
            s.number: figure(s.chart, font_size=SLIDE_FONT).to_plotly_json()
            for s in deck.slides
            if s.chart is not None
        }
        return deck, figures

    return data.memoised(("deck", choices.query()), compute)


def build(req: Request) -> PageResult:
    query = dict(req.query)
    if not query.get("territoire") or query.get("choisir"):
        state = _state(query)
        places, communes, themes, indicators = options(req.lang)
        found = links(state["territory"], state["group"], state["theme"], state["indicators"], req.lang)
        return PageResult(
            view.chooser(places, communes, themes, indicators, state, found, req.lang),
            t("nav.presentation", req.lang),
        )
    try:
        choices = parse_choices({**query, "lang": req.lang})
        deck, figures = _deck(choices)
    except ChoiceError as exc:
        back = "/presentation" + ("?lang=en" if req.lang == "en" else "")
        raise PageError(
            t("pres.error", req.lang, message=exc), [(back, t("pres.choose", req.lang))]
        ) from None
    q = choices.query()
    edit = {k: v for k, v in query.items() if k != "slide"} | {"choisir": "1"}
    code = deck.place.code
    page_links = {
        "pptx": f"/export/presentation.pptx?{q}",
        "pdf": f"/export/presentation.pdf?{q}",
        "fiche": fiche_href(code, choices.lang) if deck.place.level == "commune" else None,
        "edit": "/presentation?" + urlencode(edit, safe=",:+"),
    }
    return PageResult(view.deck(deck, figures, page_links, active=choices.slide), deck.title, chrome=False)


def check(req: Request) -> None:
    """The deck's territory and indicators exist (``PageError`` otherwise); the chooser always does."""
    query = dict(req.query)
    if not query.get("territoire") or query.get("choisir"):
        return
    try:
        deck_data.place(get_engine(), parse_choices(query).territory)
    except ChoiceError as exc:
        raise PageError(t("pres.error", req.lang, message=exc)) from None


register(
    Page(key=view.PAGE, path="/presentation", build=build, nav="nav.presentation", order=55, check=check)
)


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
    State(ids.URL, "search"),
)
def update_links(
    territory: str | None,
    group: list[str] | None,
    theme: str | None,
    indicators: list[str] | None,
    search: str | None = None,
) -> tuple:
    found = links(territory, group, theme, indicators, lang_of(search))
    return (
        found["launch"] or "#",
        found["pptx"] or "#",
        found["pdf"] or "#",
        found["fiche"] or "#",
        not found["fiche"],
        found["hint"],
    )
