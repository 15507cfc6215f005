"""How the app's responses travel: compressed (brotli, else gzip) and, for files whose URL changes
with their content, cached by browsers for a year.

Versioned files are Dash's component suites (``…/dash_core_components.v4_4_1m1700000000.js``:
Dash already sends a one-year ``max-age``; ``immutable`` is added) and ``/assets/…?m=<mtime>``
(among them ``assets/plotly-observatoire.min.js``, the partial plotly.js bundle: see
``scripts/plotly-bundle/README.md``). Their compressed bodies are kept in memory, so a 1.4 MB
script is compressed once per process, not on every request; pages, callback answers and
downloads vary and are compressed as they go.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
#: Compressed on top of Flask-Compress's defaults (HTML, CSS, JS, JSON, SVG…).
EXTRA_TYPES = {"application/geo+json", "text/csv"}


def versioned(path: str, args: Any) -> bool:
    """Whether the URL names one version of a static file (it changes when the file does)."""
    name = path.rsplit("/", 1)[-1]
    return (path.startswith("/assets/") and "m" in args) or (
        path.startswith("/_dash-component-suites/") and ".v" in name
    )


class StaticCompressCache:
    """Flask-Compress's cache backend: keeps only versioned static files (``cache_key`` gives the
    others an empty key, never stored), at most ``LIMIT`` of them."""

    LIMIT = 300

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";") and len(self._store) < self.LIMIT:
            self._store[key] = value


def cache_key(req: Any) -> str:
    return req.full_path if versioned(req.path, req.args) else ""


def speed_up(server: Flask) -> None:
    """Compression and long cache lifetimes on ``server``."""
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_STREAMS=False,  # streamed downloads go out as they are produced
        COMPRESS_CACHE_BACKEND=StaticCompressCache,
        COMPRESS_CACHE_KEY=cache_key,
    )
    compress = Compress()
    compress.init_app(server)
    compress.compress_mimetypes_set |= EXTRA_TYPES

    @server.after_request  # runs before Flask-Compress's (registered earlier)
    def _cache_versioned(resp: Response) -> Response:
        if resp.status_code in (200, 304) and versioned(request.path, request.args):
            resp.headers["Cache-Control"] = IMMUTABLE
            if resp.status_code == 200 and resp.is_streamed:
                # Flask serves /assets/ as a file stream, which Flask-Compress leaves alone
                # (COMPRESS_STREAMS off): read it, so it is compressed once and kept.
                resp.direct_passthrough = False
                resp.make_sequence()
        return resp
