"""Run-time settings of the ETL and the app, read from the environment (12-factor style).

- ``DATABASE_URL``: the SQL store (default: SQLite file ``data/observatoire.sqlite``).
- ``OBSERVATOIRE_DATA_DIR``: where downloaded raw files are cached (default ``data/``).
- ``OBSERVATOIRE_MIRROR``: a folder holding the raw files (same layout as the official
  snapshot, e.g. ``../shared/data/raw``); missing files are copied from it instead of downloaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_DIR / "data"


def default_database_url(data_dir: Path | None = None) -> str:
    """``DATABASE_URL`` if set, else the SQLite file under the data folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants postgresql+psycopg.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    data_dir = data_dir or Path(os.environ.get("OBSERVATOIRE_DATA_DIR", DEFAULT_DATA_DIR))
    return f"sqlite:///{(data_dir / 'observatoire.sqlite').resolve()}"


@dataclass(frozen=True)
class Settings:
    """Where the ETL reads raw files from and writes the store to."""

    database_url: str
    data_dir: Path
    raw_dir: Path | None = None  # read raw files in place from this folder (no copy)
    mirror: Path | None = None  # copy missing raw files from this folder instead of downloading

    @property
    def cache_dir(self) -> Path:
        """Downloaded or mirrored raw files live here, in the snapshot's layout."""
        return self.data_dir / "raw"

    @classmethod
    def from_env(
        cls,
        database_url: str | None = None,
        raw_dir: str | Path | None = None,
        mirror: str | Path | None = None,
        data_dir: str | Path | None = None,
    ) -> Settings:
        data = Path(data_dir or os.environ.get("OBSERVATOIRE_DATA_DIR", DEFAULT_DATA_DIR)).resolve()
        mirror = mirror or os.environ.get("OBSERVATOIRE_MIRROR") or None
        return cls(
            database_url=database_url or default_database_url(data),
            data_dir=data,
            raw_dir=Path(raw_dir).resolve() if raw_dir else None,
            mirror=Path(mirror).resolve() if mirror else None,
        )
