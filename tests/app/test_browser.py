"""The app in headless Chromium: pages load cleanly and offline, a real user flow, map shapes, and a
CSV download that holds the values shown."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
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
    """Wait for ``condition``; elements re-rendered meanwhile (stale) and missing ones are retried."""
    return WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.2,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException, LookupError),
    ).until(lambda d: condition(d))


def settled(driver) -> bool:
    """The page is rendered, no callback is running and no chart is being drawn or resized."""
    return driver.execute_script(
        "return document.querySelector('#page > *') !== null"
        " && document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"
        " && !document.querySelector('._dash-loading')"
        " && !document.querySelector('.dash-graph--pending')"
    )


def drawn(driver) -> int:
    """How many charts or maps have drawn at least one trace."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.js-plotly-plot')]"
        ".filter(g => g.querySelector('.main-svg g.trace')).length"
    )


def open_page(driver, url: str, graphs: int = 0) -> None:
    """Open ``url`` and wait until it is rendered, its callbacks done and ``graphs`` charts drawn."""
    driver.get(url)
    wait(driver, settled)
    if graphs:
        wait(driver, lambda d: drawn(d) >= graphs)
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
    """The drawn title of a card's chart ("" until drawn); read in one script (never stale)."""
    return (
        driver.execute_script(
            "var g = document.getElementById(arguments[0]);"
            "var t = g && g.querySelector('.gtitle'); return t ? t.textContent : '';",
            dom_id(ids.card_graph(card)),
        )
        or ""
    )


def select_value(driver, component_id: dict) -> str:
    return driver.execute_script(
        "var s = document.getElementById(arguments[0]); return s ? s.value : '';", dom_id(component_id)
    )


PAGES = [
    ("/", "fr", 2),
    ("/?lang=en", "en", 2),
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
PROFILE = "/commune/94081"


@pytest.mark.parametrize(("path", "lang", "graphs"), PAGES)
def test_page_loads_without_console_errors_and_offline(browser, live_url, path, lang, graphs):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
    open_page(browser, live_url + path, graphs)
    wait(browser, lambda d: d.execute_script("return document.documentElement.lang") == lang)
    # an unknown commune answers 404 (with the friendly page): Chromium logs that status
    page_404 = f"{live_url}{path} - Failed to load resource: the server responded with a status of 404"
    assert [e for e in console_errors(browser) if not e.startswith(page_404)] == []
    assert foreign_requests(browser, live_url) == []
    assert browser.find_elements(By.TAG_NAME, "h1") or "/embed/" in path


def test_search_open_profile_switch_indicator_and_go_back(browser, live_url):
    open_page(browser, live_url + "/", 1)
    browser.find_element(By.ID, ids.SEARCH).click()
    # the first key opens the box and moves the focus to its text field; on a busy machine the
    # next keys can arrive before the field has it: wait for the field, check what it holds
    browser.switch_to.active_element.send_keys("V")
    in_field = "const e = document.activeElement; return e && e.matches('input.dash-dropdown-search') ? e.value : null"
    wait(browser, lambda d: d.execute_script(in_field) is not None)
    field = browser.switch_to.active_element
    field.send_keys("itry")
    if browser.execute_script(in_field) != "Vitry":
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("Vitry")
    wait(browser, lambda d: d.execute_script(in_field) == "Vitry")
    wait(
        browser,
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('[role=option]')]"
            ".some(o => o.textContent.includes('Vitry-sur-Seine'))"
        ),
    )
    field.send_keys(Keys.ENTER)
    wait(browser, lambda d: urlparse(d.current_url).path == PROFILE)
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Vitry-sur-Seine")
    wait(browser, lambda d: "chômage" in graph_title(d, ids.Card.CO_BARS))
    wait(browser, settled)

    # another theme: its tab is a link; the indicator and the table follow
    tab = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".theme-tabs a[href*='theme=revenus']"))
    tab.click()
    wait(browser, lambda d: "theme=revenus" in d.current_url and "indicateur=median_income" in d.current_url)
    wait(browser, lambda d: "Revenu disponible" in graph_title(d, ids.Card.CO_BARS))
    wait(browser, lambda d: "Revenu disponible" in graph_title(d, ids.Card.CO_SERIES))
    wait(browser, lambda d: "Revenus" in find(d, ids.card_body(ids.Card.CO_PROFILE)).text)
    assert "Taux de chômage" not in find(browser, ids.card_body(ids.Card.CO_PROFILE)).text
    wait(browser, settled)

    # another indicator of the theme: the vintage follows the indicator
    Select(find(browser, ids.param("commune", "indicateur"))).select_by_value("poverty_rate")
    wait(browser, lambda d: "indicateur=poverty_rate" in d.current_url)
    wait(browser, lambda d: "pauvreté" in graph_title(d, ids.Card.CO_BARS))
    assert "annee=2021" in browser.current_url

    browser.back()
    wait(browser, lambda d: "poverty_rate" not in d.current_url)
    assert urlparse(browser.current_url).path == PROFILE
    wait(browser, lambda d: "Revenu disponible" in graph_title(d, ids.Card.CO_BARS))
    wait(browser, lambda d: select_value(d, ids.param("commune", "indicateur")) == "median_income")
    assert console_errors(browser) == []


