"""The app in headless Chromium: pages load cleanly and offline, a real user flow, map shapes, and a
CSV download that holds the values shown."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from layouts import ids

pytestmark = pytest.mark.browser
TIMEOUT = 90
#: Outside hosts blocked at the network level (the app's own 127.0.0.1 stays reachable); any other
#: outside request is caught by ``foreign_requests``.
BLOCKED = ["https://*", *(f"http://*.{tld}/*" for tld in ("com", "org", "net", "io", "ly", "fr", "eu"))]


def dom_id(component_id: dict | str) -> str:
    """The DOM id Dash gives a (pattern-matching) component id."""
    return (
        component_id
        if isinstance(component_id, str)
        else json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    )


def find(driver, component_id: dict | str):
    """The element of a Dash component id (JSON ids are not valid CSS id selectors)."""
    el = driver.execute_script("return document.getElementById(arguments[0])", dom_id(component_id))
    if el is None:
        raise LookupError(dom_id(component_id))
    return el


def wait(driver, condition, timeout: float = TIMEOUT):
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: condition(d))


def settled(driver) -> bool:
    """The page is rendered and no callback is running."""
    return driver.execute_script(
        "return document.querySelector('#page > *') !== null"
        " && document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"
        " && !document.querySelector('._dash-loading')"
    )


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait(driver, settled)
    time.sleep(0.8)  # let plotly finish drawing
    wait(driver, settled)


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def foreign_requests(driver, base: str) -> list[str]:
    """URLs the page asked for outside the app (must be none: the app works offline)."""
    host = urlparse(base).netloc
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            parts = urlparse(url)
            if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
                out.append(url)
    return out


def graph_title(driver, card: str) -> str:
    try:
        el = find(driver, ids.card_graph(card))
    except LookupError:
        return ""
    titles = el.find_elements(By.CSS_SELECTOR, ".gtitle")
    return titles[0].text if titles else ""


PAGES = [
    ("/", "fr", 3),
    ("/?lang=en", "en", 3),
    ("/commune/94081", "fr", 4),
    ("/commune/94028?lang=en&indicateur=median_income&annee=2019", "en", 4),
    ("/carte?perimetre=mgp&classes=jenks", "fr", 1),
    ("/comparer?territoires=94081,T12,MGP", "fr", 2),
    ("/indicateurs", "fr", 0),
    ("/indicateurs/unemployment_rate", "fr", 0),
    ("/sources", "fr", 0),
    ("/embed/classement-territoires?indicateur=population&lang=en", "en", 1),
    ("/commune/99999", "fr", 0),
]


@pytest.mark.parametrize(("path", "lang", "graphs"), PAGES)
def test_page_loads_without_console_errors_and_offline(browser, live_url, path, lang, graphs):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
    open_page(browser, live_url + path)
    if graphs:
        wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")) >= graphs)
        wait(browser, settled)
    assert console_errors(browser) == []
    assert foreign_requests(browser, live_url) == []
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert browser.find_elements(By.TAG_NAME, "h1") or "/embed/" in path


def test_search_open_profile_switch_indicator_and_go_back(browser, live_url):
    open_page(browser, live_url + "/")
    browser.find_element(By.ID, ids.SEARCH).click()
    field = browser.switch_to.active_element
    field.send_keys("Vitry")
    wait(
        browser,
        lambda d: any("Vitry-sur-Seine" in o.text for o in d.find_elements(By.CSS_SELECTOR, "[role=option]")),
    )
    field.send_keys(Keys.ENTER)
    wait(browser, lambda d: urlparse(d.current_url).path == "/commune/94081")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Vitry-sur-Seine")
    wait(browser, lambda d: "chômage" in graph_title(d, ids.Card.CO_BARS))
    wait(browser, settled)

    select = Select(find(browser, ids.param("commune", "indicateur")))
    select.select_by_value("median_income")
    wait(browser, lambda d: "indicateur=median_income" in d.current_url)
    assert "annee=2021" in browser.current_url  # the vintage follows the indicator
    wait(browser, lambda d: "Revenu disponible" in graph_title(d, ids.Card.CO_BARS))
    wait(browser, lambda d: "Revenu disponible" in graph_title(d, ids.Card.CO_SERIES))

    browser.back()
    wait(browser, lambda d: "median_income" not in d.current_url)
    assert urlparse(browser.current_url).path == "/commune/94081"
    wait(browser, lambda d: "chômage" in graph_title(d, ids.Card.CO_BARS))
    sel = Select(find(browser, ids.param("commune", "indicateur")))
    assert sel.first_selected_option.get_attribute("value") == "unemployment_rate"
    assert console_errors(browser) == []


def test_map_renders_the_communes_offline(browser, live_url):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
    open_page(browser, live_url + "/carte?perimetre=mgp&indicateur=population")
    graph = find(browser, ids.card_graph(ids.Card.MAP))
    wait(browser, lambda d: len(graph.find_elements(By.CSS_SELECTOR, "path.choroplethlocation")) >= 130 + 12)
    filled = [
        p.value_of_css_property("fill")
        for p in graph.find_elements(By.CSS_SELECTOR, "path.choroplethlocation")
    ]
    assert len({f for f in filled if f and "0, 0, 0, 0" not in f}) >= 4  # several classes drawn
    box = (
        graph.find_element(By.CSS_SELECTOR, ".geo").rect
        if graph.find_elements(By.CSS_SELECTOR, ".geo")
        else None
    )
    assert box is None or box["height"] > 300  # fitted to the shapes, not a world view
    assert foreign_requests(browser, live_url) == [] and console_errors(browser) == []


def _alt_rows(driver, card: str) -> dict[str, str]:
    alt = find(driver, ids.card_alt(card))
    driver.execute_script("arguments[0].closest('details').open = true", alt)
    rows = {}
    for tr in alt.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = tr.find_elements(By.CSS_SELECTOR, "th, td")
        rows[cells[0].text] = cells[1].text
    return rows


def test_csv_download_holds_the_values_shown(browser, live_url, downloads: Path):
    from figures.base import Measure

    open_page(browser, live_url + "/carte?indicateur=unemployment_rate&annee=2022")
    shown = _alt_rows(browser, ids.Card.MAP)
    assert len(shown) == 24
    link = find(browser, ids.card_download(ids.Card.MAP, "csv"))
    assert "indicateur=unemployment_rate" in link.get_attribute("href")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    time.sleep(0.3)
    link.click()
    path = wait(browser, lambda d: next((p for p in downloads.glob("*.csv")), None), 30)
    time.sleep(0.5)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    fmt = Measure("x", "", "percent", 1, lang="fr").fmt
    in_file = {r["territoire"]: fmt(float(r["valeur"].replace(",", "."))) for r in rows if r["code"] != "MGP"}
    assert {k: v.replace("\u00a0", " ") for k, v in in_file.items()} == {
        k: v.replace("\u00a0", " ") for k, v in shown.items()
    }
    assert all("Insee" in r["source"] and r["licence"] for r in rows)


def test_language_switch_keeps_the_view(browser, live_url):
    open_page(browser, live_url + "/carte?perimetre=mgp&indicateur=population")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Carte des indicateurs"
    link = find(browser, ids.LANG_LINK)
    wait(browser, lambda d: "lang=en" in (link.get_attribute("href") or ""))
    link.click()
    wait(browser, lambda d: "lang=en" in d.current_url)
    wait(browser, settled)
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Indicator map")
    assert "perimetre=mgp" in browser.current_url and "indicateur=population" in browser.current_url
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert "Municipal population" in graph_title(browser, ids.Card.MAP)
