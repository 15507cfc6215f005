"""Shared test fixtures: where the real raw files are (CI points it at ../shared/data/raw)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def raw_dir_path() -> Path:
    """The raw-data mirror used by the tests: $OBSERVATOIRE_MIRROR or ../shared/data/raw."""
    return Path(os.environ.get("OBSERVATOIRE_MIRROR", REPO.parent / "shared" / "data" / "raw")).resolve()


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    path = raw_dir_path()
    if not path.is_dir():
        pytest.fail(f"raw data mirror not found at {path}: set OBSERVATOIRE_MIRROR")
    return path


@pytest.fixture(scope="session")
def store_url(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store loaded by the real pipeline on the real raw files, once per test run: the
    pytest-xdist workers share it (the first one builds it under a file lock, the others wait and
    read it). Tests read it and never write to it (copy it first, as the workspace tests do).

    ``OBSERVATOIRE_TEST_STORE=path/to/observatoire.sqlite`` reuses a store built beforehand
    (``python -m etl run``), for a quick loop while developing; CI always builds its own.
    """
    from filelock import FileLock

    from etl.config import Settings
    from etl.pipeline import run

    prebuilt = os.environ.get("OBSERVATOIRE_TEST_STORE")
    if prebuilt and Path(prebuilt).is_file():
        return f"sqlite:///{Path(prebuilt).resolve()}"
    # the parent of the base temp folder is shared by every xdist worker of this run
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    data = root / "shared-store"
    data.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite:///{data / 'observatoire.sqlite'}", data_dir=data, raw_dir=raw_dir
    )
    done = data / "loaded.ok"
    with FileLock(str(data / "build.lock")):
        if not done.exists():
            run(settings)
            done.write_text("ok")
    return settings.database_url


@pytest.fixture(scope="session")
def store_engine(store_url: str):
    """An engine on the session's real store (read it, do not write to it)."""
    from etl.store.db import make_engine

    engine = make_engine(store_url)
    yield engine
    engine.dispose()
