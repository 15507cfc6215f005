"""axe-core (WCAG 2.1 A/AA rules) on every public page type, in French and English, on a desktop
(1366 px) and a phone (390 px): any critical or serious violation fails, with its rule, nodes and
targets printed. ``python -m tests.a11y.audit URL`` prints the same audit for a running server.
"""

from __future__ import annotations

import pytest

from tests.a11y.helpers import PAGES, WIDTHS, blocking, describe, run_axe, wait_rendered, with_lang


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_no_critical_or_serious_violation(live_url, open_page, name, path, lang, width):
    page = open_page(*WIDTHS[width])
    page.goto(live_url + with_lang(path, lang))
    wait_rendered(page)
    found = blocking(run_axe(page))
    assert not found, f"{name} ({lang}, {width}):\n{describe(found)}"
