"""Structure and reflow of every public page type: one <h1> first and headings in order,
landmarks (header, navigation, search, main, footer), a document title naming the page (and the
place), ``lang`` on the document and on the language switch; no horizontal scrolling at 320 CSS px
(WCAG 1.4.10) nor at 200 % zoom of a 1366 px screen (683 CSS px, WCAG 1.4.4).
"""

from __future__ import annotations

import pytest

from tests.a11y.helpers import PAGES, structure, wait_rendered, with_lang

SITE = {"fr": "Observatoire du Grand-Orly Seine Bièvre", "en": "Grand-Orly Seine Bièvre Observatory"}
#: What the document title names, beyond the page's own <h1> (the place, the kind of page).
TITLE_PARTS = {
    "commune": {"fr": "Vitry-sur-Seine — profil communal", "en": "Vitry-sur-Seine — commune profile"},
    "deck": {"fr": "Vitry-sur-Seine", "en": "Vitry-sur-Seine"},
    "home": {"fr": "Grand-Orly Seine Bièvre", "en": "Grand-Orly Seine Bièvre"},
}
DECK = {"deck"}  # full-screen slides: no site header, footer or search


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_headings_landmarks_title_and_language(live_url, open_page, name, path, lang):
    page = open_page(1366, 900)
    page.goto(live_url + with_lang(path, lang))
    wait_rendered(page)
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


@pytest.mark.parametrize("width", [320, 683])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_horizontal_scrolling(live_url, open_page, name, path, width):
    page = open_page(width, 800)
    page.goto(live_url + with_lang(path, "fr" if width == 683 else "en"))
    wait_rendered(page)
    s = structure(page)
    assert s["scroll_width"] <= s["inner_width"], (
        f"{name} at {width} px: {s['scroll_width']} > {s['inner_width']}"
    )
    # nothing cut off: the page's own heading and first chart/table are inside the screen
    box = page.locator("h1").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
