"""Exports on the real store (the session's ETL run on the real raw files): sentences for every
GOSB commune, the figures of PROVENANCE.md, the download routes and their files."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from pptx import Presentation

from exports import data
from exports.deck_choices import parse_choices
from exports.messages import key_message
from exports.routes import create_blueprint
from tests.exports.helpers import GOSB_COMMUNES, pdf_pages, pdf_text


@pytest.fixture(scope="module")
def client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    return app.test_client()


@pytest.mark.parametrize("indicator", ["unemployment_rate", "population", "social_housing_share", "jobs"])
def test_sentences_for_every_gosb_commune(store_engine, indicator):
    for code, (name, start) in GOSB_COMMUNES.items():
        place = data.place(store_engine, code)
        assert place.name == name and place.ept == "T12"
        text = key_message(data.gather(store_engine, place, indicator, with_peers=False))
        assert text.startswith(start + " "), text
        assert "nan" not in text and "None" not in text and text.endswith(".")
        if indicator in ("unemployment_rate", "social_housing_share"):
            assert "dans la Métropole du Grand Paris" in text


def test_provenance_figures(store_engine):
    vitry = data.gather(store_engine, data.place(store_engine, "94081"), "unemployment_rate")
    assert key_message(vitry) == (
        "À Vitry-sur-Seine, le taux de chômage des 15-64 ans (recensement) atteint 14,6\u00a0% en 2022, contre "
        "12,8\u00a0% dans le territoire Grand-Orly Seine Bièvre et 11,8\u00a0% dans la Métropole du Grand Paris."
    )
    assert len(vitry.peers) == 24 and vitry.earlier is None  # 2018 is too close to 2022 to compare
    pop = data.gather(store_engine, data.place(store_engine, "T12"), "population")
    assert "725\u00a0207" in key_message(pop)


def test_presentation_pptx(client):
    resp = client.get("/export/presentation.pptx?territoire=94081&theme=emploi")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith(
        'attachment; filename="presentation-vitry-sur-seine'
    )
    prs = Presentation(io.BytesIO(resp.data))
    n = len(parse_choices({"territoire": "94081", "theme": "emploi"}).indicators)
    assert len(prs.slides) == n + 2
    for slide in list(prs.slides)[1:-1]:
        assert sum(sh.has_chart for sh in slide.shapes) == 1
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        # France Travail's licence is not established (etl/sources: licence_note): only its credit
        assert "Source : " in text and ("Licence" in text or "France Travail" in text)
        assert "Définition :" in slide.notes_slide.notes_text_frame.text


def test_presentation_pdf(client):
    resp = client.get("/export/presentation.pdf?territoire=94043&indicateurs=unemployment_rate,population")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert pdf_pages(resp.data) == 4
    text = pdf_text(resp.data)
    assert "Au Kremlin-Bicêtre, le taux de chômage" in text.replace("\n", " ") and "Source : Insee" in text


@pytest.mark.parametrize("code", ["94081", "94038", "91479"])
def test_commune_profile_pdf(client, code):
    resp = client.get(f"/export/commune/{code}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert f'filename="fiche-{code}-' in resp.headers["Content-Disposition"]
    assert pdf_pages(resp.data) == 2
    text = pdf_text(resp.data)
    name = GOSB_COMMUNES[code][0]
    assert name in text and "Chiffres clés" in text and "GOSB" in text and "MGP" in text
    # issue #9.10: numbered sources by dataset (producer, dataset, years, file), the licence once
    assert "Insee, recensement de la population" in text and "Licence Ouverte" in text
    assert "Fond de carte : IGN" in text and "Filosofi 2021, Flores 2024" not in text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/export/commune/99999.pdf", 404),
        ("/export/commune/13055.pdf", 404),  # Marseille: not in the metropolis
        ("/export/commune/T12.pdf", 404),
        ("/export/commune/abc.pdf", 400),
        ("/export/presentation.pptx?territoire=94081", 400),
        ("/export/presentation.pptx?territoire=94081&indicateurs=nope", 404),
        ("/export/presentation.pdf?territoire=99999&theme=emploi", 404),
        ("/export/chart/nope.png?territoires=94081", 404),
        ("/export/chart/unemployment_rate.gif?territoires=94081", 404),
        ("/export/chart/unemployment_rate.png", 400),
        ("/export/chart/unemployment_rate.png?territoires=94081&annee=2010", 404),
    ],
)
def test_errors_are_friendly(client, url, status):
    resp = client.get(url)
    assert resp.status_code == status
    assert resp.is_json and resp.get_json()["error"] and "Traceback" not in resp.get_data(as_text=True)
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == status and page.mimetype == "text/html"
    assert "Export impossible" in page.get_data(as_text=True)


def test_etag_and_cache(client):
    first = client.get("/export/commune/94081.pdf")
    again = client.get(
        "/export/commune/94081.pdf", headers={"If-None-Match": first.headers["ETag"].strip('"')}
    )
    assert again.status_code == 304


def test_ranking_chart_marks_partial_territories(store_engine):
    """R1 point 6: a territory summed over part of its communes is « 25 255* » on the deck's chart,
    and the note says which communes are covered (the readings are the provider's)."""
    from exports.chart_figure import figure
    from exports.charts import chart_spec

    facts = data.gather(store_engine, data.place(store_engine, "T12"), "jobseekers")
    partial = [r for r in (facts.focus, *facts.references, *facts.peers) if r.shown and r.status == "partial"]
    assert partial  # GPSO and GPSEA lack communes in the France Travail file
    spec = chart_spec(facts, "", "fr")
    drawn = [r for r in partial if r.place.code in {b.code for b in spec.bars}]  # counts: peers only
    marked = {b.code for b in spec.bars if b.text.endswith("*")}
    assert len(drawn) >= 2 and marked == {r.place.code for r in drawn}
    for r in drawn:
        assert f"{r.place.name} : {r.n_covered} communes sur {r.n_members}" in spec.partial
    assert spec.partial in spec.note and spec.partial in spec.alt
    assert spec.partial in figure(spec).to_dict()["layout"]["annotations"][0]["text"]  # web slides
    whole = chart_spec(data.gather(store_engine, data.place(store_engine, "T12"), "population"), "", "fr")
    assert not whole.partial and not any(b.text.endswith("*") for b in whole.bars)
