"""How the app reaches the browser (issue #9): the themes of a commune profile in the URL, the
place's buttons, compressed responses, long cache lifetimes for versioned files, and a partial
plotly.js bundle that holds every trace type the figures use."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "assets" / "plotly-observatoire.min.js"


def test_the_partial_plotly_bundle_draws_every_trace_type_of_the_figures():
    banner = BUNDLE.read_text(encoding="utf-8")[:300]
    bundled = {"scatter"} | set(
        re.search(r"partial bundle \(core, ([a-z, ]+)\)", banner).group(1).split(", ")
    )
    classes = [getattr(go, name) for name in dir(go)]  # graph_objects loads its classes lazily
    traces = {c.__name__.lower() for c in classes if isinstance(c, type) and issubclass(c, BaseTraceType)}
    used: set[str] = set()
    for path in [*REPO.glob("figures/*.py"), *REPO.glob("callbacks/*.py"), *REPO.glob("exports/chart*.py")]:
        source = path.read_text(encoding="utf-8")
        used |= {t for t in re.findall(r"[\"']type[\"']:\s*[\"'](\w+)[\"']", source) if t in traces}
        used |= {t.lower() for t in re.findall(r"go\.(\w+)\(", source) if t.lower() in traces}
    assert used, "no trace type found: the scan is broken"
    assert used <= bundled, f"not in assets/plotly-observatoire.min.js: {used - bundled}"


def test_profile_themes_follow_the_indicator_and_the_url(dash_app):
    from callbacks import commune_themes as themes

    assert themes.order()[0] == "emploi"
    # an old link naming only an indicator opens its theme; its latest vintage
    state, options = themes.normalise({"indicateur": "median_income", "annee": "", "theme": ""}, "fr")
    assert state["theme"] == "revenus" and state["annee"] == options["annee"][0]["value"]
    assert {o["value"] for o in options["indicateur"]} == set(themes.indicators_of("revenus"))
    # a theme link: the theme wins, on its lead indicator (a rate, not a count)
    state, _ = themes.normalise(
        {"indicateur": "unemployment_rate", "annee": "2022", "theme": "logement"}, "fr"
    )
    assert state["theme"] == "logement" and state["indicateur"] == "social_housing_share"
    state, _ = themes.normalise({"indicateur": "nope", "annee": "", "theme": "nope"}, "fr")
    assert state["theme"] == "emploi" and state["indicateur"] == "unemployment_rate"
    links = dict((th, link) for th, _, link in themes.tabs("94081", "en"))
    assert links["logement"] == "/commune/94081?indicateur=social_housing_share&lang=en&theme=logement"


def test_profile_page_has_the_three_buttons_and_the_theme_tabs(client):
    html = client.get("/commune/94081?lang=en").get_data(as_text=True)
    assert client.get("/commune/94081").status_code == 200
    from callbacks import commune_themes
    from callbacks.registry import Request

    page = commune_themes.tabs("94081", "fr")
    assert len(page) == len(commune_themes.order()) and html
    from callbacks import commune

    layout = commune.build(Request("/commune/94081", {"code": "94081"}, {"theme": "logement"}, "fr")).layout
    text = str(layout.to_plotly_json())
    assert "/export/commune/94081.pdf" in text
    assert "/presentation?territoire=94081&theme=logement" in text
    assert "/export/presentation.pptx?territoire=94081&theme=logement" in text


def test_responses_are_compressed_and_versioned_files_cached_for_a_year(client):
    page = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers.get("Content-Encoding") == "br" and "immutable" not in page.headers.get(
        "Cache-Control", ""
    )
    index = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/[^"]+\.js[^"]*)"', index)
    bundle = next(s for s in scripts if "plotly-observatoire" in s)
    resp = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(resp.data) < BUNDLE.stat().st_size / 2
    suite = next(s for s in scripts if "/_dash-component-suites/" in s and ".v" in s)
    assert "immutable" in client.get(suite).headers["Cache-Control"]
    # the full plotly.js is never asked for: the page's scripts define ``Plotly`` first
    assert not any("package_data/plotly.min.js" in s for s in scripts)
