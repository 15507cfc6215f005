"""The deck in English (``?lang=en``): key messages, charts, PPTX, PDF, the HTML deck page and the
links that carry the language; French stays as it was (``test_deck.py``, ``test_messages.py``)."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from pptx import Presentation
from pptx.oxml.ns import qn

from exports.chart_figure import figure
from exports.charts import chart_spec
from exports.deck import build_deck
from exports.deck_choices import Choices, parse_choices
from exports.deck_html import deck_html
from exports.messages import change_message, coverage_note, key_message
from exports.model import Credit, Place, Reading
from exports.pdf import deck_pdf, deck_pdf_reportlab
from exports.pptx import deck_pptx
from exports.routes import create_blueprint
from tests.exports.helpers import GOSB, GOSB_COMMUNES, MGP, commune, facts, pdf_pages, pdf_text

INSEE = Credit(
    "insee_comparateur_rp2022",
    "Insee",
    "Comparateur de territoire",
    "RP 2022",
    "Licence Ouverte / Etalab 2.0",
    "Source : Insee, RP 2016 et 2022, comparateur de territoires",
    "https://www.insee.fr/fr/statistiques/2521169",
    credit_en="Source: Insee, 2016 and 2022 censuses, territorial comparison base",
)
#: French words and punctuation that must not be left in an English deck.
FRENCH = re.compile(
    r"\b(depuis|contre|dans le|dans la|s'établit|atteint|on compte|soit|Au programme|Définition|"
    r"Données chargées|Sources et méthodes|millésime|Diapositive|Non disponible|Aucune valeur)\b"
    r"|Source :|Sources :|Note :|Message :|\d,\d{1,2}\b|\d\u00a0\d|\u00a0%"
)


def _facts(indicator: str, value: float, gosb: float, mgp: float, **kw):
    f = facts(indicator, commune("94081"), value, gosb, mgp, credits=(INSEE,), **kw)
    peers = tuple(Reading(commune(c), 10.0 + i, "ok") for i, c in enumerate(GOSB_COMMUNES) if c != "94081")
    return f.__class__(**{**f.__dict__, "peers": peers + (Reading(commune("94001"), None, "secret"),)})


def _deck(lang: str):
    choices = Choices("94081", ("unemployment_rate", "jobs", "activity_rate"), None, lang=lang)
    items = [
        _facts("unemployment_rate", 14.6, 12.8, 11.8),
        _facts("jobs", 27441, 285552, 4123539),
        _facts("activity_rate", 72.0, 74.3, 76.8),
    ]
    return build_deck(
        choices, commune("94081"), items, "27 November 2025" if lang == "en" else "27 novembre 2025"
    )


def _no_french(text: str, where: str) -> None:
    found = FRENCH.search(text)
    assert found is None, f"{where}: French « {found.group(0)} » in {text[:300]!r}"


def test_language_is_part_of_the_url_state():
    c = parse_choices({"territoire": "94081", "theme": "emploi", "lang": "en"})
    assert c.lang == "en" and c.query() == "territoire=94081&theme=emploi&lang=en"
    assert c.query(slide=3) == "territoire=94081&theme=emploi&slide=3&lang=en"
    assert parse_choices({"territoire": "94081", "theme": "emploi", "lang": "de"}).lang == "fr"
    assert (
        parse_choices({"territoire": "94081", "theme": "emploi"}).query() == "territoire=94081&theme=emploi"
    )


def test_english_key_messages_read_naturally():
    rate = _facts("unemployment_rate", 14.6, 12.8, 11.8)
    assert key_message(rate, "en") == (
        "In Vitry-sur-Seine, the unemployment rate of 15-64 year-olds (census) was 14.6% in 2022, above 12.8% "
        "in the Grand-Orly Seine Bièvre territory and 11.8% in the Greater Paris Metropolis."
    )
    jobs = _facts("jobs", 27441, 285552, 4123539)
    assert key_message(jobs, "en") == (
        "In Vitry-sur-Seine, there were 27,441 jobs at place of work in 2022, "
        "or 9.6% of the total for the Grand-Orly Seine Bièvre territory."
    )
    below = key_message(_facts("activity_rate", 72.0, 74.3, 76.8), "en")
    assert ", below 74.3% in the Grand-Orly" in below
    mixed = key_message(_facts("activity_rate", 75.0, 74.3, 76.8), "en")
    assert ", compared with 74.3% in the" in mixed
    same = key_message(_facts("activity_rate", 74.31, 74.3, 76.8), "en")
    assert ", the same as in the Grand-Orly Seine Bièvre territory, compared with 76.8% in the" in same
    ratio = key_message(_facts("jobs_per_100_active", 60.3, 79.8, 112.6), "en")
    assert ratio.startswith(
        "In Vitry-sur-Seine, there were 60.3 jobs per 100 resident active people aged 15-64"
    )
    assert "below 79.8 in the Grand-Orly" in ratio
    secret = facts("unemployment_rate", commune("94001"), None, 12.8, 11.8, status="secret")
    assert key_message(secret, "en") == "No value for Ablon-sur-Seine in 2022: statistical secrecy."
    group = Place("group:94054+94065", "Orly + Rungis", "group", ("94054", "94065"), ("Orly", "Rungis"))
    assert key_message(facts("unemployment_rate", group, 13.3, 12.8, 11.8), "en").startswith(
        "In the 2 selected communes (Orly and Rungis), the unemployment rate"
    )
    assert key_message(facts("unemployment_rate", GOSB, 12.8, None, 11.8), "en").startswith(
        "In the Grand-Orly Seine Bièvre territory, the unemployment rate"
    )
    for f in (rate, jobs, secret):
        _no_french(key_message(f, "en"), "key message")


def test_english_change_and_coverage():
    earlier = Reading(commune("94081"), 13.4, "ok")
    rate = _facts("unemployment_rate", 14.6, 12.8, 11.8, earlier=earlier, earlier_year=2016)
    assert change_message(rate, "en") == "In 2016, it was 13.4% (+1.2 points in 6 years)."
    assert change_message(rate) == "En 2016, il s'établissait à 13,4\u00a0% (+1,2\u00a0point en 6 ans)."
    jobs = _facts(
        "jobs", 27441, 285552, 4123539, earlier=Reading(commune("94081"), 27169, "ok"), earlier_year=2016
    )
    assert change_message(jobs, "en") == "In 2016, there were 27,169 (+1.0% in 6 years)."
    partial = facts("unemployment_rate", commune("94081"), 14.6, 12.8, None)
    partial = partial.__class__(
        **{**partial.__dict__, "references": (Reading(MGP, 11.8, "partial", 130, 124),)}
    )
    assert (
        coverage_note(partial, "en")
        == "Partial estimate — Greater Paris Metropolis: 124 of 130 communes covered."
    )
    assert "(124 of 130 communes)" in key_message(partial, "en")


def test_english_chart_spec_and_figure():
    spec = chart_spec(_facts("unemployment_rate", 14.6, 12.8, 11.8), "Source: Insee", "en")
    labels = {b.label for b in spec.bars}
    assert {"Vitry-sur-Seine", "Greater Paris Metropolis"} <= labels
    assert spec.caption == "%, 2022" and "Vitry-sur-Seine: 14.6%" in spec.alt
    assert spec.missing_text == "Not available — statistical secrecy: Ablon-sur-Seine"
    fig = figure(spec, width=1920, height=1080, standalone=True).to_dict()
    assert fig["layout"]["separators"] == ".,"
    jobs = chart_spec(_facts("jobs", 27441, 285552, 4123539), lang="en")
    assert jobs.caption == "Number, 2022" and any(b.text == "27,441" for b in jobs.bars)


def test_english_deck_slides():
    deck = _deck("en")
    title, first, *_, sources = deck.slides
    assert (
        title.items[0] == "Unemployment rate, 15-64 (census)"
        and title.message == "Data loaded on 27 November 2025"
    )
    assert first.title == "Unemployment rate, 15-64 (census)" and first.message.startswith(
        "In Vitry-sur-Seine, "
    )
    assert first.footer.startswith("Source: Insee, population census 2022")
    assert "Definition: Unemployed people aged 15 to 64" in first.notes or "Definition: " in first.notes
    assert (
        "Source: Insee" not in first.notes
        and "Insee, 2016 and 2022 censuses, territorial comparison base" in first.notes
    )
    assert "lang=en" in first.notes  # the explanation page in English
    assert sources.title == "Sources and methods"
    for s in deck.slides:
        for text in (s.title, s.message, *s.details, s.footer, s.notes, *s.items):
            _no_french(text.replace("Licence Ouverte", "").replace("comparateur", ""), f"slide {s.number}")


def test_english_pptx():
    prs = Presentation(io.BytesIO(deck_pptx(_deck("en"))))
    assert len(prs.slides) == 5 and prs.core_properties.language == "en-GB"
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert titles[1].startswith("Unemployment rate, 15-64 (census)") and titles[-1] == "Sources and methods"
    for slide in prs.slides:
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        _no_french(text.replace("Licence Ouverte", ""), f"slide {slide.slide_id}")
        _no_french(slide.notes_slide.notes_text_frame.text.replace("Licence Ouverte", ""), "notes")
        langs = {r.get("lang") for r in slide._element.iter(qn("a:rPr"))}
        assert langs == {"en-GB"}, langs
    texts = ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    assert "Outline" in texts[0] and "In Vitry-sur-Seine, the unemployment rate" in texts[1]
    assert "Source: Insee" in texts[1]
    chart = next(sh for sh in list(prs.slides)[1].shapes if sh.has_chart)
    assert chart.chart.plots[0].data_labels.number_format.startswith("[$-809]")
    assert "Vitry-sur-Seine: 14.6%" in chart._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    # French unchanged: French locale, French runs
    fr = Presentation(io.BytesIO(deck_pptx(_deck("fr"))))
    assert fr.core_properties.language == "fr-FR"
    assert (
        next(sh for sh in list(fr.slides)[1].shapes if sh.has_chart)
        .chart.plots[0]
        .data_labels.number_format.startswith("[$-40C]")
    )


def test_english_html_and_pdf():
    html = deck_html(_deck("en"))
    assert html.startswith('<!doctype html><html lang="en">') and "<h3>Outline</h3>" in html
    assert 'aria-label="Slide 2"' in html and "Diapositive" not in html
    assert '<html lang="fr">' in deck_html(_deck("fr"))
    for data in (deck_pdf(_deck("en")), deck_pdf_reportlab(_deck("en"))):
        assert data.startswith(b"%PDF") and pdf_pages(data) == 5
        text = " ".join(pdf_text(data).split())
        assert "Outline" in text and "Sources and methods" in text and "Source: Insee" in text
        assert "Au programme" not in text and "Source :" not in text and "depuis" not in text
    tagged = deck_pdf(_deck("en"))
    if b"/StructTreeRoot" in tagged:  # printed by Chromium: the document says its language
        assert re.search(rb"/Lang\s*\(en", tagged)


def test_english_deck_page_and_links():
    from layouts import presentation as view

    page = view.deck(_deck("en"), {}, {"pptx": "/x.pptx?lang=en", "pdf": "/x.pdf?lang=en"})
    assert page.lang == "en" and page.to_plotly_json()["props"]["aria-roledescription"] == "slide deck"
    flat = str(page.to_plotly_json())
    assert (
        "Full screen" in flat
        and "Outline" in flat
        and "Plein écran" not in flat
        and "Au programme" not in flat
    )
    assert view.deck(_deck("fr"), {}, {}).lang == "fr"


@pytest.fixture(scope="module")
def client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    return app.test_client()


def test_english_exports_from_the_store(client):
    en = client.get("/export/presentation.pptx?territoire=94081&theme=emploi&lang=en")
    fr = client.get("/export/presentation.pptx?territoire=94081&theme=emploi")
    assert en.status_code == fr.status_code == 200 and en.get_etag() != fr.get_etag()  # one cache entry each
    prs = Presentation(io.BytesIO(en.data))
    assert prs.core_properties.title == "Vitry-sur-Seine — Employment and unemployment"
    for slide in list(prs.slides)[1:-1]:
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert "In Vitry-sur-Seine, " in text and "Source: " in text
        _no_french(text.replace("Licence Ouverte", ""), f"slide {slide.slide_id}")
    assert "Au programme" in "\n".join(
        sh.text_frame.text for sh in Presentation(io.BytesIO(fr.data)).slides[0].shapes if sh.has_text_frame
    )
    pdf = client.get("/export/presentation.pdf?territoire=T12&theme=logement&lang=en")
    assert pdf.status_code == 200
    text = " ".join(pdf_text(pdf.data).split())
    assert "In the Grand-Orly Seine Bièvre territory" in text and "Sources and methods" in text
    assert "Au programme" not in text and "Source :" not in text


def test_english_chooser_and_deck_page_carry_the_language(store_engine):
    from callbacks import data
    from callbacks import presentation as pres
    from callbacks.engine import set_engine
    from callbacks.registry import Request

    set_engine(store_engine)
    data.reset()
    found = pres.links("94081", [], "emploi", None, "en")
    for key in ("launch", "pptx", "pdf"):
        assert found[key].endswith("&lang=en"), found[key]
    assert not any("lang=" in (v or "") for v in pres.links("94081", [], "emploi", None, "fr").values())
    query = {"territoire": "94081", "theme": "emploi", "slide": "2", "lang": "en"}
    result = pres.build(Request("/presentation", {}, query, "en"))
    page = result.layout.to_plotly_json()
    flat = str(page)
    assert page["props"]["lang"] == "en" and result.title == "Vitry-sur-Seine — Employment and unemployment"
    assert "In Vitry-sur-Seine, " in flat and "Outline" in flat and "Au programme" not in flat
    assert "/export/presentation.pptx?territoire=94081&theme=emploi&lang=en" in flat
    assert "Observatory" in flat and "Observatoire" not in flat  # the app's English title
