"""Every public page type, in French and English, loaded once and audited at each width the RGAA
asks about (the page is resized in place and re-rendered, rather than loaded four times):

* 1366 px: structure (one <h1> first, headings in order, landmarks, a document title naming the
  page and the place, ``lang`` on the document and on the language switch, the footer's
  accessibility link) and axe-core (WCAG 2.1 A/AA rules);
* 683 px (a 1366 px screen at 200 % zoom, WCAG 1.4.4) and 320 px (WCAG 1.4.10): no horizontal
  scrolling, the heading inside the screen;
* 390 px (a phone): axe-core again.

Any critical or serious axe violation fails the test, with its rule, nodes and targets printed.
``python -m tests.a11y.audit URL`` prints the same audit for a running server.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.a11y.helpers import PAGES, blocking, describe, run_axe, structure, wait_rendered, with_lang

SITE = {"fr": "Observatoire du Grand-Orly Seine Bièvre", "en": "Grand-Orly Seine Bièvre Observatory"}
#: What the document title names, beyond the page's own <h1> (the place, the kind of page).
TITLE_PARTS = {
    "commune": {"fr": "Vitry-sur-Seine — profil communal", "en": "Vitry-sur-Seine — commune profile"},
    "deck": {"fr": "Vitry-sur-Seine", "en": "Vitry-sur-Seine"},
    "home": {"fr": "Grand-Orly Seine Bièvre", "en": "Grand-Orly Seine Bièvre"},
}
DECK = {"deck"}  # full-screen slides: no site header, footer or search


def _resize(page: Any, width: int, height: int) -> None:
    """Resize the viewport and wait until the page has re-rendered (charts relayout on resize)."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => { window.__a11yCalm = 0; window.dispatchEvent(new Event('resize')); }")
    page.wait_for_function(f"() => window.innerWidth === {width}", polling=100)
    wait_rendered(page)


def _check_structure(page: Any, name: str, lang: str) -> None:
    s = structure(page)
    assert s["lang"] == lang
    assert len(s["h1"]) == 1, f"{name}: h1 {s['h1']}"
    assert s["first_heading"] == 1, name
    assert not s["skips"], f"{name}: heading levels skipped {s['skips']}"
    assert s["main"] == 1
    assert s["title"].endswith(" — " + SITE[lang]), s["title"]
    assert s["title"][: -len(" — " + SITE[lang])].strip(), f"{name}: the title does not name the page"
    if name in TITLE_PARTS:
        assert TITLE_PARTS[name][lang] in s["title"], s["title"]
    if name not in DECK:
        assert s["nav"] >= 1 and s["contentinfo"] >= 1 and s["search"] >= 1, s
        assert page.locator("header").count() >= 1
        other = "en" if lang == "fr" else "fr"
        assert page.get_attribute("#lang-link", "lang") == other
        footer = page.locator("footer a[href^='/accessibilite']")
        assert footer.count() == 1
        expected = "Accessibilité : partiellement conforme" if lang == "fr" else "Accessibility: partially"
        assert expected in footer.inner_text()


def _check_reflow(page: Any, name: str, width: int) -> None:
    s = structure(page)
    assert s["scroll_width"] <= s["inner_width"], (
        f"{name} at {width} px: {s['scroll_width']} > {s['inner_width']}"
    )
    box = page.locator("h1").first.bounding_box()  # the page's own heading is inside the screen
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1


def _check_axe(page: Any, name: str, lang: str, width: int) -> None:
    found = blocking(run_axe(page))
    assert not found, f"{name} ({lang}, {width} px):\n{describe(found)}"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_page_structure_reflow_and_axe(live_url, open_page, name, path, lang):
    page = open_page(1366, 900)
    page.goto(live_url + with_lang(path, lang))
    wait_rendered(page)
    _check_structure(page, name, lang)
    _check_axe(page, name, lang, 1366)
    _resize(page, 683, 800)
    _check_reflow(page, name, 683)
    _resize(page, 390, 844)
    _check_axe(page, name, lang, 390)
    _resize(page, 320, 800)
    _check_reflow(page, name, 320)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_header_fits_between_the_phone_and_the_wide_screen(live_url, open_page, lang):
    """R1 #4: the header (brand, six links, search, language switch) never makes the page scroll
    sideways where it is laid out on one row (≥ 992 px); the language switch stays on screen."""
    page = open_page(1366, 900)
    page.goto(live_url + with_lang("/presentation", lang))
    wait_rendered(page)
    for width in (1366, 1280, 1100, 992):
        _resize(page, width, 900)
        header = page.evaluate("() => document.querySelector('header').scrollWidth")
        assert header <= width, f"header {header} px at {width} px"
        box = page.locator("#lang-link").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (
            f"language switch off screen at {width} px"
        )
