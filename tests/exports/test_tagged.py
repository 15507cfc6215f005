"""Tagged PDFs print from a thread of their own: a caller that already runs Playwright (the
accessibility tests in the same process, an async server) still gets a tagged PDF, never the
untagged fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import chromium


@pytest.mark.skipif(not Path(chromium.CHROMIUM).exists(), reason="Debian chromium is needed")
def test_tagged_pdf_from_a_thread_running_an_event_loop() -> None:
    """What a Playwright session or an async server looks like to the caller's thread."""
    import asyncio

    from exports.tagged import html_pdf

    page = "<html lang='fr'><head><title>Essai</title></head><body><h1>Bonjour</h1></body></html>"

    async def inside_a_loop() -> bytes:
        return html_pdf(page)

    pdf = asyncio.run(inside_a_loop())
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" in pdf and b"/Lang" in pdf
