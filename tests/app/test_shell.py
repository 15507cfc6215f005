"""The shell (issue #9 points 1, 6, 7, 12): the search ranking, the comparer's list parsing and
picker message, the « Présentation » entry, and real 404 statuses with the friendly page."""

from __future__ import annotations

import pytest
from dash import no_update

from callbacks.search import Entry, normalise, rank

# --- search ranking (pure) ----------------------------------------------------------------------

SAMPLE = [
    Entry("commune:93039", "L'Île-Saint-Denis (93039)", "commune", ("L'Île-Saint-Denis", "93039")),
    Entry("commune:93046", "Livry-Gargan (93046)", "commune", ("Livry-Gargan", "93046")),
    Entry("commune:94041", "Ivry-sur-Seine (94041)", "commune", ("Ivry-sur-Seine", "94041")),
    Entry("commune:93066", "Saint-Denis (93066)", "commune", ("Saint-Denis", "93066")),
    Entry("territory:D93", "Seine-Saint-Denis (93)", "territory", ("Seine-Saint-Denis", "D93", "93")),
    Entry("commune:94081", "Vitry-sur-Seine (94081)", "commune", ("Vitry-sur-Seine", "94081")),
]


def test_normalise_folds_accents_case_hyphens_apostrophes_and_saint():
    assert normalise("L'Haÿ-les-Roses") == "l hay les roses"
    assert normalise("  St-Maur-des-Fossés ") == "saint maur des fosses"
    assert normalise("STE GENEVIÈVE") == "sainte genevieve"
    assert normalise("Cœur") == "coeur"
    assert normalise("first") == "first"  # « st » only as a whole word


@pytest.mark.parametrize("query", ["Ivry", "ivry", "IVRY", "ivry-sur", "Ivry sur Seine"])
def test_prefix_comes_before_substring(query):
    assert rank(query, SAMPLE)[0].value == "commune:94041"
    if query.lower() == "ivry":
        assert [e.value for e in rank(query, SAMPLE)] == ["commune:94041", "commune:93046"]


@pytest.mark.parametrize(
    "query", ["Saint-Denis", "saint denis", "St-Denis", "st denis", "SAINT DENIS", "st-denis"]
)
def test_exact_name_first_whatever_the_spelling(query):
    found = [e.value for e in rank(query, SAMPLE)]
    assert found[0] == "commune:93066"
    assert set(found) == {"commune:93066", "commune:93039", "territory:D93"}


def test_codes_and_no_match():
    assert rank("94081", SAMPLE)[0].value == "commune:94081"
    assert rank("93", SAMPLE)[0].value == "territory:D93"  # the department number, exactly
    assert rank("zzz", SAMPLE) == []
    assert rank("", SAMPLE, limit=2) == SAMPLE[:2]


@pytest.mark.parametrize(
    ("query", "lang", "first"),
    [
        ("Ivry", "fr", "commune:94041"),
        ("saint denis", "fr", "commune:93066"),
        ("St-Denis", "fr", "commune:93066"),
        ("st denis", "fr", "commune:93066"),
        ("vitry", "fr", "commune:94081"),
        ("creteil", "fr", "commune:94028"),
        ("hay les roses", "fr", "commune:94038"),
        ("chomage", "fr", "indicator:unemployment_rate"),
        ("Chômage", "fr", "indicator:unemployment_rate"),
        ("unemployment", "en", "indicator:unemployment_rate"),
        ("T12", "fr", "territory:T12"),
        ("t12", "fr", "territory:T12"),
        ("grand orly", "fr", "territory:T12"),
        ("GOSB", "fr", "territory:T12"),
        ("val de marne", "fr", "territory:D94"),
        ("MGP", "fr", "territory:MGP"),
        ("Paris", "fr", "commune:75056"),
    ],
)
def test_real_entries(dash_app, query, lang, first):
    from callbacks import search

    found = search.rank(query, search.entries(lang))
    assert found and found[0].value == first, [e.label for e in found[:5]]


def test_suggestions_survive_the_browser_filter_and_open_the_right_page(dash_app):
    from callbacks import search

    opts = search.suggest("St-Denis", "")
    assert opts[0]["label"] == "Saint-Denis (93066)"
    # Dash's dropdown keeps an option only if each typed word is inside its value, label or search
    assert all("st-denis" in o["search"].split() for o in opts)
    assert len(search.suggest(None, "?lang=en")) == 130  # empty box: the communes
    assert search.go_to("commune:94041", "?lang=en") == ("/commune/94041", "?lang=en", None)
    assert search.go_to("territory:T12", "") == ("/", "", None)
    assert search.go_to("territory:T5", "")[:2] == ("/comparer", "?territoires=T5,T12,MGP")
    assert search.go_to("indicator:jobs", "")[0] == "/indicateurs/jobs"
    assert search.go_to(None, "") == (no_update, no_update, no_update)


