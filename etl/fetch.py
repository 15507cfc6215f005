"""Snapshot step: make each declared raw file available locally, with its checksum.

Three ways, in this order of preference:
1. ``--raw-dir DIR``: the file is read in place from ``DIR/<path>``;
2. the cache ``data/raw/<path>`` already holds it (checksum verified);
3. ``--mirror DIR``: copied from ``DIR/<path>`` into the cache (offline runs, CI);
4. otherwise downloaded from its declared URL into the cache.
A declared sha256 that does not match is an error: a silently changed file would change figures.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from etl.config import Settings
from etl.contract import RawDataError
from etl.registry import FileSpec

USER_AGENT = "observatoire-gosb-etl/0.1 (+https://github.com/; open data)"
TIMEOUT_S = 60


@dataclass(frozen=True)
class FetchedFile:
    """A raw file ready to parse, and where it came from."""

    spec: FileSpec
    path: Path
    sha256: str
    size: int
    origin: str  # raw-dir, cache, mirror, download


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(spec: FileSpec, path: Path, origin: str) -> FetchedFile:
    digest = sha256_of(path)
    # Files an operator points at with --raw-dir may be a new release: their checksum is recorded
    # (and flagged by the pipeline), and the schema validation decides. Downloads, mirror copies
    # and the cache must match the declared checksum exactly.
    # An extract's declared checksum is that of the extract; its download is the full upstream file.
    lenient = origin == "raw-dir" or (spec.extract and origin == "download")
    if spec.sha256 and digest != spec.sha256 and not lenient:
        raise RawDataError(
            path,
            f"checksum mismatch: expected sha256 {spec.sha256}, got {digest} "
            f"(the file changed; check its vintage and update etl/sources if it is a new release)",
        )
    return FetchedFile(spec, path, digest, path.stat().st_size, origin)


def _copy_atomic(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.NamedTemporaryFile(dir=dest.parent, delete=False, prefix=".part-") as tmp,
        src.open("rb") as fh,
    ):
        shutil.copyfileobj(fh, tmp)
    Path(tmp.name).replace(dest)


def _download(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False, prefix=".part-") as tmp:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as resp:  # noqa: S310 (declared URLs)
                shutil.copyfileobj(resp, tmp)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            Path(tmp.name).unlink(missing_ok=True)
            raise RawDataError(
                dest,
                f"download failed from {url}: {exc}. Run offline with --mirror DIR or --raw-dir DIR.",
            ) from exc
    Path(tmp.name).replace(dest)


def fetch(spec: FileSpec, settings: Settings) -> FetchedFile:
    """Make one raw file available locally (see the module docstring for the order)."""
    if settings.raw_dir is not None:
        path = settings.raw_dir / spec.path
        if not path.is_file():
            raise RawDataError(path, "raw file not found in --raw-dir")
        return _verified(spec, path, "raw-dir")
    cached = settings.cache_dir / spec.path
    if cached.is_file() and (not spec.sha256 or sha256_of(cached) == spec.sha256):
        return _verified(spec, cached, "cache")
    if settings.mirror is not None:
        src = settings.mirror / spec.path
        if not src.is_file():
            raise RawDataError(src, "raw file not found in the mirror folder")
        _copy_atomic(src, cached)
        return _verified(spec, cached, "mirror")
    if not spec.url:
        raise RawDataError(cached, "no download URL declared for this file; use --mirror or --raw-dir")
    _download(spec.url, cached)
    return _verified(spec, cached, "download")
