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
    import threading

    from exports.tagged import html_pdf

    page = "<html lang='fr'><head><title>Essai</title></head><body><h1>Bonjour</h1></body></html>"

    async def inside_a_loop() -> bytes:
        return html_pdf(page)

    got: list[bytes] = []
    # a thread of the test's own: the test process may already run a loop in its main thread
    worker = threading.Thread(target=lambda: got.append(asyncio.run(inside_a_loop())))
    worker.start()
    worker.join(timeout=120)
    pdf = got[0]
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" in pdf and b"/Lang" in pdf