def test_profile_draws_its_first_chart(browser, live_url):
    """Render check of the tabbed profile (the timings are bench/browser.py's)."""
    browser.get(live_url + PROFILE + "?theme=logement")
    wait(browser, lambda d: drawn(d) >= 1)
    wait(browser, lambda d: "Logement" in find(d, ids.card_body(ids.Card.CO_PROFILE)).text)
    active = browser.find_element(By.CSS_SELECTOR, ".theme-tabs a.active").text
    assert active.startswith("Logement")
    assert "logement" in select_value(browser, ids.param("commune", "theme"))


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=TIMEOUT * 2) as resp:
        return resp.status, resp.headers.get_content_type(), resp.read(8)


def test_profile_buttons_are_reachable_and_work(browser, live_url):
    open_page(browser, live_url + PROFILE + "?lang=en", 1)
    links = {}
    for kind in ("fiche", "deck", "pptx"):
        el = find(browser, ids.place_action("commune", kind))
        # a real link, in the keyboard's order, that takes the focus
        assert el.tag_name == "a" and el.get_attribute("href")
        assert browser.execute_script(
            "arguments[0].focus(); return document.activeElement === arguments[0]", el
        )
        assert browser.execute_script("return arguments[0].tabIndex", el) >= 0
        links[kind] = el.get_attribute("href")
    assert find(browser, ids.place_action("commune", "fiche")).text.endswith("PDF profile")
    assert find(browser, ids.place_action("commune", "pptx")).get_attribute("download") is not None
    assert "territoire=94081" in links["deck"] and "theme=emploi" in links["deck"]

    # the deck follows the theme in view
    browser.find_element(By.CSS_SELECTOR, ".theme-tabs a[href*='theme=logement']").click()
    deck = find(browser, ids.place_action("commune", "deck"))
    wait(browser, lambda d: "theme=logement" in deck.get_attribute("href"))
    pptx = find(browser, ids.place_action("commune", "pptx")).get_attribute("href")
    assert "theme=logement" in pptx and "lang=en" in pptx

    status, kind, head = _get(links["fiche"])
    assert status == 200 and kind == "application/pdf" and head.startswith(b"%PDF")
    status, kind, head = _get(pptx)
    assert status == 200 and kind.endswith("presentationml.presentation") and head.startswith(b"PK")

    deck.send_keys(Keys.ENTER)  # keyboard: the deck of the place and theme opens
    wait(browser, lambda d: urlparse(d.current_url).path == "/presentation")
    assert "territoire=94081" in browser.current_url and "theme=logement" in browser.current_url
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".pres-slide"))


def test_territory_page_presents_the_theme_of_its_indicator(browser, live_url):
    open_page(browser, live_url + "/?indicateur=median_income", 1)
    deck = find(browser, ids.place_action("overview", "deck"))
    wait(browser, lambda d: "theme=revenus" in deck.get_attribute("href"))
    assert "territoire=T12" in deck.get_attribute("href")
    pptx = find(browser, ids.place_action("overview", "pptx")).get_attribute("href")
    assert "territoire=T12" in pptx and "theme=revenus" in pptx


