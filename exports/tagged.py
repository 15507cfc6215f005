"""Tagged PDF from HTML (issue #10): Debian's Chromium prints the page through Playwright with
``tagged=True``, so the PDF has a structure tree in reading order (headings, paragraphs, lists,
tables), the document title (``<title>``), its language (``<html lang="fr">``) and the
alternative text of every chart and map (``<svg role="img" aria-label=…>`` becomes a
``/Figure`` with ``/Alt``). reportlab, used before, does not tag.

One short-lived browser per document (about 1.5 s; the routes cache each file per data
version). Offline: the HTML is self-contained (inline SVG and CSS, system fonts), and every
request the page would make is refused. ``TaggedPdfError`` when no browser is available: the
callers fall back to the reportlab drawing (same content, untagged).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from config import chromium
from exports.render import browser_path

ARGS = chromium.ARGS
TIMEOUT_MS = 60_000
# Chromium processes are heavy on the 2-core machine: one document at a time per process.
_lock = threading.Lock()


class TaggedPdfError(RuntimeError):
    """No browser (or Playwright) to print with, or the print failed."""


def html_pdf(html: str, *, width: str | None = None, height: str | None = None) -> bytes:
    """The tagged PDF of a self-contained HTML page; page size from its CSS ``@page`` unless
    ``width``/``height`` (CSS lengths) are given."""
    path = browser_path()
    if path is None:
        raise TaggedPdfError("Chromium introuvable")
    try:
        from playwright.sync_api import Error, sync_playwright  # noqa: PLC0415 - optional, heavy
    except ImportError as exc:  # pragma: no cover - playwright is in requirements
        raise TaggedPdfError("Playwright non installé") from exc
    size = {"width": width, "height": height} if width and height else {}

    def print_pdf() -> bytes:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, args=ARGS, timeout=TIMEOUT_MS)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
                page.set_content(html, wait_until="load", timeout=TIMEOUT_MS)
                return page.pdf(
                    tagged=True,
                    outline=True,
                    print_background=True,
                    prefer_css_page_size=not size,
                    **size,
                )
            finally:
                browser.close()

    # Playwright's sync API refuses to start in a thread that already runs an event loop (a
    # caller's own Playwright session, an async server): print from a thread of its own.
    with _lock, ThreadPoolExecutor(max_workers=1, thread_name_prefix="tagged-pdf") as pool:
        try:
            return pool.submit(print_pdf).result()
        except Error as exc:
            raise TaggedPdfError(f"impression PDF impossible : {exc}") from exc
