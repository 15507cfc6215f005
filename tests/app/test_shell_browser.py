"""The shell in headless Chromium (issue #9 points 1, 6, 7, 8; issue #10 deck): the search opens
what is typed, the territory picker speaks French and says when it is full, the « Présentation »
entry leads to the deck, and the deck reads on a phone, by keyboard and without motion.

Every step waits for what it checks (no fixed sleep)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts import ids
from tests.app.test_browser import console_errors, find, open_page, wait

pytestmark = pytest.mark.browser
DECK = "/presentation?territoire=94081&indicateurs=unemployment_rate,jobs,social_housing_share"
PICKER = ids.param("comparer", "territoires")


def options_text(driver) -> list[str]:
    return [o.text for o in driver.find_elements(By.CSS_SELECTOR, "[role=option]")]


def type_in_search(driver, text: str) -> None:
    find(driver, ids.SEARCH).click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-search"))
    driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-search").send_keys(text)


def test_typing_ivry_then_enter_opens_ivry_sur_seine(browser, live_url):
    open_page(browser, live_url + "/")
    type_in_search(browser, "Ivry")
    wait(browser, lambda d: (options_text(d) or [""])[0].startswith("Ivry-sur-Seine"))
    assert any(o.startswith("Livry-Gargan") for o in options_text(browser))  # listed, after
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, lambda d: urlparse(d.current_url).path == "/commune/94041")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Ivry-sur-Seine")


@pytest.mark.parametrize(
    ("typed", "first"), [("st denis", "Saint-Denis (93066)"), ("chomage", "Taux de chômage")]
)
def test_search_ranks_saint_and_indicators(browser, live_url, typed, first):
    open_page(browser, live_url + "/carte")
    type_in_search(browser, typed)
    wait(browser, lambda d: (options_text(d) or [""])[0].startswith(first))


def picker_values(driver) -> list[str]:
    terr = parse_qs(urlparse(driver.current_url).query).get("territoires", [""])[0]
    return [c for c in terr.split(",") if c]


def test_picker_in_french_says_when_full_and_clearing_empties_the_charts(browser, live_url):
    open_page(browser, live_url + "/comparer?territoires=T1,T2,T3,T4,T5,T6")
    notice = find(browser, ids.CMP_NOTICE)
    assert notice.get_attribute("role") == "status"
    wait(browser, lambda d: "Maximum atteint" in find(d, ids.CMP_NOTICE).text)
    picker = find(browser, PICKER)
    assert "sélectionnés" in picker.text and "selected" not in picker.text
    picker.click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-action-button"))
    actions = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".dash-dropdown-action-button")]
    assert "Tout sélectionner" in actions and "Select All" not in actions
    browser.find_element(By.CSS_SELECTOR, ".dash-dropdown-search").send_keys("Vitry")
    wait(browser, lambda d: any("Vitry-sur-Seine" in o for o in options_text(d)))
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # a 7th territory
    wait(browser, lambda d: "Vitry-sur-Seine" in find(d, ids.CMP_NOTICE).text)
    assert "n'a pas été ajouté" in find(browser, ids.CMP_NOTICE).text
    wait(browser, lambda d: picker_values(d) == ["T1", "T2", "T3", "T4", "T5", "T6"])
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)

    clear = find(browser, PICKER).find_element(By.CSS_SELECTOR, ".dash-dropdown-clear")
    assert clear.get_attribute("aria-label") == "Tout effacer"
    clear.click()
    for card in (ids.Card.CMP_SERIES, ids.Card.CMP_BARS):
        wait(
            browser,
            lambda d, c=card: "Aucun territoire" in find(d, ids.card_alt(c)).get_attribute("textContent"),
        )
        wait(
            browser,
            lambda d, c=card: d.execute_script(
                "var g = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');"
                "return g && g.data && g.data.length === 0",
                find(d, ids.card_graph(c)).get_attribute("id"),
            ),
        )
    assert find(browser, ids.CMP_NOTICE).text == ""
    assert console_errors(browser) == []


def test_presentation_entry_reaches_the_deck_and_escape_comes_back(browser, live_url):
    open_page(browser, live_url + "/?lang=en")
    browser.find_element(By.CSS_SELECTOR, ".app-navbar a.nav-link[href^='/presentation']").click()
    wait(browser, lambda d: urlparse(d.current_url).path == "/presentation")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Present or download a slide deck")
    for link_id in ("pres-pptx", "pres-pdf"):
        wait(
            browser,
            lambda d, i=link_id: "/export/presentation." in d.find_element(By.ID, i).get_attribute("href"),
        )
    browser.find_element(By.ID, "pres-launch").click()
    wait(
        browser,
        lambda d: d.execute_script(
            "var x = document.querySelector('.pres-deck'); return x && x.dataset.ready === '1'"
        ),
    )
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    wait(browser, lambda d: "slide=2" in d.current_url)
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    wait(
        browser, lambda d: "choisir=1" in d.current_url and not d.find_elements(By.CSS_SELECTOR, ".pres-deck")
    )
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Present or download a slide deck")


def open_deck(driver, url: str) -> None:
    driver.get(url)
    wait(
        driver,
        lambda d: d.execute_script(
            "var x = document.querySelector('.pres-deck'); return x && x.dataset.ready === '1'"
        ),
    )


def test_the_deck_reads_on_a_phone(browser, live_url):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    open_deck(browser, live_url + DECK + "&slide=2")
    wait(
        browser,
        lambda d: d.execute_script(
            "var g = document.querySelector('.pres-slide.is-active .js-plotly-plot'); return g && g.data && g.querySelector('.main-svg')"
        ),
    )
    box = browser.execute_script(
        """
        var s = document.querySelector('.pres-slide.is-active');
        function r(sel) { var e = s.querySelector(sel); var b = e.getBoundingClientRect();
                          return {left: b.left, right: b.right, width: b.width, height: b.height,
                                  font: parseFloat(getComputedStyle(e).fontSize)}; }
        var tb = document.querySelector('.pres-toolbar');
        return {title: r('.pres-title'), message: r('.pres-message'), chart: r('.pres-chart'),
                scroll: document.documentElement.scrollWidth, slideScroll: s.scrollWidth - s.clientWidth,
                toolbar: getComputedStyle(tb).opacity, button: tb.querySelector('.pres-btn').getBoundingClientRect().height};
        """
    )
    assert box["scroll"] <= 390 and box["slideScroll"] <= 1, "no horizontal scrolling"
    assert box["title"]["font"] >= 20 and box["message"]["font"] >= 16, "readable type"
    assert box["title"]["right"] <= 390 and box["message"]["right"] <= 390
    assert box["chart"]["width"] >= 340 and box["chart"]["height"] >= 300, "the chart spans the width"
    assert box["toolbar"] == "1" and box["button"] >= 44, "the controls show, with touch-sized targets"


def test_the_deck_by_keyboard_with_visible_focus_and_no_motion(browser, live_url):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    )
    open_deck(browser, live_url + DECK)
    style = browser.execute_script(
        "var t = getComputedStyle(document.querySelector('.pres-toolbar'));"
        "return [t.transitionDuration, t.animationName, t.opacity]"
    )
    assert style == ["0s", "none", "1"]
    ActionChains(browser).send_keys(Keys.END).perform()
    wait(browser, lambda d: "slide=5" in d.current_url)
    ActionChains(browser).send_keys(Keys.HOME).perform()
    wait(browser, lambda d: "slide=1" in d.current_url)
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    wait(browser, lambda d: "slide=2" in d.current_url)
    ActionChains(browser).send_keys(Keys.TAB).perform()  # into the toolbar: « previous »
    focused = browser.switch_to.active_element
    wait(browser, lambda d: d.switch_to.active_element.get_attribute("class") == "pres-btn")
    focused = browser.switch_to.active_element
    outline = browser.execute_script(
        "var s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)]", focused
    )
    assert outline[0] != "none" and outline[1] >= 2, "focus is visible"
    focused.send_keys(Keys.ENTER)  # Enter activates the focused button (previous), not « next »
    wait(browser, lambda d: "slide=1" in d.current_url)
