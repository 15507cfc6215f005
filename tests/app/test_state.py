"""Pure parts of the app: texts in both languages, ids, URL state, the page registry, URL ↔ controls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dash import no_update

from callbacks import registry
from callbacks.router import sync_state
from callbacks.state import build_query, href, lang_of, normalise_year, parse_query, split_list
from layouts import ids
from layouts.i18n import TEXT, norm_lang, ordinal, t

APP_DIRS = ("layouts", "callbacks", "figures")
REPO = Path(__file__).resolve().parents[2]


HOME_WORDS = {"home_name", "home_of_fr", "home_short", "home_title", "home_kind"}


def test_every_text_has_french_and_english():
    for key, (fr, en) in TEXT.items():
        assert fr.strip() and en.strip(), key
        fr_names, en_names = (set(re.findall(r"{(\w+)}", x)) for x in (fr, en))
        # values are the same in both languages; the home territory's words may differ by
        # grammar (« de Plaine Commune », « du Grand-Orly … » / "of Plaine Commune")
        assert {n for n in fr_names if not n.startswith("home_")} == {
            n for n in en_names if not n.startswith("home_")
        }, key
        assert (
            bool(fr_names & HOME_WORDS) == bool(en_names & HOME_WORDS)  # both name the home, or neither
        ), key
    assert t("nav.map", "en") == "Map" and t("nav.map") == "Carte"
    assert norm_lang("de") == "fr"


def test_ordinals():
    assert ordinal(1, 130, "fr") == "1er / 130" and ordinal(12, 130, "fr") == "12e / 130"
    assert ordinal(2, 130, "en") == "2nd of 130" and ordinal(11, 130, "en") == "11th of 130"


def test_pattern_ids():
    assert ids.param("carte", "annee") == {"type": "param", "page": "carte", "name": "annee"}
    assert ids.card_download("carte", "csv")["fmt"] == "csv"
    assert ids.card_graph("carte") != ids.card_alt("carte")


def test_no_component_id_written_outside_ids():
    """Component ids live in layouts/ids.py only (workspace/presentation modules are another team's)."""
    for folder in APP_DIRS:
        for path in (REPO / folder).glob("*.py"):
            if path.name in ("ids.py",) or "workspace" in path.name or "presentation" in path.name:
                continue
            assert not re.search(r"\bid=\"", path.read_text(encoding="utf-8")), path


def test_query_round_trip():
    state = {
        "indicateur": "unemployment_rate",
        "annee": "2022",
        "territoires": ["94081", "group:94041+94081"],
    }
    search = build_query(state, "en")
    assert search == "?indicateur=unemployment_rate&annee=2022&territoires=94081,group:94041+94081&lang=en"
    back = parse_query(search)
    assert back["indicateur"] == "unemployment_rate" and lang_of(search) == "en"
    assert split_list(back["territoires"]) == ["94081", "group:94041 94081"]  # '+' decodes to a space
    assert (
        build_query({}, "fr") == "" and href("/carte", {"perimetre": "mgp"}, "fr") == "/carte?perimetre=mgp"
    )


def test_registry_matches_paths():
    import callbacks  # noqa: F401 - registers the pages

    page, args = registry.match("/commune/94081")
    assert page.key == "commune" and args == {"code": "94081"}
    assert registry.match("/")[0].key == "overview"
    assert registry.match("/indicateurs/")[0].key == "catalogue"
    assert registry.match("/indicateurs/population")[1] == {"id": "population"}
    assert registry.match("/nowhere") is None
    nav = [p.key for p in registry.nav_pages()]
    assert nav[:6] == ["overview", "carte", "comparer", "catalogue", "presentation", "sources"]


@pytest.mark.usefixtures("dash_app")  # the vintages offered are the store's (issue #11)
def test_normalise_year_follows_the_indicator():
    state, options = normalise_year({"indicateur": "unemployment_rate", "annee": "2024"}, "fr")
    assert state["annee"] == "2022"
    assert [o["value"] for o in options["annee"]] == ["2022", "2018"]


def _ids(page: str, *names: str) -> list[dict]:
    return [ids.param(page, n) for n in names]


@pytest.mark.usefixtures("dash_app")  # the vintages offered are the store's (issue #11)
def test_sync_controls_push_a_new_url():
    search, values, options = sync_state(
        True,
        "?lang=en",
        ["population", "2022"],
        "/carte",
        _ids("carte", "indicateur", "annee"),
        [[], []],
        [{"defaults": {"indicateur": "unemployment_rate", "annee": "2022"}}],
    )
    assert search == "?indicateur=population&annee=2022&lang=en"
    assert values == [no_update, no_update]
    assert [o["value"] for o in options[1]][0] == "2022"


@pytest.mark.usefixtures("dash_app")  # the vintages offered are the store's (issue #11)
def test_sync_changing_indicator_fixes_the_year():
    search, values, _ = sync_state(
        True, "", ["median_income", "2022"], "/", _ids("overview", "indicateur", "annee"), [[], []], [{}]
    )
    assert values == [no_update, "2021"] and "annee=2021" in search


@pytest.mark.usefixtures("dash_app")  # the vintages offered are the store's (issue #11)
def test_sync_url_restores_controls_and_defaults():
    search, values, _ = sync_state(
        False,
        "",
        ["population", "2019"],
        "/carte",
        _ids("carte", "indicateur", "annee"),
        [[], []],
        [{"defaults": {"indicateur": "unemployment_rate", "annee": "2022"}}],
    )
    assert search is no_update and values == ["unemployment_rate", "2022"]


@pytest.mark.usefixtures("dash_app")  # the vintages offered are the store's (issue #11)
def test_sync_ignores_controls_of_another_page():
    out = sync_state(True, "", ["x"], "/carte", _ids("overview", "indicateur"), [[]], [{}])
    assert out[0] is no_update and out[1] == [no_update]
