"""A home whose communes have no shapes loaded (issue #11, review R2 point 5): the map cards say
so in plain words in the text flow (a ``no-map`` block, which ``assets/app.css`` uses to fold the
blank map away), offer no image of a blank map, and the PDF fiches have no empty map box."""

from __future__ import annotations

from pathlib import Path

import pytest

MESSAGE = "Pas de carte pour ce territoire : les contours de ses communes ne sont pas chargés."
JARGON = ("fond de carte", "départements 75", "Trait épais", "Cliquez sur une commune")


def _classes(component) -> list[str]:
    """Every className under a Dash component."""
    found = []
    stack = [component]
    while stack:
        c = stack.pop()
        if isinstance(c, list | tuple):
            stack.extend(c)
            continue
        name = getattr(c, "className", None)
        if name:
            found.append(name)
        children = getattr(c, "children", None)
        if children is not None:
            stack.append(children)
    return found


@pytest.mark.parametrize("where", ["carte", "overview"])
def test_map_cards_say_there_is_no_map_and_keep_the_list(pays_basque, where: str) -> None:
    from callbacks import carte, overview

    if where == "carte":
        out = carte.draw({"indicateur": "unemployment_rate"}, "fr")
    else:
        out = overview.draw_map({"indicateur": "unemployment_rate", "annee": "2018"}, "fr")
    alt = str(out[2])
    assert MESSAGE in alt and "Biarritz" in alt
    assert "no-map" in _classes(out[2])  # the CSS hook folding the blank map away
    assert not any(w in alt for w in JARGON)
    assert out[8] == "#" and out[9] == "#"  # no « Image PNG / SVG » of a blank map
    assert out[3] != "#"  # the values stay downloadable


def test_carte_subtitle_without_a_map(pays_basque, client) -> None:
    from callbacks.router import route

    _, layout, _, _ = route("/carte", "", None)
    text = str(layout)
    assert MESSAGE in text and "Cliquez sur une commune" not in text and "Trait épais" not in text
    en = str(route("/carte", "?lang=en", None)[1])
    assert "No map for this area" in en and "Thick line" not in en


def test_carte_subtitle_of_the_default_home_is_unchanged(default_home) -> None:
    from callbacks.router import route

    text = str(route("/carte", "", None)[1])
    assert "Cliquez sur une commune" in text and MESSAGE not in text


def test_commune_locator_says_it_in_the_text_flow(pays_basque) -> None:
    from callbacks import commune_profile

    out = commune_profile.locator("64122", "fr")
    source = out[1]
    assert MESSAGE in str(source) and "no-map" in _classes(source)
    assert "Pyrénées-Atlantiques" in str(source)
    assert out[8] == "#"


def test_css_folds_the_blank_map_away() -> None:
    css = (Path(__file__).resolve().parents[2] / "assets" / "app.css").read_text(encoding="utf-8")
    assert ".fig-card:has(.no-map) figure:has(> .chart-img)" in css
    assert 'a[id*="card-image"]' in css


@pytest.mark.parametrize("path", ["/export/commune/64122.pdf", "/export/territoire/200067106.pdf"])
def test_fiches_have_no_empty_map_box(pays_basque, client, path: str) -> None:
    from exports.fiche_html import fiche_html
    from exports.profile import profile

    resp = client.get(path)
    assert resp.status_code == 200 and resp.data[:4] == b"%PDF"
    from callbacks.engine import get_engine
    from exports.profile import TERRITORY_LEVELS

    code = path.rsplit("/", 1)[1].removesuffix(".pdf")
    levels = ("commune",) if "commune" in path else TERRITORY_LEVELS
    p = profile(get_engine(), code, levels, "fr")
    assert not p.has_map and p.map_credit == ""
    html = fiche_html(p)
    assert "<figure>" not in html and "Fond de carte" not in html


def test_fiches_of_the_default_home_keep_their_map(default_home) -> None:
    from callbacks.engine import get_engine
    from exports.profile import profile

    p = profile(get_engine(), "94081")
    assert p.has_map and p.map_credit


def test_catalogue_texts_name_no_home() -> None:
    """Definitions and limits are shown for any home: no figure of the default one (R2, point 7)."""
    folder = Path(__file__).resolve().parents[2] / "indicators" / "catalogue"
    text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.yaml"))
    for word in ("GOSB", "petites communes de la MGP", "small MGP communes", "MGP est donc partielle"):
        assert word not in text, word


def test_census_variables_absent_from_the_loaded_file_are_not_called_ile_de_france(pays_basque) -> None:
    from callbacks import commune_profile, data, profile
    from indicators import coverage

    areas = profile.uncovered()
    assert areas.get("jobseekers") == coverage.IDF  # France Travail: Île-de-France only
    census = [i for i, a in areas.items() if a == coverage.ABSENT]
    assert census, areas
    assert all(any(s.startswith("insee_") for s in data.indicator(i).sources) for i in census)
    text = " ".join(str(p) for p in commune_profile.uncovered_note(None, "fr"))
    assert "absents du fichier chargé pour ce territoire" in text
    en = " ".join(str(p) for p in commune_profile.uncovered_note(None, "en"))
    assert "not in the file loaded for this area" in en
