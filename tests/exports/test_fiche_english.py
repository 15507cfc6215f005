"""The fiches follow the visitor's language (review R1, points 2 and 7): ``?lang=en`` prints the
commune and territory fiches in English (headings, sentences, table, notes, credits, numbers,
``lang="en"``, title), the permanent link is absolute (the request's host) and carries the language,
the French fiche is unchanged but for that absolute link, and English pages link the English fiche.
On the real store; the figures are the API's, formatted in each language."""

from __future__ import annotations

import re
import shutil

import pytest
from flask import Flask

from exports.fiche import fiche_pdf_reportlab
from exports.fiche_html import fiche_html
from exports.profile import TERRITORY_LEVELS, profile
from exports.render import browser_path
from exports.routes import create_blueprint
from indicators.api import register_api
from indicators.formatting import fmt_number
from tests.exports.helpers import pdf_text

HOST = "https://observatoire.example.org"
#: French words that must not appear in an English fiche (headings, notes, credits, links).
FRENCH = (
    "Source :",
    "Sources :",
    "Chiffres clés",
    "L'essentiel",
    "Lien permanent",
    "Définitions",
    "Évolutions",
    "Méthode",
    "Indicateur",
    "Période",
    "Fiche communale",
    "Fiche territoriale",
    "Fond de carte",
    "données chargées",
    "non calculable",
    "recensement",
    "Métropole du Grand Paris",
)


