"""Issue #15 in headless Chromium: from a commune profile, follow « D'où vient ce chiffre ? » and
find, on ``/explication``, the formula with its numbers (the same text as the API's). Every step
waits for what it checks (never a fixed sleep)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.browser
TIMEOUT = 90


def _wait(driver, condition):
    return WebDriverWait(
        driver,
        TIMEOUT,
        poll_frequency=0.2,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException),
    ).until(condition)


def _click(driver, selector: str) -> bool:
    """Scroll the link to the middle of the window and click it; False (retried) while something
    else (a sticky bar, a loading overlay) is over it."""
    el = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    try:
        el.click()
    except ElementClickInterceptedException:
        # something (a sticky header, a chart's hover layer) is over the link: activate it as the
        # keyboard would, which is what the link must support anyway
        el.send_keys(Keys.ENTER)
    return True


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_profile_value_links_to_its_formula(browser, live_url):
    """GOSB's unemployment rate beside Vitry's: the link opens the sum over the 24 communes."""
    browser.get(live_url + "/commune/94081?theme=emploi")
    selector = 'a[href*="/explication"][href*="indicateur=unemployment_rate"][href*="territoire=T12"]'
    link = _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, selector))
    assert link.get_attribute("aria-label").startswith("D'où vient ce chiffre ?")
    href = link.get_attribute("href")
    _wait(browser, lambda d: _click(d, selector))
    _wait(browser, lambda d: "/explication" in d.current_url)
    formula = _wait(browser, lambda d: d.find_element(By.ID, "explain-formula"))
    _wait(browser, lambda d: "÷" in d.find_element(By.ID, "explain-formula").text)
    shown = _plain(formula.text)
    year = href.split("annee=")[1].split("&")[0]
    api = f"{live_url}/api/v1/explain?indicator=unemployment_rate&territory=T12&year={year}"
    with urllib.request.urlopen(api, timeout=TIMEOUT) as resp:
        body = json.load(resp)
    expected = _plain(body["text"]["fr"]["formula"])
    assert shown == expected
    # the formula with its numbers: « 12,8 % = 45 932 chômeurs … ÷ 357 646 actifs …, somme des 24 communes »
    assert "%" in shown and "=" in shown and "24 communes" in shown
    assert any(ch.isdigit() for ch in shown.split("÷")[1])
