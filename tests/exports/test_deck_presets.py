"""Ready-made decks of a territory (review R1): indicators without a value for the place show its
communes or are left out and said so; short reasons right for every indicator; charts drawing part
of the places say which; absolute links and each source once in the notes; the PDF downloads; the
page number never wraps."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from pptx import Presentation

from config.texts import t
from exports import data
from exports.charts import chart_spec
from exports.deck import absolute, left_out_text, spoken
from exports.deck_choices import parse_choices
from exports.deck_html import deck_html
from exports.messages import key_message
from exports.messages_en import by_commune
from exports.model import Facts, Reading
from exports.routes import create_blueprint
from indicators.catalogue import get_indicator
from layouts import presentation as view
from tests.exports.helpers import GOSB, GOSB_COMMUNES, MGP, commune

HOST = "https://observatoire.example.org/"


@pytest.fixture(scope="module")
def client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    return app.test_client()


def test_territory_income_deck_shows_the_member_communes(store_engine):
    deck = data.deck(store_engine, parse_choices({"territoire": "T12", "theme": "revenus"}))
    slides = {s.indicator_id: s for s in deck.slides if s.kind == "indicator"}
    median = slides["median_income"]
    assert median.message.startswith(
        "Dans les 24 communes du territoire Grand-Orly Seine Bièvre, le revenu disponible médian"
    )
    assert " va de " in median.message and "(Villeneuve-Saint-Georges)" in median.message
    assert median.details[0].startswith("Pas de valeur pour le territoire Grand-Orly Seine Bièvre : ")
    # the chart draws the communes and says which: the highest and the lowest values
    assert median.chart.note.startswith(
        "13 des 24 communes : les 7 valeurs les plus hautes et les 6 plus basses"
    )
    assert len(median.chart.bars) == 13 and all(b.code.isdigit() for b in median.chart.bars)
    salary = data.deck(store_engine, parse_choices({"territoire": "T12", "theme": "economie", "lang": "en"}))
    text = next(s for s in salary.slides if s.indicator_id == "average_net_salary")
    assert "ranges from" in text.message and "median" not in " ".join(text.details)
    for s in (*deck.slides, *salary.slides):
        assert "médiane ou un taux" not in s.message + " ".join(s.details)


def test_preset_leaves_out_indicators_without_any_value_and_says_so(store_engine):
    choices = parse_choices({"territoire": "75101", "theme": "revenus"})
    place, facts, left = data.deck_facts(store_engine, choices)
    assert "median_income" in left and all(f.focus.shown for f in facts)
    deck = data.deck(store_engine, choices)
    assert len(deck.slides) == len(facts) + 2 and deck.left_out == left
    assert "laissés de côté : Revenu disponible médian" in deck.slides[0].notes
    assert left_out_text(place, ("median_income",), "en").startswith("No value for Paris 1er")
    # a list chosen one by one keeps every slide (each says why it has no value)
    listed = parse_choices({"territoire": "75101", "indicateurs": ",".join(choices.indicators)})
    assert data.deck_facts(store_engine, listed)[2] == ()


def test_missing_references_in_one_short_sentence():
    focus = Reading(commune("94081"), 19490.0, "ok", year=2021)
    refs = (Reading(GOSB, None, "not_aggregable", 24, 24), Reading(MGP, None, "not_aggregable", 130, 130))
    facts = Facts(get_indicator("median_income"), 2021, focus, references=refs)
    fr, en = key_message(facts), key_message(facts, "en")
    assert fr.count("Pas de valeur") == 1 and fr.count("commune par commune") == 1
    assert "pour le territoire Grand-Orly Seine Bièvre ni pour la Métropole du Grand Paris : " in fr
    assert en.count("No value") == 1 and "Grand-Orly Seine Bièvre territory or the Greater Paris" in en
    mixed = (Reading(GOSB, None, "secret", 24, 0), Reading(MGP, None, "missing", 130, 0))
    text = key_message(Facts(facts.indicator, 2021, focus, references=mixed))
    assert "(secret statistique) ni pour la Métropole du Grand Paris (absente des fichiers chargés)." in text


def test_a_chart_of_part_of_the_communes_says_which():
    ind = get_indicator("unemployment_rate")
    others = [c for c in GOSB_COMMUNES if c != "94081"]
    peers = tuple(Reading(commune(c), 5.0 + i, "ok") for i, c in enumerate(others))
    focus = Reading(commune("94081"), 14.6, "ok")
    refs = (Reading(GOSB, 12.8, "ok", 24, 24), Reading(MGP, None, "missing"))
    spec = chart_spec(Facts(ind, 2022, focus, references=refs, peers=peers))
    # the MGP, without a value, takes no room: 13 bars (the focus, GOSB and 11 communes)
    assert len(spec.bars) == 13
    assert spec.note.startswith("12 des 24 communes : Vitry-sur-Seine (")
    assert spec.note.endswith("et les plus proches au classement")
    group = Reading(GOSB, None, "not_aggregable", 24, 24)
    members = Facts(ind, 2022, group, peers=peers)
    assert by_commune(members)
    english = chart_spec(members, lang="en")
    assert english.note == "13 of 23 communes: the 7 highest values and the 6 lowest"


def test_notes_links_are_absolute_and_each_source_is_listed_once(client):
    resp = client.get("/export/presentation.pptx?territoire=94081&theme=emploi", base_url=HOST.rstrip("/"))
    assert resp.status_code == 200
    for slide in list(Presentation(io.BytesIO(resp.data)).slides)[1:-1]:
        notes = slide.notes_slide.notes_text_frame.text
        assert f"{HOST}explication?indicateur=" in notes
        sources = [line for line in notes.splitlines() if line.startswith("- ")]
        assert len(sources) == len(set(sources))
        assert "codgeo" not in notes and "Demandeurs_Emploi" not in notes
    assert absolute("/explication?x=1", HOST) == f"{HOST}explication?x=1"
    assert absolute("/explication?x=1") == "/explication?x=1"
    assert "« Prix moyen au m² des logements vendus (publié) »" in spoken("(indicateur price_m2_mean)")


def test_pdf_downloads_and_its_page_number_stays_on_one_line(store_engine):
    chooser = view.chooser(
        [], [], [], [], {}, {"pdf": "/export/presentation.pdf?territoire=T12&theme=emploi"}
    )
    found = []

    def walk(node):
        if getattr(node, "id", None) == view.PRES_PDF:
            found.append(node)
        for child in getattr(node, "children", None) or []:
            if not isinstance(child, str):
                walk(child)

    walk(chooser)
    assert found and found[0].download
    deck = data.deck(store_engine, parse_choices({"territoire": "94081", "theme": "emploi"}))
    page = deck_html(deck)
    assert "footer span:last-child { flex: none; white-space: nowrap; }" in page


def test_key_figure_trend_says_the_direction_once():
    text = t("kpi.trend_down", "fr", delta="1,0 pour 1 000", year=2016)
    assert text == "en baisse de 1,0 pour 1 000 depuis 2016"
    assert t("kpi.trend_up", "en", delta="0.8 pp", year=2016) == "up 0.8 pp since 2016"
