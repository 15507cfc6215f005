"""The territory fiche (issue #9.1): ``/export/territoire/<code>.pdf`` for an EPT (the home T12, and
T6 without changing the configured home), on the real store: a tagged two-page PDF naming the
territory, its headline values equal to the API's, compared with the MGP and its departments;
unknown or wrong codes answer 404 with a friendly page."""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask import Flask

from exports.profile import TERRITORY_LEVELS, profile
from exports.render import browser_path
from exports.routes import create_blueprint
from indicators.api import register_api
from indicators.catalogue import get_indicator
from indicators.formatting import fmt_number
from tests.exports.helpers import pdf_pages, pdf_text

#: Headline indicators checked against the API, with the references each territory is compared with.
CHECKED = ("population", "jobs", "unemployment_rate", "social_housing_share", "activity_rate")
TERRITORIES = {
    "T12": ("Grand-Orly Seine Bièvre", ["MGP", "D94", "D91"], "Val-de-Marne"),
    "T6": ("Plaine Commune", ["MGP", "D93"], "Seine-Saint-Denis"),
}


@pytest.fixture(scope="module")
def client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    register_api(app, lambda: store_engine)
    return app.test_client()


@pytest.fixture(scope="module")
def fiches(client):
    """Each territory's fiche, printed once for the module."""
    return {code: client.get(f"/export/territoire/{code}.pdf") for code in TERRITORIES}


def _flat(text: str) -> str:
    """Text with no-break and thin spaces as plain spaces, runs of blanks collapsed."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _tagged(data: bytes) -> bool:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (Debian poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return any(line.split() == ["Tagged:", "yes"] for line in out.splitlines())


def _api_value(client, indicator: str, code: str, year: int) -> float | None:
    resp = client.get(f"/api/v1/values?indicator={indicator}&territory={code}&year={year}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["values"][0]["value"]


@pytest.mark.parametrize("code", list(TERRITORIES))
def test_territory_fiche_is_a_tagged_pdf_naming_the_territory(fiches, code):
    resp = fiches[code]
    assert resp.status_code == 200 and resp.mimetype == "application/pdf", resp.data[:300]
    assert f'filename="fiche-{code.lower()}-' in resp.headers["Content-Disposition"]
    assert pdf_pages(resp.data) == 2
    if browser_path() is not None:  # without Chromium the reportlab drawing (untagged) is served
        assert _tagged(resp.data)
    name, _, department = TERRITORIES[code]
    text = _flat(pdf_text(resp.data))
    assert name in text and "Fiche territoriale" in text and "Chiffres clés" in text
    assert department in text and "MGP" in text and f"/export/territoire/{code}.pdf" in text
    assert "Insee, recensement de la population" in text and "Fond de carte : IGN" in text
    assert "nan" not in text.split() and "None" not in text


@pytest.mark.parametrize("code", list(TERRITORIES))
def test_headline_values_equal_the_api(store_engine, client, fiches, code):
    p = profile(store_engine, code, TERRITORY_LEVELS)
    assert [r.code for r in p.references] == TERRITORIES[code][1]
    text = _flat(pdf_text(fiches[code].data))
    facts = {f.indicator.id: f for _, fs in p.sections for f in fs}
    for ind_id in CHECKED:
        f, ind = facts[ind_id], get_indicator(ind_id)
        for reading in (f.focus, *f.references):
            api = _api_value(client, ind_id, reading.place.code, f.year)
            assert reading.value is not None and api is not None, (ind_id, reading.place.code)
            assert math.isclose(reading.value, api, rel_tol=1e-9), (ind_id, reading.place.code)
            assert _flat(fmt_number(api, ind.decimals)) in text, (ind_id, reading.place.code, api)
    # medians do not add up over communes: no row, and the caption says why
    assert "median_income" not in facts and "Revenu disponible médian" in p.omitted[0]


def test_metropolis_and_group_profiles(store_engine):
    mgp = profile(store_engine, "MGP", TERRITORY_LEVELS)
    assert [r.code for r in mgp.references] == ["D75", "D92", "D93", "D94"]  # covered whole
    assert len(mgp.territory) == 130 and len(mgp.outlines) == 12 and mgp.ident().startswith("130 communes")
    group = profile(store_engine, "group:94054+94065", TERRITORY_LEVELS)
    assert group.place.name == "Orly + Rungis" and [r.code for r in group.references] == ["MGP", "D94"]
    assert group.href == "/export/territoire/group:94054+94065.pdf"


@pytest.mark.parametrize(
    "url",
    [
        "/export/territoire/T99.pdf",  # unknown territory
        "/export/territoire/94081.pdf",  # a commune: its fiche is /export/commune/94081.pdf
        "/export/territoire/D94.pdf",  # a department: no fiche
        "/export/commune/T12.pdf",  # a territory on the commune route
    ],
)
def test_unknown_or_wrong_codes_answer_404(client, url):
    resp = client.get(url)
    assert resp.status_code == 404 and resp.is_json and resp.get_json()["error"]
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Export impossible" in page.get_data(as_text=True)
    if "94081" in url:
        assert "/export/commune/94081.pdf" in resp.get_json()["error"]