def test_profile_on_a_phone_has_no_horizontal_scroll(browser, live_url):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    open_page(browser, live_url + PROFILE, 4)
    sizes = browser.execute_script(
        "var gs = [...document.querySelectorAll('.js-plotly-plot')];"
        "return {page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,"
        " graphs: gs.map(g => g.getBoundingClientRect().width),"
        " titles: [...document.querySelectorAll('.js-plotly-plot .gtitle')].map(t => t.getBoundingClientRect().right)};"
    )
    assert sizes["page"] <= sizes["view"], sizes
    assert min(sizes["graphs"]) >= 0.8 * sizes["view"], sizes  # maps and charts take the width
    assert max(sizes["titles"]) <= sizes["view"], sizes  # titles are not cut


def test_map_renders_the_communes_offline(browser, live_url):
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
    open_page(browser, live_url + "/carte?perimetre=mgp&indicateur=population", 1)
    graph_id = dom_id(ids.card_graph(ids.Card.MAP))
    wait(
        browser,
        lambda d: (
            d.execute_script(
                "return document.getElementById(arguments[0]).querySelectorAll('path.choroplethlocation').length",
                graph_id,
            )
            >= 130 + 12
        ),
    )
    wait(browser, settled)
    shown = browser.execute_script(
        "var g = document.getElementById(arguments[0]); var geo = g.querySelector('.geo');"
        "return {fills: [...g.querySelectorAll('path.choroplethlocation')].map(p => getComputedStyle(p).fill),"
        " height: geo ? geo.getBoundingClientRect().height : null};",
        graph_id,
    )
    assert len({f for f in shown["fills"] if f and "0, 0, 0, 0" not in f}) >= 4  # several classes drawn
    assert shown["height"] is None or shown["height"] > 300  # fitted to the shapes, not a world view
    assert foreign_requests(browser, live_url) == [] and console_errors(browser) == []


def _alt_rows(driver, card: str) -> dict[str, str]:
    return driver.execute_script(
        "var alt = document.getElementById(arguments[0]); var d = alt.closest('details'); if (d) { d.open = true; }"
        "var rows = {};"
        "alt.querySelectorAll('tbody tr').forEach(function (tr) {"
        "  var c = tr.querySelectorAll('th, td'); rows[c[0].innerText] = c[1].innerText; });"
        "return rows;",
        dom_id(ids.card_alt(card)),
    )


def test_csv_download_holds_the_values_shown(browser, live_url, downloads: Path):
    from figures.base import Measure

    open_page(browser, live_url + "/carte?indicateur=unemployment_rate&annee=2022", 1)
    shown = wait(browser, lambda d: _alt_rows(d, ids.Card.MAP) or None)
    assert len(shown) == 24
    link = find(browser, ids.card_download(ids.Card.MAP, "csv"))
    assert "indicateur=unemployment_rate" in link.get_attribute("href")
    browser.execute_script("arguments[0].click()", link)
    # Chromium writes ``*.crdownload`` and renames it when complete
    path = wait(browser, lambda d: next((p for p in downloads.glob("*.csv")), None), TIMEOUT)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    fmt = Measure("x", "", "percent", 1, lang="fr").fmt
    in_file = {r["territoire"]: fmt(float(r["valeur"].replace(",", "."))) for r in rows if r["code"] != "MGP"}
    assert {k: v.replace("\u00a0", " ") for k, v in in_file.items()} == {
        k: v.replace("\u00a0", " ") for k, v in shown.items()
    }
    assert all("Insee" in r["source"] and r["licence"] for r in rows)


def test_language_switch_keeps_the_view(browser, live_url):
    open_page(browser, live_url + "/carte?perimetre=mgp&indicateur=population", 1)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Carte des indicateurs"
    link = find(browser, ids.LANG_LINK)
    wait(browser, lambda d: "lang=en" in (link.get_attribute("href") or ""))
    link.click()
    wait(browser, lambda d: "lang=en" in d.current_url)
    wait(browser, settled)
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Indicator map")
    assert "perimetre=mgp" in browser.current_url and "indicateur=population" in browser.current_url
    assert browser.execute_script("return document.documentElement.lang") == "en"
    wait(browser, lambda d: "Municipal population" in graph_title(d, ids.Card.MAP))
