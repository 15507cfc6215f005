"""Snapshot step: raw-dir, mirror, cache, download (from a loopback HTTP server) and checksums."""

from __future__ import annotations

import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path

import pytest

from etl.config import Settings
from etl.contract import RawDataError
from etl.fetch import fetch
from etl.registry import FileSpec

CONTENT = b"CODGEO;P22_POP\n94081;95282\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture()
def served(tmp_path: Path):
    root = tmp_path / "www"
    (root / "stats").mkdir(parents=True)
    (root / "stats" / "f.csv").write_bytes(CONTENT)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def settings(tmp_path: Path, **kw) -> Settings:
    return Settings(database_url="sqlite://", data_dir=tmp_path / "data", **kw)


def test_download_then_cache(tmp_path: Path, served: str) -> None:
    spec = FileSpec(key="main", path="stats/f.csv", url=f"{served}/stats/f.csv", sha256=SHA)
    first = fetch(spec, settings(tmp_path))
    assert first.origin == "download" and first.sha256 == SHA
    assert first.path == tmp_path / "data" / "raw" / "stats" / "f.csv"
    again = fetch(spec, settings(tmp_path))
    assert again.origin == "cache"


def test_download_checksum_mismatch_is_an_error(tmp_path: Path, served: str) -> None:
    spec = FileSpec(key="main", path="stats/f.csv", url=f"{served}/stats/f.csv", sha256="0" * 64)
    with pytest.raises(RawDataError, match="checksum mismatch"):
        fetch(spec, settings(tmp_path))


def test_download_failure_names_the_url(tmp_path: Path, served: str) -> None:
    spec = FileSpec(key="main", path="stats/g.csv", url=f"{served}/stats/missing.csv")
    with pytest.raises(RawDataError, match="download failed .*missing.csv"):
        fetch(spec, settings(tmp_path))
    assert not (tmp_path / "data" / "raw" / "stats" / "g.csv").exists()  # no partial file left


def test_mirror_and_raw_dir(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "stats").mkdir(parents=True)
    (mirror / "stats" / "f.csv").write_bytes(CONTENT)
    spec = FileSpec(key="main", path="stats/f.csv", url=None, sha256=SHA)
    got = fetch(spec, settings(tmp_path, mirror=mirror))
    assert got.origin == "mirror" and got.path.read_bytes() == CONTENT
    in_place = fetch(spec, settings(tmp_path, raw_dir=mirror))
    assert in_place.origin == "raw-dir" and in_place.path == mirror / "stats" / "f.csv"
    with pytest.raises(RawDataError, match="not found in the mirror"):
        fetch(FileSpec(key="x", path="stats/nope.csv"), settings(tmp_path, mirror=mirror))
