"""Fixtures of the accessibility tests: the app on the session's real store served in a thread
(``tests.app.conftest``), and Debian's Chromium driven by Playwright (never a downloaded browser),
one browser context per viewport so that the app's scripts are fetched once per width.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.a11y.helpers import CHROMIUM, CHROMIUM_ARGS
from tests.app.conftest import _session_store, dash_app, live_url  # noqa: F401 - shared fixtures


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is needed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Contexts(dict):
    """Browser contexts by viewport (width, height), created on first use."""

    def __init__(self, browser: Any) -> None:
        super().__init__()
        self.browser = browser

    def __missing__(self, size: tuple[int, int]) -> Any:
        ctx = self.browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
        ctx.set_default_timeout(60_000)
        self[size] = ctx
        return ctx


@pytest.fixture(scope="session")
def contexts(chromium: Any) -> Iterator[_Contexts]:
    found = _Contexts(chromium)
    yield found
    for ctx in found.values():
        ctx.close()


@pytest.fixture()
def open_page(contexts: _Contexts) -> Iterator[Any]:
    """``open_page(width, height)``: a new tab of that viewport, closed after the test."""
    pages: list[Any] = []

    def make(width: int = 1366, height: int = 900) -> Any:
        page = contexts[(width, height)].new_page()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()
