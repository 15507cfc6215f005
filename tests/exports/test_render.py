"""PNG/SVG on the server (kaleido + Debian Chromium), offline; skipped without a Chromium."""

from __future__ import annotations

import pytest
from flask import Flask

from exports.render import browser_path, stop
from exports.routes import create_blueprint

needs_chromium = pytest.mark.skipif(browser_path() is None, reason="no Chromium (Debian package chromium)")


def test_kaleido_page_needs_no_network():
    """The page kaleido renders in loads plotly.js from the package and no MathJax (its CDN default)."""
    from kaleido import PageGenerator

    page = PageGenerator(mathjax=False).generate_index()
    assert "http://" not in page and "https://" not in page
    assert "plotly.min.js" in page


@needs_chromium
def test_chart_png_and_svg(store_engine):
    app = Flask(__name__)
    app.register_blueprint(create_blueprint(store_engine))
    client = app.test_client()
    try:
        png = client.get("/export/chart/unemployment_rate.png?territoires=94081")
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
        width, height = int.from_bytes(png.data[16:20], "big"), int.from_bytes(png.data[20:24], "big")
        assert (width, height) == (1920, 1080)
        assert (
            png.headers["Content-Disposition"]
            == 'inline; filename="unemployment-rate-vitry-sur-seine-2022.png"'
        )
        svg = client.get("/export/chart/unemployment_rate.svg?territoires=94081,T12,MGP,94041&annee=2018")
        text = svg.get_data(as_text=True)
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and text.lstrip().startswith("<svg")
        assert "Vitry-sur-Seine" in text and "Source : Insee" in text and "Licence" in text
    finally:
        stop()
