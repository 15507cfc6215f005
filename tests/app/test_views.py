"""Charts and maps of the pages on the real store (issue #9 points 1, 3, 5, 9, 10; issue #10):
image downloads of a view (PNG/SVG with title, legend and source), counts per inhabitant, one
source line naming the indicator's own sources, the map's list of communes (keyboard and phone
way in), no plotly toolbar, and an accessible name on every chart."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from layouts import ids

CHROMIUM = Path("/usr/bin/chromium")
VITRY = {"lang": "fr", "args": {"code": "94081"}}
TIMEOUT = 90
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is needed")


def dom_id(component_id: dict) -> str:
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def wait(driver, condition, timeout: float = TIMEOUT):
    return WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.2,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException, LookupError),
    ).until(lambda d: condition(d))


# --- server side ------------------------------------------------------------------------------


def test_counts_are_shown_per_inhabitant_beside_larger_places(dash_app):
    from callbacks import commune

    fig, source, *_ = commune.update_bars("jobs", "2022", VITRY)
    bar = fig.data[0]
    assert list(bar.customdata) == ["MGP", "D94", "T12", "94081"]
    assert fig.layout.xaxis.title.text == "Pour 1 000 habitants"
    assert max(bar.x) / min(bar.x) < 5  # not 27 441 beside 3 million
    fig, *_ = commune.update_series("jobs", "2022", VITRY)
    first = min(x for tr in fig.data for x in tr.x)  # the base year: drawn joined or as a lone point
    base = [y for tr in fig.data for x, y in zip(tr.x, tr.y, strict=True) if x == first]
    assert len(base) == 4 and all(y == pytest.approx(100) for y in base)  # index, base 100


def test_one_source_line_naming_only_the_indicator_sources(dash_app):
    from callbacks import commune, data

    out = commune.update_bars("unemployment_rate", "2022", VITRY)
    fig, source = out[0], out[1]
    assert not [a for a in fig.layout.annotations if "Source" in (a.text or "")]  # not in the chart
    line = source[0]
    assert line.count("Source") == 1
    ind = data.indicator("unemployment_rate")
    assert data.credit_of(ind, "fr", [2022], ["insee_comparateur_rp2022"]) == line
    # issue #9.10: not the comparateur's whole credit (état civil, Filosofi, Flores), nor other files
    for src in data.sources(["insee_comparateur_rp2022", "france_travail_defm", "sdes_rpls_2024"]):
        assert src["credit_fr"].split(" : ", 1)[1] not in line


def test_every_chart_output_has_a_name_and_image_links(dash_app):
    from callbacks import carte, comparer

    out = carte.update_map("unemployment_rate", "2022", "gosb", "quantiles", {"lang": "fr"})
    title, desc, png, svg = out[6:10]
    assert title.startswith("Taux de chômage") and "2022" in title
    assert "24 communes" in desc and "plus élevé" in desc
    assert png.startswith("/export/vue/carte.png?") and svg.startswith("/export/vue/carte.svg?")
    listing = json.dumps(out[2].to_plotly_json(), default=str)
    assert listing.count("/commune/") == 24  # each commune a link to its profile
    out = comparer.update_series(["94081", "T12"], "unemployment_rate", {"lang": "en"})
    assert "Vitry-sur-Seine" in out[7] and "lang=en" in out[8]


def test_view_export_unknown_card_or_format_is_404(client):
    assert client.get("/export/vue/inconnu.png").status_code == 404
    assert client.get("/export/vue/carte.gif").status_code == 404


@needs_chromium
def test_view_export_renders_a_png_and_an_svg(client):
    resp = client.get("/export/vue/carte.png?indicateur=unemployment_rate&annee=2022&perimetre=mgp")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.data[:8] == b"\x89PNG\r\n\x1a\n" and len(resp.data) > 20_000
    svg = client.get("/export/vue/commune-comparaison.svg?code=94081&indicateur=jobs&annee=2022")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    body = svg.data.decode()
    assert "Emplois au lieu de travail" in body and "Source" in body  # title and source in the image
    assert "Pour 1\u00a0000 habitants" in body or "Pour 1 000 habitants" in body
    assert "k</text>" not in body  # no SI suffix on the ticks


# --- in the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_map_list_is_the_keyboard_way_in_and_the_view_exports(browser, live_url):
    browser.get(f"{live_url}/carte?indicateur=unemployment_rate&annee=2022")
    listing = dom_id(ids.card_alt(ids.Card.MAP))
    links = wait(
        browser,
        lambda d: (
            d.execute_script(
                "const el = document.getElementById(arguments[0]);"
                "return el ? [...el.querySelectorAll('a[href*=\"/commune/\"]')].length : 0",
                listing,
            )
            == 24
            and d.find_elements(By.CSS_SELECTOR, ".map-card .js-plotly-plot .main-svg")
        ),
    )
    assert links
    # no plotly toolbar; the chart has a role and a name that says what it shows
    assert not browser.find_elements(By.CSS_SELECTOR, ".map-card .modebar")
    name = browser.execute_script(
        "const img = document.querySelector('.map-card [role=img]');"
        "return document.getElementById(img.getAttribute('aria-labelledby')).textContent"
    )
    assert "Taux de chômage" in name and "plus élevé" in name
    # the list scrolls by keyboard (focusable region) and its first link opens a profile
    region = browser.execute_script("return document.getElementById(arguments[0])", listing)
    assert region.get_attribute("tabindex") == "0"
    png = browser.execute_script(
        "return document.getElementById(arguments[0]).href", dom_id(ids.card_image(ids.Card.MAP, "png"))
    )
    with urllib.request.urlopen(png, timeout=TIMEOUT) as resp:  # noqa: S310 - the test server
        assert resp.headers.get_content_type() == "image/png"
        assert resp.read(8) == b"\x89PNG\r\n\x1a\n"
    first = region.find_element(By.CSS_SELECTOR, "a[href*='/commune/']")
    target = first.get_attribute("href").split("?")[0].rsplit("/", 1)[1]
    first.click()
    wait(browser, lambda d: d.current_url.split("?")[0].endswith(f"/commune/{target}"))
