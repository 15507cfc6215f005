"""Snapshot step: make each declared raw file available locally, with its checksum.

Three ways, in this order of preference:
1. ``--raw-dir DIR``: the file is read in place from ``DIR/<path>``;
2. the cache ``data/raw/<path>`` already holds it (checksum verified);
3. ``--mirror DIR``: copied from ``DIR/<path>`` into the cache (offline runs, CI);
4. otherwise downloaded from its declared URL (the producer's own address: Insee, data.gouv.fr,
   SDES, Urssaf, ARCEP, IGN/Etalab) into the cache; ``member`` names the file inside the
   producer's archive (zip or tar.gz) when the URL serves one.
A declared sha256 that does not match is an error: a silently changed file would change figures.
Producers publish no checksum: where the declared sha256 cannot apply to a download (no sha256,
or a row extract whose download is the producer's full file), the sha256 of the bytes the URL
served is recorded at first download in ``etl/sources/checksums.lock`` and a later download
giving other bytes is an error naming the file (``ChecksumChanged``), never silently accepted.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from etl.config import Settings
from etl.contract import RawDataError
from etl.registry import SOURCES_DIR, FileSpec

USER_AGENT = "observatoire-gosb-etl/0.1 (+https://github.com/; open data)"
TIMEOUT_S = 60
#: sha256 of each producer URL at its first download (JSON: url → sha256, size, first download date)
LOCK_PATH = SOURCES_DIR / "checksums.lock"


class ChecksumChanged(RawDataError):
    """A producer's file differs from the bytes recorded at its first download."""


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


def _verified(spec: FileSpec, path: Path, origin: str, downloaded: bool = False) -> FetchedFile:
    digest = sha256_of(path)
    # Files an operator points at with --raw-dir may be a new release: their checksum is recorded
    # (and flagged by the pipeline), and the schema validation decides. Downloads, mirror copies
    # and the cache must match the declared checksum exactly.
    # An extract's declared checksum is that of the extract; its download is the full upstream file.
    # A member of a producer's archive that is not an extract must match the declared sha256.
    lenient = origin == "raw-dir" or (spec.extract and (origin == "download" or downloaded))
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
    """The bytes served at ``url`` into ``dest`` (atomic); ``RawDataError`` naming the URL on failure."""
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


def _extract_member(archive: Path, member: str, dest: Path) -> None:
    """Copy ``member`` of a zip or tar archive to ``dest`` (atomic)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=dest.parent, delete=False, prefix=".part-") as tmp:
        try:
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as zf:
                    # INSEE's member names change case between editions (.CSV / .csv)
                    names = {n.lower(): n for n in zf.namelist()}
                    with zf.open(names.get(member.lower(), member)) as fh:
                        shutil.copyfileobj(fh, tmp)
            else:
                with tarfile.open(archive) as tf:
                    fh = tf.extractfile(member)
                    if fh is None:
                        raise KeyError(member)
                    shutil.copyfileobj(fh, tmp)
        except (KeyError, zipfile.BadZipFile, tarfile.TarError) as exc:
            Path(tmp.name).unlink(missing_ok=True)
            raise RawDataError(archive, f"the archive has no member {member!r} ({exc})") from exc
    Path(tmp.name).replace(dest)


def _lock_entries(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def check_lock(url: str, downloaded: Path, lock_path: Path | None = None) -> str:
    """Record the sha256 of a producer's file at its first download; report a later change.

    Returns the digest. ``ChecksumChanged`` names the URL, both digests and the first download
    date: a new release must be looked at (and its lock entry removed) before it is accepted."""
    lock_path = lock_path or LOCK_PATH
    digest, size = sha256_of(downloaded), downloaded.stat().st_size
    with FileLock(str(lock_path) + ".lck"):
        entries = _lock_entries(lock_path)
        known = entries.get(url)
        if known is not None:
            if known["sha256"] != digest:
                raise ChecksumChanged(
                    downloaded,
                    f"the producer's file at {url} changed since its first download on "
                    f"{known.get('first_download')}: sha256 {known['sha256']} recorded in {lock_path.name}, "
                    f"{digest} now. Check the new release, then remove its entry from {lock_path} to accept it.",
                )
            return digest
        entries[url] = {
            "sha256": digest,
            "size": size,
            "first_download": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        tmp = lock_path.with_name(lock_path.name + ".tmp")
        tmp.write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(lock_path)
    return digest


def _download_file(spec: FileSpec, dest: Path) -> None:
    """Download ``spec`` from its producer into ``dest`` (the archive member when ``member`` is set),
    checking the download against the lock when the declared sha256 cannot apply to it."""
    assert spec.url is not None
    archive = dest.with_name(dest.name + ".download") if spec.member else dest
    _download(spec.url, archive)
    # the declared sha256 is that of the file parsed: it says nothing of an archive or a full file
    if not spec.sha256 or spec.extract or spec.member:
        try:
            check_lock(spec.url, archive)
        except ChecksumChanged:
            archive.unlink(missing_ok=True)
            raise
    if spec.member:
        _extract_member(archive, spec.member, dest)
        archive.unlink(missing_ok=True)
    _origin_path(dest).write_text(json.dumps({"url": spec.url, "sha256": sha256_of(dest)}), encoding="utf-8")


def _origin_path(cached: Path) -> Path:
    """Beside a downloaded file in the cache: the URL it came from and its sha256, so that the next
    run reuses a producer's full file (whose bytes the declared sha256 of an extract cannot match)."""
    return cached.with_name(cached.name + ".origin.json")


def _downloaded_intact(spec: FileSpec, cached: Path) -> bool:
    """The cached file is the one downloaded from ``spec.url`` and has not changed since."""
    try:
        origin = json.loads(_origin_path(cached).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return origin.get("url") == spec.url and origin.get("sha256") == sha256_of(cached)


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
    if cached.is_file() and spec.url and _downloaded_intact(spec, cached):
        return _verified(spec, cached, "cache", downloaded=True)
    if settings.mirror is not None:
        src = settings.mirror / spec.path
        if not src.is_file():
            raise RawDataError(src, "raw file not found in the mirror folder")
        _copy_atomic(src, cached)
        return _verified(spec, cached, "mirror")
    if not spec.url:
        why = f" ({spec.url_note.strip()})" if spec.url_note else ""
        raise RawDataError(
            cached, f"no official download URL declared for this file{why}; use --mirror or --raw-dir"
        )
    _download_file(spec, cached)
    return _verified(spec, cached, "download")
