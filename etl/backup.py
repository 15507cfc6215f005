"""Backups of the store: ``python -m etl backup [--out FILE]``.

What must never be lost is the officers' work (notes, targets, saved views, accounts, audit log,
uploads): the statistical tables can always be rebuilt by ``python -m etl run``, but a backup
holds everything, so that a restore gives back exactly the served state.

- SQLite: the ``sqlite3`` online backup API (a consistent snapshot while the app serves, even
  during an ETL run), checked with ``PRAGMA integrity_check``. Default file:
  ``<data dir>/backups/observatoire-<UTC time>.sqlite``.
- PostgreSQL: ``pg_dump --format=custom`` (PostgreSQL client tools needed); the password goes
  through ``PGPASSWORD``, never the command line. Restore: ``pg_restore --clean --if-exists -d DB FILE``.
- Officer uploads (``<data dir>/uploads``: the raw files later ETL runs re-read) are archived
  beside the dump as ``<FILE>.uploads.tar.gz``.

Backups hold password hashes: they are written with mode 0600. Restore (SQLite): stop the app,
copy the file over ``data/observatoire.sqlite``, and unpack the uploads archive in ``data/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from etl.config import Settings
from etl.store.lock import writer_lock

UPLOADS = "uploads"


def _private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)


def backup_sqlite(db_path: Path, out: Path) -> Path:
    """Online copy of a SQLite store, integrity-checked."""
    if not db_path.is_file():
        raise FileNotFoundError(f"no SQLite store at {db_path}")
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    _private(tmp)
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(tmp)
    try:
        with dst:
            src.backup(dst)
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file (no -wal beside it)
    finally:
        dst.close()
        src.close()
    if result != "ok":
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"backup failed the integrity check: {result}")
    tmp.replace(out)
    return out


def backup_postgres(url: str, out: Path) -> Path:
    """``pg_dump`` of a PostgreSQL store (custom format)."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise RuntimeError(
            "pg_dump not found: install the PostgreSQL client tools (Debian: postgresql-client)"
        )
    u = make_url(url)
    env = {
        **os.environ,
        "PGHOST": u.host or "",
        "PGPORT": str(u.port or 5432),
        "PGUSER": u.username or "",
        "PGDATABASE": u.database or "",
    }
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    _private(out)
    subprocess.run([exe, "--format=custom", "--no-owner", f"--file={out}"], env=env, check=True)  # noqa: S603
    return out


def archive_uploads(data_dir: Path, out: Path) -> Path | None:
    """``<out>.uploads.tar.gz`` of the published upload files (staging area excluded)."""
    root = data_dir / UPLOADS
    files = (
        [
            p
            for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".")
        ]
        if root.is_dir()
        else []
    )
    if not files:
        return None
    target = out.with_name(out.name + ".uploads.tar.gz")
    _private(target)
    with tarfile.open(target, "w:gz") as tar:
        for p in files:
            tar.add(p, arcname=str(Path(UPLOADS) / p.relative_to(root)))
    return target


def backup(settings: Settings, out: Path | None = None, lock_timeout: float = 900.0) -> list[Path]:
    """Back up the store of ``settings`` (and its uploads); returns the files written."""
    url = settings.database_url
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backend = make_url(url).get_backend_name()
    if out is None:
        out = (
            settings.data_dir
            / "backups"
            / f"observatoire-{stamp}.{'sqlite' if backend == 'sqlite' else 'dump'}"
        )
    out = out.resolve()
    # under the writer lock: the store and the uploads archive are taken between two publications
    # (never a published upload whose file is missing from the archive, or the reverse)
    with writer_lock(url, "a backup", lock_timeout):
        if backend == "sqlite":
            written = [backup_sqlite(Path(make_url(url).database or ""), out)]
        elif backend == "postgresql":
            written = [backup_postgres(url, out)]
        else:
            raise RuntimeError(f"no backup method for {backend}")
        extra = archive_uploads(settings.data_dir, out)
    return written + ([extra] if extra else [])


def cmd_backup(args: argparse.Namespace) -> int:
    """``python -m etl backup``: prints the files written."""
    settings = Settings.from_env(database_url=args.database_url)
    for path in backup(settings, Path(args.out) if args.out else None):
        print(path)
    return 0


def add_subcommand(sub: argparse._SubParsersAction) -> None:
    """Register ``backup`` on the ETL command line (``etl.cli.build_parser``)."""
    p = sub.add_parser(
        "backup", help="copy the store (officers' work included) and the uploads to a backup file"
    )
    p.add_argument("--out", help="backup file (default: data/backups/observatoire-<time>.sqlite|.dump)")
    p.set_defaults(func=cmd_backup)
