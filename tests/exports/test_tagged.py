"""Tagged PDFs print from a thread of their own: a caller that already runs Playwright (the
accessibility tests in the same process, an async server) still gets a tagged PDF, never the
untagged fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import chromium


@pytest.mark.skipif(not Path(chromium.CHROMIUM).exists(), reason="Debian chromium is needed")
def test_tagged_pdf_inside_a_running_playwright_session() -> None:
    from playwright.sync_api import sync_playwright

    from exports.tagged import html_pdf

    page = "<html lang='fr'><head><title>Essai</title></head><body><h1>Bonjour</h1></body></html>"
    with sync_playwright():
        pdf = html_pdf(page)
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" in pdf and b"/Lang" in pdf
