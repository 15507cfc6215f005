"""The keyboard path through the app, without a mouse: home → search → profile → map → comparison
→ deck → download, with Tab, Enter and the arrow keys only. Every element reached shows a visible
focus indicator (an outline or a box-shadow on :focus-visible) and Tab always moves on (no trap).
"""

from __future__ import annotations

from typing import Any

from tests.a11y.helpers import wait_rendered

_ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) { return null; }
    const s = getComputedStyle(e);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
    const shadow = s.boxShadow && s.boxShadow !== "none" && !/^rgba\\(0, 0, 0, 0\\)/.test(s.boxShadow);
    if (!e.dataset.kbId) { e.dataset.kbId = String(Math.random()); }
    return {id: e.dataset.kbId, tag: e.tagName, text: (e.innerText || e.value || "").slice(0, 60),
            visible: outline || shadow};
}"""
_MATCHES = "(sel) => !!document.activeElement && document.activeElement.matches(sel)"


def tab_to(page: Any, selector: str, limit: int = 250) -> int:
    """Press Tab until the focused element matches ``selector``; every stop must show its focus and
    focus must move at each press (no trap). Returns the number of presses."""
    previous = None
    stuck = 0
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        if active is not None:
            assert active["visible"], f"no visible focus on {active['tag']} « {active['text']} »"
            stuck = stuck + 1 if previous == active["id"] else 0
            assert stuck < 2, f"keyboard trap on {active['tag']} « {active['text']} »"
            previous = active["id"]
        if page.evaluate(_MATCHES, selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


_SEARCH_VALUE = """() => {
    const e = document.activeElement;
    return e && e.matches("input.dash-dropdown-search") ? e.value : null;
}"""


def type_in_search(page: Any, text: str) -> None:
    """Type into the search box as a person would. The first key opens the box and moves the focus
    to its text field; on a busy machine the next keys can arrive before the field has the focus,
    so wait for the field, then check what it holds and type it again if keys were lost."""
    page.keyboard.type(text[0])
    page.wait_for_function(f"() => ({_SEARCH_VALUE})() !== null", polling=50)
    page.keyboard.type(text[1:])
    if page.evaluate(_SEARCH_VALUE) != text:
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
    page.wait_for_function(f"(t) => ({_SEARCH_VALUE})() === t", arg=text, polling=50)


def test_keyboard_path_home_search_profile_map_compare_deck_download(live_url, open_page):
    page = open_page(1366, 900)
    page.goto(live_url + "/")
    wait_rendered(page)

    # home: the first Tab stop is the skip link
    assert tab_to(page, "#skip-link", limit=1) == 1

    # search: type a name, Enter opens the first result
    tab_to(page, "#commune-search")
    type_in_search(page, "Vitry")
    page.get_by_role("option", name="Vitry-sur-Seine").first.wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**/commune/94081**")
    wait_rendered(page)
    assert page.inner_text("h1") == "Vitry-sur-Seine"

    # profile → map: the profile's own link; the map's indicator changes with the arrow keys
    tab_to(page, "main a[href^='/carte']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/carte**")
    wait_rendered(page)
    tab_to(page, "main select")
    before = page.url
    page.keyboard.press("ArrowDown")
    page.wait_for_function("(u) => location.href !== u", arg=before)
    wait_rendered(page)

    # comparison: from the navigation; its chart's CSV link is reachable and filled
    tab_to(page, "header a[href^='/comparer']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/comparer**")
    wait_rendered(page)
    tab_to(page, "main a[href*='.csv']")

    # deck: from the navigation, launch it, next slide with the right arrow
    tab_to(page, "header a[href^='/presentation']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/presentation**")
    wait_rendered(page)
    tab_to(page, "#pres-launch")
    page.keyboard.press("Enter")
    page.wait_for_url("**slide=1**")
    wait_rendered(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=2**")

    # download: the deck's PowerPoint link
    tab_to(page, "a[href*='.pptx']", limit=80)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".pptx")
