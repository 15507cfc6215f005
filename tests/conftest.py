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
    """A SQLite store loaded once per test session by the real pipeline on the real raw files."""
    from etl.config import Settings
    from etl.pipeline import run

    data = tmp_path_factory.mktemp("store")
    settings = Settings(
        database_url=f"sqlite:///{data / 'observatoire.sqlite'}", data_dir=data, raw_dir=raw_dir
    )
    run(settings)
    return settings.database_url


@pytest.fixture(scope="session")
def store_engine(store_url: str):
    """An engine on the session's real store (read it, do not write to it)."""
    from etl.store.db import make_engine

    engine = make_engine(store_url)
    yield engine
    engine.dispose()
