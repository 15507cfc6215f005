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
