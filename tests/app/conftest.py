"""Fixtures of the app tests: the app on the session's real store, a live server in a thread on a
free port of 127.0.0.1, and headless Chromium (Debian's) driven by selenium.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import chromium

os.environ.setdefault("OBSERVATOIRE_WARM", "0")  # the fixtures warm the caches themselves

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROME_FLAGS = chromium.SELENIUM_ARGS


@pytest.fixture(scope="session")
def dash_app(store_engine):
    """The Dash app reading the session's store."""
    import app as app_module
    from callbacks import data
    from callbacks.engine import set_engine

    set_engine(store_engine)
    data.reset()
    yield app_module.app
    set_engine(None)
    data.reset()


@pytest.fixture(autouse=True)
def _session_store(request):
    """Every app test reads the session's store, even if another test module swapped the engine."""
    if "store_engine" not in request.fixturenames and "dash_app" not in request.fixturenames:
        yield
        return
    from callbacks.engine import get_engine, set_engine

    engine = request.getfixturevalue("store_engine")
    if get_engine() is not engine:
        set_engine(engine)
    yield


@pytest.fixture(scope="session")
def client(dash_app):
    """Flask test client of the app (downloads, GeoJSON, API)."""
    return dash_app.server.test_client()


@pytest.fixture(scope="session")
def live_url(dash_app) -> Iterator[str]:
    """The app served by werkzeug in a daemon thread; caches warmed first so pages answer fast."""
    from werkzeug.serving import make_server

    import callbacks

    callbacks.warm_up()
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def downloads() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="obs-dl-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture()
def browser(downloads: Path):
    """Headless Chromium with a fresh profile, console and network logs, downloads allowed."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are needed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="obs-chrome-")
    opts = webdriver.ChromeOptions()
    for flag in CHROME_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    opts.add_argument("--window-size=1366,1000")
    opts.binary_location = CHROMIUM
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    opts.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
