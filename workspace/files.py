"""Received files: size and type checks, and the staging area (nothing here is ever executed).

A file is kept under ``<data dir>/uploads/.staging/<sha256><ext>`` — a name computed here, never
the uploader's — with mode 0640, after checking its size, its extension (that of the declared
file) and its content: text without NUL bytes for CSV, a real ZIP without unsafe member names,
encryption or bomb ratios (never extracted), Parquet magic bytes, XLSX without macros.
Staged files older than a day are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl import uploads as etl_uploads
from etl.config import Settings

ALLOWED_EXT = (".csv", ".txt", ".zip", ".parquet", ".xlsx")
STAGING = ".staging"
STAGING_TTL_S = 24 * 3600
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"#!")
_MAX_ZIP_RATIO = 200
_MAX_UNZIPPED = 1 << 30


class UploadRejected(ValueError):
    """The file is refused; the message says why and is safe to show."""


@dataclass(frozen=True)
class Staged:
    """A staged upload waiting for the officer's confirmation."""

    path: Path
    sha256: str
    size: int
    original_name: str


def safe_name(name: str | None) -> str:
    """The uploader's file name, for display only: base name, no control characters, 255 max."""
    base = re.split(r"[\\/]", name or "")[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", base).strip()[:255] or "upload"


def declared_ext(template_id: str, file_key: str) -> str:
    sources = etl_uploads.statistical_sources()
    if template_id not in sources:
        raise UploadRejected(f"unknown source {template_id!r}")
    files = {f.key: f for f in sources[template_id].files}
    if file_key not in files:
        raise UploadRejected(f"source {template_id} has no file {file_key!r}")
    return Path(files[file_key].path).suffix.lower()


def sniff(path: Path, ext: str) -> None:
    """Check that the content is of the declared type (never trusting the name alone)."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if ext in (".csv", ".txt"):
        if head.startswith(_BINARY_MAGIC):
            raise UploadRejected("this is not a text (CSV) file")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                if b"\x00" in chunk:
                    raise UploadRejected("this is not a text (CSV) file: it holds NUL bytes")
    elif ext == ".parquet":
        with path.open("rb") as fh:
            fh.seek(-4, os.SEEK_END)
            tail = fh.read(4)
        if not (head.startswith(b"PAR1") and tail == b"PAR1"):
            raise UploadRejected("this is not a Parquet file")
    elif ext in (".zip", ".xlsx"):
        _check_zip(path, ext)
    else:
        raise UploadRejected(f"files of type {ext or '(none)'} are not accepted")


def _check_zip(path: Path, ext: str) -> None:
    if not zipfile.is_zipfile(path):
        raise UploadRejected("this is not a ZIP archive")
    with zipfile.ZipFile(path) as zf:
        total = 0
        for info in zf.infolist():
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", name) or ":" in name:
                raise UploadRejected(f"archive member with an unsafe name: {safe_name(name)!r}")
            if info.flag_bits & 0x1:
                raise UploadRejected("encrypted archives are not accepted")
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > _MAX_ZIP_RATIO:
                raise UploadRejected("archive member compressed suspiciously well (zip bomb?)")
        if total > _MAX_UNZIPPED:
            raise UploadRejected("archive too large once uncompressed")
        names = set(zf.namelist())
    if ext == ".xlsx" and ("[Content_Types].xml" not in names or any("vbaProject" in n for n in names)):
        raise UploadRejected("not a plain Excel workbook (macros are not accepted)")


def staging_dir(settings: Settings) -> Path:
    root = etl_uploads.uploads_root(settings)
    path = root / STAGING
    path.mkdir(parents=True, exist_ok=True, mode=0o750)
    return path


def write_private(dest: Path, data: bytes | Path) -> None:
    """Write atomically with mode 0640 (never executable) inside ``dest``'s folder."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, Path):
                with data.open("rb") as src:
                    shutil.copyfileobj(src, fh)
            else:
                fh.write(data)
        os.chmod(tmp, 0o640)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean_staging(folder: Path) -> None:
    cutoff = time.time() - STAGING_TTL_S
    for p in folder.iterdir():
        with contextlib.suppress(OSError):
            if p.is_file() and p.stat().st_mtime < cutoff:
                p.unlink()


def stage(
    settings: Settings,
    data: bytes,
    original_name: str | None,
    template_id: str,
    file_key: str,
    max_bytes: int,
) -> Staged:
    """Keep a received file for checking (size, type); raise ``UploadRejected`` otherwise."""
    ext = declared_ext(template_id, file_key)
    name = safe_name(original_name)
    if Path(name).suffix.lower() != ext:
        raise UploadRejected(f"the file of {template_id}:{file_key} is a {ext} file (got {name!r})")
    if not data:
        raise UploadRejected("the file is empty")
    if len(data) > max_bytes:
        raise UploadRejected(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    folder = staging_dir(settings)
    _clean_staging(folder)
    sha = hashlib.sha256(data).hexdigest()
    dest = folder / f"{sha}{ext}"
    write_private(dest, data)
    try:
        sniff(dest, ext)
    except UploadRejected:
        dest.unlink(missing_ok=True)
        raise
    return Staged(dest, sha, len(data), name)


def find_staged(settings: Settings, sha: str, template_id: str, file_key: str) -> Path:
    """The staged file of a preview (by its checksum), refusing anything but a checksum name."""
    if not isinstance(sha, str) or not _SHA_RE.match(sha):
        raise UploadRejected("unknown upload")
    path = staging_dir(settings) / f"{sha}{declared_ext(template_id, file_key)}"
    if not path.is_file():
        raise UploadRejected("this upload is no longer available: send the file again")
    return path
