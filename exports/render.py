"""Plotly figures to PNG or SVG bytes on the server, offline: kaleido 1.x driving Debian's Chromium.

* The browser is found through ``BROWSER_PATH`` (what kaleido's choreographer reads) or the
  Debian paths; nothing is downloaded.
* No network: kaleido's page loads plotly.js from the installed ``plotly`` package and MathJax
  is switched off (its default is a CDN URL, which would stall the first render offline).
* One browser process is started on the first render and kept for the life of the process
  (warm renders take ~0.2 s instead of ~2.5 s); renders are serialised, because kaleido's
  sync server returns results through one shared queue.
* Renders go through a bounded queue (issue #13): at most ``QUEUE_LENGTH`` renders running or
  waiting per process; past it ``RenderBusy`` is raised at once (the routes answer 429 with
  ``Retry-After``), so a flood of image requests never ties up every worker thread.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go

from exports.chart_figure import figure
from exports.charts import ChartSpec

#: Presentation resolution: a 1080p projector.
WIDTH, HEIGHT = 1920, 1080
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
TIMEOUT = 60  # seconds per image
#: Base layers of ``geo`` maps (the app's empty ones, read from disk): without it plotly.js asks
#: its CDN for them and a map never renders offline.
TOPOJSON = (Path(__file__).resolve().parent.parent / "assets" / "topojson" / "blank").as_uri() + "/"

#: Renders running or waiting per process (``OBSERVATOIRE_RENDER_QUEUE``, default 3).
QUEUE_LENGTH = max(1, int(os.environ.get("OBSERVATOIRE_RENDER_QUEUE", "3")))
RETRY_AFTER = 5  # seconds suggested to a client refused because the queue is full

_lock = threading.Lock()
_slots = threading.BoundedSemaphore(QUEUE_LENGTH)
_running = False


class RenderError(RuntimeError):
    """No browser to render with, or the render failed (the routes answer 503)."""


class RenderBusy(RenderError):
    """The render queue is full: try again in ``retry_after`` seconds (the routes answer 429)."""

    def __init__(self, message: str = "", retry_after: int = RETRY_AFTER) -> None:
        super().__init__(
            message
            or f"trop d'images en cours de rendu : réessayez dans {retry_after} s "
            f"/ too many images being rendered: retry in {retry_after} s"
        )
        self.retry_after = retry_after


@contextlib.contextmanager
def queue_slot() -> Iterator[None]:
    """A place in the render queue, or ``RenderBusy`` at once when it is full."""
    if not _slots.acquire(blocking=False):
        raise RenderBusy()
    try:
        yield
    finally:
        _slots.release()


def browser_path() -> str | None:
    """The Chromium executable: ``BROWSER_PATH``, else a Debian path, else ``chromium`` on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for path in BROWSERS:
        if os.path.exists(path):
            return path
    return shutil.which("chromium")


def _start() -> None:
    global _running
    if _running:
        return
    path = browser_path()
    if path is None:
        raise RenderError(
            "Chromium introuvable : installez le paquet Debian « chromium » ou définissez BROWSER_PATH"
        )
    os.environ.setdefault("BROWSER_PATH", path)
    import kaleido  # imported here: the app and the PDF/PPTX exports never need it

    kaleido.start_sync_server(n=1, timeout=TIMEOUT, mathjax=False, path=path, silence_warnings=True)
    _running = True


def warm_up() -> threading.Thread:
    """Start the browser in the background (call at app start: the first PNG is then warm)."""

    def start() -> None:
        with _lock, contextlib.suppress(RenderError):
            _start()

    thread = threading.Thread(target=start, name="kaleido-warm-up", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    """Close the browser (tests, shutdown); the next render starts a new one."""
    global _running
    with _lock:
        if _running:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _running = False


def render_figure(
    fig: go.Figure,
    fmt: Literal["png", "svg"] = "png",
    width: int = WIDTH,
    height: int = HEIGHT,
    scale: float = 1.0,
) -> bytes:
    """The bytes of ``fig`` as PNG or SVG at ``width`` × ``height`` (× ``scale`` for PNG)."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, got {fmt!r}")
    import kaleido

    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with queue_slot(), _lock:
        for attempt in (1, 2):
            _start()
            try:
                out = kaleido.calc_fig_sync(fig, opts=opts, topojson=TOPOJSON)
                return out if isinstance(out, bytes) else str(out).encode("utf-8")
            except Exception as exc:  # noqa: BLE001 - a crashed browser: restart it once
                global _running
                with contextlib.suppress(Exception):  # the browser may already be gone
                    kaleido.stop_sync_server(silence_warnings=True)
                _running = False
                if attempt == 2:
                    raise RenderError(f"le rendu de l'image a échoué : {exc}") from exc
    raise RenderError("le rendu de l'image a échoué")  # unreachable; keeps type checkers content


def render_chart(
    spec: ChartSpec, fmt: Literal["png", "svg"] = "png", width: int = WIDTH, height: int = HEIGHT
) -> bytes:
    """A chart at presentation resolution, with its title, caption and sources in the image."""
    font = max(14, round(height / 48))
    return render_figure(
        figure(spec, width=width, height=height, font_size=font, standalone=True), fmt, width, height
    )
