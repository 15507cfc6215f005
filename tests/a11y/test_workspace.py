"""axe-core on the officers' workspace: the login page, and the workspace page of a logged-in
officer (French and English, desktop and phone). The app runs in workspace mode in a subprocess
(its mode is read once per process) on a private copy of the session's store, with an officer
account created for the test; cookies without ``Secure`` since the test server speaks plain HTTP.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.helpers import WIDTHS, blocking, describe, run_axe, wait_rendered
from tests.conftest import REPO

SERVE = (
    "import os, app\n"
    "from werkzeug.serving import run_simple\n"
    "run_simple('127.0.0.1', int(os.environ['A11Y_PORT']), app.server, threaded=True)\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workspace_server(
    store_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, str]]:
    """(base URL, username, password) of the app in workspace mode."""
    from etl.store import db
    from tests.workspace.conftest import copy_store
    from workspace import users

    data_dir = tmp_path_factory.mktemp("a11y-workspace")
    url = copy_store(store_url, data_dir)
    engine = db.make_engine(url)
    db.migrate(engine)
    username = "agent-a11y"
    password = secrets.token_urlsafe(24)  # made per run, never written down
    users.add_user(engine, username, password, "officer")
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "OBSERVATOIRE_MODE": "workspace",
        "OBSERVATOIRE_SECRET_KEY": secrets.token_urlsafe(48),
        "OBSERVATOIRE_COOKIE_SECURE": "0",
        "OBSERVATOIRE_WARM": "0",
        "OBSERVATOIRE_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "A11Y_PORT": str(port),
    }
    log = Path(data_dir) / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", SERVE], cwd=REPO, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(base + "/auth/login", timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"workspace server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)  # polling the server's start-up (not a wait in the browser)
    yield base, username, password
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_login_page(workspace_server, open_page, width):
    base, _, _ = workspace_server
    page = open_page(*WIDTHS[width])
    page.goto(base + "/auth/login?next=/espace")
    page.locator("h1").wait_for()
    assert page.evaluate("document.documentElement.lang") == "fr"
    found = blocking(run_axe(page))
    assert not found, describe(found)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_workspace_page_logged_in(workspace_server, chromium, width, lang):
    base, username, password = workspace_server
    context = chromium.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    try:
        page = context.new_page()
        page.goto(base + "/auth/login?next=/espace")
        page.fill("#username", username)
        page.fill("#password", password)
        page.keyboard.press("Enter")  # submit the form from the keyboard
        page.wait_for_url("**/espace**")
        wait_rendered(page)
        if lang == "en":
            page.goto(base + "/espace?lang=en")
            wait_rendered(page)
        assert page.evaluate("document.documentElement.lang") == lang
        found = blocking(run_axe(page))
        assert not found, f"/espace ({lang}, {width}):\n{describe(found)}"
    finally:
        context.close()