# --- comparer: URL list, picker message, clearing -------------------------------------------------


def test_parse_places_drops_unknown_codes_and_keeps_the_rest(dash_app):
    from callbacks import comparer, data

    resolve = data.territories().resolve
    known, unknown, extra = comparer.parse_places(
        ["94081", "T99", "T12", "94081", "group:94041 94028", "x y"], resolve
    )
    assert known == ["94081", "T12", "group:94028+94041"]
    assert unknown == ["T99", "x y"]
    assert extra == []
    known, _, extra = comparer.parse_places(["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"], resolve)
    assert known == ["T1", "T2", "T3", "T4", "T5", "T6"] and extra == ["T7", "T8"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unknown_codes_in_the_url_give_a_notice_and_the_rest(dash_app, lang):
    from callbacks.router import render
    from tests.app.test_callbacks import texts

    result = render("/comparer", f"?territoires=94081,T99,MGP&lang={lang}")
    body = texts(result.layout)
    assert result.title in ("Comparer des territoires", "Compare areas")
    assert "T99" in body and ("inconnu" in body if lang == "fr" else "Unknown" in body)
    assert "unknown territory" not in body  # never the developer's message


def test_picker_message_at_the_maximum():
    from callbacks.comparer import max_notice
    from callbacks.router import dropped

    six = ["T1", "T2", "T3", "T4", "T5", "T6"]
    pid = [
        {"type": "param", "page": "comparer", "name": "territoires"},
        {"type": "param", "page": "comparer", "name": "indicateur"},
    ]
    # the router cut a 7th territory: it says which
    assert dropped([[*six, "T7"], "jobs"], [six, no_update], pid) == {"territoires": ["T7"]}
    assert dropped([six, "jobs"], [no_update, no_update], pid) is None
    labels = {"T7": "Paris Terres d'Envol (T7)"}
    assert "« Paris Terres d'Envol (T7) » n'a pas été ajouté" in max_notice(six, ["T7"], labels, "fr")
    assert max_notice(six, [], labels, "en").startswith("Maximum reached")
    assert max_notice(six[:3], [], labels, "fr") == ""


def test_clearing_the_picker_empties_the_charts(dash_app):
    from callbacks import comparer

    for update in (comparer.update_series, comparer.update_bars):
        fig, source, alt, csv, xlsx, embed, *_ = update([], "population", {"lang": "fr"})
        assert not [tr for tr in fig.data if getattr(tr, "x", None) is not None and len(tr.x)]
        assert "Aucun territoire" in alt and csv == "#" and source == ""


def test_dropdown_texts_are_translated():
    from layouts.i18n import dropdown_labels

    fr = dropdown_labels("fr")
    assert fr["select_all"] == "Tout sélectionner" and fr["selected_count"] == "{num_selected} sélectionnés"
    assert set(fr) == {
        "select_all",
        "deselect_all",
        "selected_count",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    }
    assert dropdown_labels("en")["clear_selection"] == "Clear selection"


# --- navigation and HTTP statuses -------------------------------------------------------------------


def test_presentation_is_in_the_navigation(dash_app):
    from callbacks.router import route
    from tests.app.test_callbacks import texts

    for lang, label in (("fr", "Présentation"), ("en", "Presentation")):
        nav, page, *_ = route("/presentation", "?lang=en" if lang == "en" else "", None)
        assert label in texts(nav) and "/presentation" in texts(nav)
        assert ("Lancer la présentation" if lang == "fr" else "Start the presentation") in texts(page)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/commune/94081", 200),
        ("/commune/94081?lang=en", 200),
        ("/commune/99999", 404),
        ("/commune/99999?lang=en", 404),
        ("/indicateurs/unemployment_rate", 200),
        ("/indicateurs/nope", 404),
        ("/carte?indicateur=nope", 404),
        ("/commune/94081?annee=1900", 404),
        ("/nope", 404),
        ("/comparer?territoires=94081,T99", 200),  # the rest is shown, with a notice
        ("/presentation", 200),
        ("/presentation?territoire=94081&theme=emploi", 200),
        ("/presentation?territoire=99999&theme=emploi", 404),
        ("/embed/inconnu", 404),
    ],
)
def test_http_status_of_pages(client, url, status):
    resp = client.get(url)
    assert resp.status_code == status
    assert resp.mimetype == "text/html" and "_dash-config" in resp.get_data(as_text=True)  # the shell


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_export_of_an_unknown_commune_is_a_friendly_404(client, lang):
    resp = client.get(f"/export/commune/99999.pdf?lang={lang}", headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    assert ("Export impossible" if lang == "fr" else "Export not available") in body
    assert f"lang='{lang}'" in body and "href='/presentation" in body and "Traceback" not in body
