"""Public documents (issues #9.4, #9.10, #9.11, #10): headline declarations, no working note in any
public text or file, clean downloads, tagged PDFs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from pptx import Presentation

from etl.registry import sources
from exports.deck_choices import PRESETS
from exports.routes import create_blueprint
from indicators.catalogue import CatalogueError, catalogue, headlines, load
from layouts.i18n import TEXT
from tests.exports.helpers import pdf_text

#: Working notes and raw file names that must never reach a reader.
FORBIDDEN = re.compile(
    r"présumée|re-?vérifi|re-?verif|à vérifier|to be re|13_odis|base_cc|base-cc|dossier_complet|"
    r"\.csv\b|\.zip\b|github|gregoiredavid|mastersigat|ptod-|@etalab/|TODO",
    re.IGNORECASE,
)
PUBLIC_SOURCE_FIELDS = (
    "title_fr",
    "title_en",
    "producer",
    "dataset",
    "vintage",
    "licence",
    "credit_fr",
    "credit_en",
)
PUBLIC_INDICATOR_FIELDS = ("label_fr", "label_en", "definition_fr", "definition_en", "notes_fr", "notes_en")


def _clean(text: str, where: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: working note or file name « {found.group(0)} » in {text[:200]!r}"


def test_headlines_are_declared_once_and_come_first():
    order = headlines()
    assert order[:4] == ("jobs", "jobs_per_100_active", "unemployment_rate", "social_housing_share")
    assert [catalogue()[i].headline for i in order] == sorted(catalogue()[i].headline for i in order)
    assert PRESETS["emploi"][:3] == headlines("emploi")[:3] and list(PRESETS)[0] == "emploi"


def test_headline_ranks_are_checked(tmp_path: Path):
    base = (Path(__file__).resolve().parents[2] / "indicators" / "catalogue" / "emploi.yaml").read_text()
    (tmp_path / "emploi.yaml").write_text(base.replace("headline: 2", "headline: 1"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="headline rank"):
        load(tmp_path)
    (tmp_path / "emploi.yaml").write_text(base.replace("headline: 2", "headline: deux"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="headline must be a positive integer"):
        load(tmp_path)


def test_public_text_sources_have_no_working_notes():
    for key, pair in TEXT.items():
        for text in pair:
            _clean(text, f"i18n {key}")
    for ind in catalogue().values():
        for field in PUBLIC_INDICATOR_FIELDS:
            _clean(getattr(ind, field), f"catalogue {ind.id}.{field}")
    for spec in sources().values():
        for field in PUBLIC_SOURCE_FIELDS:
            _clean(getattr(spec, field), f"etl/sources/{spec.id}.yaml {field}")


@pytest.fixture(scope="module")
def exports_client(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    return app.test_client()


@pytest.fixture(scope="module")
def app_client(store_engine):
    import app as app_module
    from callbacks import data
    from callbacks.engine import set_engine

    set_engine(store_engine)
    data.reset()
    return app_module.app.server.test_client()


def test_downloads_are_clean(app_client):
    fr = app_client.get("/telecharger/commune-profil.csv?code=94081").data.decode("utf-8-sig")
    en = app_client.get("/telecharger/commune-profil.csv?code=94081&lang=en").data.decode("utf-8-sig")
    _clean(fr, "profile CSV")
    _clean(en, "profile CSV (en)")
    assert not re.search(r";\d{4},0;", fr), "integer years"
    assert not re.search(r";-?\d+,\d{4,};", fr) and not re.search(r",-?\d+\.\d{4,},", en), (
        "rounded as published"
    )
    assert ";nombre;" in fr and ";%;" in fr and ",number," in en
    assert ";count;" not in fr and ";percent;" not in fr
    book = openpyxl.load_workbook(
        io.BytesIO(app_client.get("/telecharger/commune-profil.xlsx?code=94081").data)
    )
    sheet = book["donnees"]
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold
    header = [c.value for c in sheet[1]]
    year, value = header.index("annee") + 1, header.index("Vitry-sur-Seine") + 1
    rows = list(sheet.iter_rows(min_row=2))
    assert all(isinstance(r[year - 1].value, int) for r in rows)
    assert {r[value - 1].number_format for r in rows} >= {"#,##0", "#,##0.0"}
    assert sheet.column_dimensions["C"].width > 10
    meta = {r[0]: r[1] for r in book["metadonnees"].iter_rows(min_row=2, values_only=True)}
    assert {"titre", "source", "licence", "adresse", "données chargées le"} <= set(meta)
    for text in meta.values():
        _clean(str(text).replace(".csv", ""), "XLSX metadata")  # page URLs may end in .csv: not shown here


def test_downloads_in_english_and_one_provenance_per_row(app_client):
    """Review R2.8–9: the English profile names the metropolis and the themes in English; each row
    of the profile and of the key figures names its own sources (not every source of the table);
    a single year is a single year (never « 2018-2018 »)."""
    import csv

    en = app_client.get("/telecharger/commune-profil.csv?code=94081&lang=en").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(en)))
    assert "Greater Paris Metropolis" in rows[0] and "Métropole du Grand Paris" not in rows[0]
    assert "emploi" not in {r["theme"] for r in rows} and "Employment and unemployment" in {
        r["theme"] for r in rows
    }
    assert len({r["source"] for r in rows}) > 3, "each row its own sources"
    assert not any(re.fullmatch(r"(\d{4})-\1", r["vintage"]) for r in rows)
    kpis = app_client.get("/telecharger/chiffres-cles.csv").data.decode("utf-8-sig")
    kpi_rows = list(csv.DictReader(io.StringIO(kpis), delimiter=";"))
    by_ind = {r["indicateur"]: r["source"] for r in kpi_rows}
    assert len(set(by_ind.values())) > 3, "each indicator its own source line"
    assert "recensement" in by_ind["jobs"] and "DVF" not in by_ind["jobs"]


def test_export_errors_in_the_url_language(exports_client):
    """Review R2.9: an export's error speaks the language of its URL."""
    fr = exports_client.get("/export/chart/jobs.gif?territoires=94081").get_json()["error"]
    en = exports_client.get("/export/chart/jobs.gif?territoires=94081&lang=en").get_json()["error"]
    assert "format inconnu" in fr and "unknown format" in en
    en = exports_client.get("/export/chart/jobs.png?lang=en").get_json()["error"]
    assert "missing" in en and "manquant" not in en
    en = exports_client.get("/export/chart/jobs.png?territoires=94081&annee=x&lang=en").get_json()["error"]
    assert en.startswith("invalid year")


