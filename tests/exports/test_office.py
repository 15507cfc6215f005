"""The PPTX deck as an office suite shows it (issues #9.8 and #10): every bar named, a title
placeholder on every slide, alternative text on every chart and picture, plain sources.

The LibreOffice test converts the real deck to PDF (``soffice --headless``, Debian package
libreoffice-impress) and reads each slide's text: every category of the slide's chart must be
there (LibreOffice drops every other label of a crowded or wrapped axis).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from exports import data
from exports.charts import MAX_BARS
from exports.deck_choices import parse_choices
from exports.pptx import deck_pptx


@pytest.fixture(scope="module")
def vitry_pptx(store_engine) -> bytes:
    return deck_pptx(data.deck(store_engine, parse_choices({"territoire": "94081", "theme": "emploi"})))


def _charts(prs: Presentation) -> list[tuple[int, list[str]]]:
    out = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart:
                out.append((number, [str(c) for c in shape.chart.plots[0].categories]))
    return out


def test_every_slide_has_a_title_and_every_chart_alt_text(vitry_pptx):
    prs = Presentation(io.BytesIO(vitry_pptx))
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, "a title placeholder on every slide"
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert title.text_frame.text.strip()
        for shape in slide.shapes:
            if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                descr = shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr", "")
                assert len(descr) > 20, f"alt text of {shape.name} on slide {slide.slide_id}"
    charts = _charts(prs)
    assert charts and all(len(cats) <= MAX_BARS for _, cats in charts)
    assert any("Vitry-sur-Seine" in cats for _, cats in charts)


def test_sources_slide_is_plain(vitry_pptx):
    prs = Presentation(io.BytesIO(vitry_pptx))
    last = list(prs.slides)[-1]
    text = "\n".join(sh.text_frame.text for sh in last.shapes if sh.has_text_frame)
    assert "Insee" in text and "Licence Ouverte" in text
    for bad in ("13_odis", "à re-vérifier", "présumée", "base_cc", "dossier_complet", ".csv", "github"):
        assert bad not in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (libreoffice-impress) not installed")
def test_libreoffice_names_every_bar(vitry_pptx, tmp_path: Path):
    src = tmp_path / "deck.pptx"
    src.write_bytes(vitry_pptx)
    profile = tmp_path / "lo-profile"  # a private profile: no clash with another soffice
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file()
    prs = Presentation(io.BytesIO(vitry_pptx))
    for number, categories in _charts(prs):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        flat = " ".join(text.split())
        for name in categories:
            # a long name may wrap over two lines of the axis: compare without line breaks
            assert " ".join(name.split()) in flat, f"slide {number}: « {name} » not shown"
