"""The deck in headless Chromium: keys, clicks and the URL of each slide, at 1366×768 and 1920×1080.

The page runs in a bare Dash app (a Location, the page build of ``callbacks.presentation`` and
the app's ``assets/``), so that the test depends on this page only, not on the app shell.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from config import chromium
from figures.roles import ROLE_COLORS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("chromedriver") and Path("/usr/bin/chromium").exists()),
        reason="needs Debian chromium and chromium-driver",
    ),
]

REPO = Path(__file__).resolve().parents[2]
FLAGS = chromium.SELENIUM_ARGS
DECK = "/presentation?territoire=94081&indicateurs=unemployment_rate,jobs,social_housing_share"


@pytest.fixture(scope="module")
def base_url(store_engine):
    from dash import Dash, Input, Output, State, dcc, html
    from werkzeug.serving import make_server

    import callbacks.presentation as pres
    from callbacks.engine import set_engine
    from callbacks.registry import Request
    from callbacks.state import parse_query

    set_engine(store_engine)
    app = Dash(
        __name__,
        assets_folder=str(REPO / "assets"),
        suppress_callback_exceptions=True,
        serve_locally=True,
        update_title=None,
    )
    app.layout = html.Div([dcc.Location(id="t-url"), html.Div(id="t-page")])

    @app.callback(Output("t-page", "children"), Input("t-url", "pathname"), State("t-url", "search"))
    def route(pathname, search):
        return pres.build(Request(pathname or "/", {}, parse_query(search), "fr")).layout

    app.server.register_blueprint(pres.bp)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    set_engine(None)


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    yield drv
    drv.quit()


def _viewport(drv, width: int, height: int) -> None:
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def _open(drv, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    drv.get(url)
    WebDriverWait(drv, 60).until(
        lambda d: d.execute_script(
            "var x = document.querySelector('.pres-deck'); return x && x.getAttribute('data-ready') === '1'"
        )
    )


def _active(drv) -> int:
    return int(drv.execute_script("return document.querySelector('.pres-slide.is-active').dataset.slide"))


def _wait_slide(drv, n: int) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, 60).until(lambda d: _active(d) == n and d.current_url.endswith(f"&slide={n}"))


def _wait_chart(drv) -> None:
    """Wait until the active slide's chart is drawn and no longer being resized (layout final)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, 60).until(
        lambda d: d.execute_script(
            "var s = document.querySelector('.pres-slide.is-active');"
            "var gd = s && s.querySelector('.js-plotly-plot');"
            "return !!(gd && gd.data && gd.querySelector('.main-svg g.trace'))"
            " && !document.querySelector('.dash-graph--pending')"
            " && document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0;"
        )
    )


def _key(drv, *keys) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(drv).send_keys(*keys).perform()


def test_keyboard_walk_and_url_per_slide(base_url, driver):
    from selenium.webdriver.common.keys import Keys

    _viewport(driver, 1366, 768)
    _open(driver, base_url + DECK)
    _wait_slide(driver, 1)
    total = int(driver.execute_script("return document.querySelectorAll('.pres-slide').length"))
    assert total == 5  # title, 3 indicators, sources
    for n in range(2, total + 1):
        _key(driver, Keys.ARROW_RIGHT)
        _wait_slide(driver, n)
        counter = driver.execute_script("return document.querySelector('.pres-counter').textContent")
        assert counter == f"{n} / {total}"
    _key(driver, Keys.ARROW_RIGHT)  # past the end: stays on the last slide
    _wait_slide(driver, total)
    _key(driver, Keys.ARROW_LEFT)
    _wait_slide(driver, total - 1)
    _key(driver, Keys.SPACE)
    _wait_slide(driver, total)
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.SPACE).key_up(Keys.SHIFT).perform()
    _wait_slide(driver, total - 1)
    _key(driver, Keys.HOME)
    _wait_slide(driver, 1)
    _key(driver, Keys.END)
    _wait_slide(driver, total)


def test_clicks_move_between_slides(base_url, driver):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _viewport(driver, 1366, 768)
    _open(driver, base_url + DECK + "&slide=2")
    _wait_slide(driver, 2)
    stage = driver.find_element(By.CSS_SELECTOR, ".pres-stage")
    ActionChains(driver).move_to_element_with_offset(stage, 300, 0).click().perform()  # right of centre
    _wait_slide(driver, 3)
    ActionChains(driver).move_to_element_with_offset(stage, -600, 0).click().perform()  # left third
    _wait_slide(driver, 2)
    driver.find_element(By.CSS_SELECTOR, "[data-pres='next']").click()
    _wait_slide(driver, 3)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_a_link_opens_the_deck_at_its_slide_and_the_slide_fits(base_url, driver, width, height):
    _viewport(driver, width, height)
    _open(driver, base_url + DECK + "&slide=3")
    _wait_slide(driver, 3)
    _wait_chart(driver)
    box = driver.execute_script("""
        var s = document.querySelector('.pres-slide.is-active');
        function r(sel) { var e = s.querySelector(sel); var b = e.getBoundingClientRect();
                          return {top: b.top, bottom: b.bottom, height: b.height, font: getComputedStyle(e).fontSize}; }
        var gd = s.querySelector('.js-plotly-plot');
        return {title: r('.pres-title'), message: r('.pres-message'), chart: r('.pres-chart'),
                footer: r('.pres-footer'), scroll: document.documentElement.scrollHeight,
                colours: gd && gd.data ? gd.data[0].marker.color : null, text: s.innerText};
    """)
    assert box["message"]["bottom"] <= box["chart"]["top"] + 1
    assert box["chart"]["bottom"] <= box["footer"]["top"] + 1
    assert box["footer"]["bottom"] <= height and box["scroll"] <= height
    assert box["chart"]["height"] >= 0.4 * height, "the chart takes most of the slide"
    assert float(box["message"]["font"].rstrip("px")) >= 0.03 * height, "large type"
    assert "À Vitry-sur-Seine, on compte" in box["text"] and "Source : Insee" in box["text"]
    assert box["colours"] and ROLE_COLORS["commune"] in box["colours"], "the commune's bar is highlighted"