def _pdfinfo(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(
    not shutil.which("chromium") and not Path("/usr/bin/chromium").exists(), reason="no Chromium"
)
@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/export/commune/94081.pdf", "Vitry-sur-Seine — fiche communale"),
        ("/export/presentation.pdf?territoire=94081&theme=emploi", "Vitry-sur-Seine — Emploi et chômage"),
    ],
)
def test_pdfs_are_tagged_and_public(exports_client, tmp_path, url, title):
    resp = exports_client.get(url)
    assert resp.status_code == 200
    info = _pdfinfo(resp.data, tmp_path)
    assert "Tagged:          yes" in info and f"Title:           {title}" in info
    raw = resp.data
    assert b"/StructTreeRoot" in raw and re.search(rb"/Lang\s*\(fr", raw)
    assert raw.count(b"/Alt") >= 1, "charts and maps carry their alternative text"
    text = pdf_text(raw)
    _clean(text, url)
    assert "Source" in text and "Licence Ouverte" in text


def test_pptx_text_is_public(exports_client):
    resp = exports_client.get("/export/presentation.pptx?territoire=T12&theme=emploi")
    prs = Presentation(io.BytesIO(resp.data))
    for slide in prs.slides:
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        _clean(text, f"slide {slide.slide_id}")
        _clean(slide.notes_slide.notes_text_frame.text.replace(".csv", ""), "notes")
