"""Debian's Chromium, the project's one browser (tagged PDFs, chart images, browser tests,
benchmarks): where it is, and the flags every start uses. Never a downloaded browser.

``--disable-background-networking`` and its neighbours keep Chromium from calling home: this
machine has no network but the package registries, and refused connections slow every start.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: selenium starts the browser itself: headless is a flag there (Playwright sets it on its own)
SELENIUM_ARGS = ["--headless=new", *ARGS]