def pdf_alt(data: bytes) -> str:
    """The alternative texts of a tagged PDF's figures (``/Alt (…)`` or UTF-16 ``/Alt <FEFF…>``)."""
    out = [m.decode("latin-1") for m in re.findall(rb"/Alt \(([^)]*)\)", data)]
    out += [bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Alt <([0-9A-Fa-f]+)>", data)]
    return " ".join(out)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    register_api(app, lambda: store_engine)
    return app.test_client()


def _get(client, path: str):
    resp = client.get(path, base_url=HOST)
    assert resp.status_code == 200, resp.data[:300]
    return resp


def _population(client, code: str) -> float:
    resp = client.get(f"/api/v1/values?indicator=population&territory={code}&year=2022")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["values"][0]["value"]


@pytest.fixture(scope="module")
def printed(client):
    """The English and French fiches of Vitry-sur-Seine and of the home T12, as served."""
    if browser_path() is None or not shutil.which("pdftotext"):
        pytest.skip("Chromium or pdftotext (poppler-utils) not installed")
    return {
        (kind, code, lang): _get(client, f"/export/{kind}/{code}.pdf" + ("?lang=en" if lang == "en" else ""))
        for kind, code in (("commune", "94081"), ("territoire", "T12"))
        for lang in ("fr", "en")
    }


@pytest.mark.parametrize(
    ("kind", "code", "heading"),
    [("commune", "94081", "Commune profile"), ("territoire", "T12", "Territory profile")],
)
def test_english_fiche(client, printed, kind, code, heading):
    resp = printed[(kind, code, "en")]
    assert resp.headers["Content-Disposition"].startswith('inline; filename="profile-')
    text = _flat(pdf_text(resp.data))
    for words in (heading, "At a glance", "Key figures", "Indicator", "Period", "Sources", "Method"):
        assert words in text
    assert "Definitions" in text and "Greater Paris Metropolis" in text
    found = [w for w in FRENCH if w in text]
    assert not found, found
    # numbers in English: the API's population with a comma for thousands
    assert fmt_number(_population(client, code), 0, "en") in text
    assert re.search(r"\d\.\d%", text) and not re.search(r"\d,\d %", text)
    # the permanent link and the explanation link work outside the app, in English
    assert f"Permanent link: {HOST}/export/{kind}/{code}.pdf?lang=en" in text
    assert f"{HOST}/explication?indicateur=" in text and "&lang=en" in text
    assert b"/Lang (en)" in resp.data


def test_english_commune_sentences_and_title(printed):
    resp = printed[("commune", "94081", "en")]
    text = _flat(pdf_text(resp.data))
    assert "In Vitry-sur-Seine, the unemployment rate of 15-64 year-olds (census) was" in text
    assert "Insee code 94081" in text and "Grand-Orly Seine Bièvre territory" in text
    assert "Locator map" not in text  # the map's alternative text is not printed, it is tagged
    assert "Locator map: Vitry-sur-Seine in the Grand-Orly Seine Bièvre territory" in pdf_alt(resp.data)


def test_english_territory_identity(printed):
    text = _flat(pdf_text(printed[("territoire", "T12", "en")].data))
    assert "Public territorial establishment T12" in text and "24 communes" in text
    assert "Not computable for an area" in text  # the medians, named once under the table


@pytest.mark.parametrize(("kind", "code"), [("commune", "94081"), ("territoire", "T12")])
def test_french_fiche_unchanged_but_absolute_link(printed, kind, code):
    resp = printed[(kind, code, "fr")]
    assert resp.headers["Content-Disposition"].startswith('inline; filename="fiche-')
    text = _flat(pdf_text(resp.data))
    for words in ("L'essentiel", "Chiffres clés", "Indicateur", "Période", "Méthode", "Définitions"):
        assert words in text
    assert "Key figures" not in text and "Permanent link" not in text
    assert f"Lien permanent : {HOST}/export/{kind}/{code}.pdf (régénéré" in text
    assert b"/Lang (fr)" in resp.data


def test_language_is_in_the_cache_key(client):
    """``?lang=en`` is its own file; any other value of lang is the French fiche (one build)."""
    bp_cache = client.application.blueprints["deck_exports"].export_cache
    before = bp_cache.builds
    _get(client, "/export/commune/94081.pdf?lang=en&x=1")
    _get(client, "/export/commune/94081.pdf?lang=en")
    assert bp_cache.builds == before  # built by the fixture already (junk parameters ignored)


def test_html_and_reportlab_fallback_in_english(store_engine):
    """Without a browser the reportlab drawing says the same in English; the HTML page is English."""
    p = profile(store_engine, "T12", TERRITORY_LEVELS, "en", HOST + "/")
    page = fiche_html(p)
    assert '<html lang="en">' in page and "<title>Grand-Orly Seine Bièvre — territory profile</title>" in page
    assert 'name="subject" content="Key figures compared with: Greater Paris Metropolis, Val-de-Marne' in page
    assert 'aria-label="Locator map: Grand-Orly Seine Bièvre within the Greater Paris Metropolis."' in page
    assert p.link == f"{HOST}/export/territoire/T12.pdf?lang=en"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = _flat(pdf_text(fiche_pdf_reportlab(p)))
    assert "Territory profile" in text and "Key figures" in text and "Definitions" in text
    assert not [w for w in FRENCH if w in text]
    fr = profile(store_engine, "94081")
    assert fr.link == "/export/commune/94081.pdf" and '<html lang="fr">' in fiche_html(fr)


def test_configured_public_url_is_printed_whatever_the_host_asked(client, monkeypatch):
    """With ``OBSERVATOIRE_PUBLIC_URL`` the printed links never follow a forged Host header, and
    every host shares one cached file."""
    import config

    monkeypatch.setenv("OBSERVATOIRE_PUBLIC_URL", "https://data.example.fr/observatoire")
    config.settings.cache_clear()
    try:
        resp = client.get("/export/commune/94081.pdf?lang=en", base_url="http://forged.example")
        assert resp.status_code == 200
        text = _flat(pdf_text(resp.data))
        assert "https://data.example.fr/observatoire/export/commune/94081.pdf?lang=en" in text
        assert "forged.example" not in text
    finally:
        monkeypatch.delenv("OBSERVATOIRE_PUBLIC_URL")
        config.settings.cache_clear()
