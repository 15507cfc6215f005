"""Issue #9.1 on the territory page (``/``): « Fiche PDF », « Présenter » and « PowerPoint », the
fiche being the territory's (``/export/territoire/<code>.pdf``), served by the app itself."""

from __future__ import annotations

from dash.development.base_component import Component

from layouts import ids
from layouts.actions import fiche_href


def _find(node: object, wanted: dict) -> Component | None:
    """The component with id ``wanted`` in a layout tree."""
    if isinstance(node, Component):
        if getattr(node, "id", None) == wanted:
            return node
        node = getattr(node, "children", None)
    for child in node if isinstance(node, list | tuple) else [node] if node is not None else []:
        if isinstance(child, Component | list | tuple) and (found := _find(child, wanted)):
            return found
    return None


def _text(node: object) -> str:
    if isinstance(node, Component):
        return _text(getattr(node, "children", None))
    if isinstance(node, list | tuple):
        return "".join(_text(x) for x in node)
    return "" if node is None else str(node)


def test_fiche_href_by_kind_of_place():
    assert fiche_href("94081") == "/export/commune/94081.pdf"
    assert fiche_href("2A004") == "/export/commune/2A004.pdf"
    assert fiche_href("T12") == "/export/territoire/T12.pdf"
    assert fiche_href("MGP") == "/export/territoire/MGP.pdf"
    assert fiche_href("94081", "en") == "/export/commune/94081.pdf?lang=en"
    assert fiche_href("T12", "en") == "/export/territoire/T12.pdf?lang=en"


def test_overview_page_has_the_three_buttons(dash_app, client):
    from callbacks import overview
    from callbacks.registry import Request

    for lang, label in (("fr", "Fiche PDF"), ("en", "PDF profile")):
        layout = overview.build(Request("/", {}, {}, lang)).layout
        fiche = _find(layout, ids.place_action(overview.PAGE, "fiche"))
        assert fiche is not None and label in _text(fiche)
        # an English page links the English fiche (review R1, point 2)
        assert fiche.href == "/export/territoire/T12.pdf" + ("?lang=en" if lang == "en" else "")
        assert fiche.download == ""
        assert _find(layout, ids.place_action(overview.PAGE, "deck")) is not None
        assert _find(layout, ids.place_action(overview.PAGE, "pptx")) is not None
    # the link works in the app: a tagged two-page PDF of the home territory
    resp = client.get("/export/territoire/T12.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith('inline; filename="fiche-t12-grand-orly')


def test_chooser_counts_the_selected_indicators_like_the_menu():
    """Review R2.9: the menu says « 8 sélectionnés »; the hint starts from the same count, then says
    how many the deck shows and its slides (title and sources included)."""
    from callbacks.presentation import _count_text

    assert _count_text(8, 2, "fr") == (
        "8 indicateurs sélectionnés, 6 présenté(s) : 8 diapositives (titre et sources compris)."
    )
    assert _count_text(5, 0, "en") == "5 indicator(s) selected: 7 slides (title and sources included)."


def test_english_pages_link_the_english_fiche(dash_app):
    """Review R1, point 2: the buttons of a place and the /presentation chooser and deck link the
    fiche in the page's language."""
    from callbacks import presentation
    from callbacks.registry import Request
    from layouts.actions import place_actions

    assert place_actions("x", "94081", "emploi", "en").children[0].href == "/export/commune/94081.pdf?lang=en"
    assert place_actions("x", "T12", "emploi", "fr").children[0].href == "/export/territoire/T12.pdf"
    assert presentation.links("94081", [], "emploi", [], "en")["fiche"] == "/export/commune/94081.pdf?lang=en"
    assert presentation.links("94081", [], "emploi", [], "fr")["fiche"] == "/export/commune/94081.pdf"
    layout = presentation.build(
        Request("/presentation", {}, {"territoire": "94081", "theme": "emploi"}, "en")
    ).layout
    assert "/export/commune/94081.pdf?lang=en" in str(layout)
