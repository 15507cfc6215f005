"""New data through the workspace: receive a file, check it, preview it, publish it on confirmation.

1. ``stage`` (``workspace.files``): the bytes are size-limited and type-checked, then kept under
   ``<data dir>/uploads/.staging/<sha256><ext>`` (a name we compute), never executed.
2. ``preview``: ``etl.uploads.check`` parses and validates the file with the declared source's
   parser and the ETL's checks, then ``workspace.preview`` compares it with the store. A rejected
   file is deleted from the staging folder: nothing else was written.
3. ``publish`` (the officer confirmed): the file moves to ``uploads/<source>/<sha256><ext>``, a
   ``data_upload`` row and its audit entry are written, and the ETL re-runs with the upload; if the
   run fails, the store keeps its data (one transaction) and the upload is marked ``failed``.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from etl import uploads as etl_uploads
from etl.config import Settings
from etl.contract import RawDataError
from etl.fetch import sha256_of
from etl.store.schema import data_upload, source
from workspace import audit
from workspace.files import (  # noqa: F401 - stage, UploadRejected…: this module's interface too
    Staged,
    UploadRejected,
    find_staged,
    safe_name,
    stage,
    write_private,
)
from workspace.preview import summarise
from workspace.users import User

_lock = threading.Lock()


def _rejection(exc: BaseException, staged: Staged, settings: Settings) -> str:
    """The reason, naming the officer's file rather than server paths."""
    text = str(exc).replace(str(staged.path), staged.original_name)
    return text.replace(str(settings.data_dir.resolve()), "data").replace(str(settings.data_dir), "data")


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + ".json")


def preview(
    engine: sa.Engine,
    settings: Settings,
    actor: User,
    staged: Staged,
    template_id: str,
    file_key: str,
    vintage: str = "",
) -> dict[str, Any]:
    """Validate a staged file with the ETL and summarise what publishing it would change.

    The summary is kept beside the staged file (server side) for the confirmation step, which
    only the same officer can give.
    """
    try:
        checked = etl_uploads.check(template_id, file_key, staged.path, settings, vintage)
    except RawDataError as exc:
        staged.path.unlink(missing_ok=True)
        raise UploadRejected(_rejection(exc, staged, settings)) from exc
    except Exception as exc:  # noqa: BLE001 - a parser choking on garbage is a rejection too
        staged.path.unlink(missing_ok=True)
        raise UploadRejected(
            f"{staged.original_name}: the file cannot be read as this source "
            f"({type(exc).__name__}: {_rejection(exc, staged, settings)[:300]})"
        ) from exc
    summary = summarise(engine, checked)
    summary.update(original_name=staged.original_name, source=template_id, file_key=file_key)
    meta = {
        "source": template_id,
        "file_key": file_key,
        "user_id": actor.id,
        "original_name": staged.original_name,
        "vintage": (vintage or "").strip()[:60],
        "summary": summary,
    }
    write_private(_sidecar(staged.path), json.dumps(meta, default=str, ensure_ascii=False).encode())
    return summary


@contextlib.contextmanager
def _publish_lock(settings: Settings) -> Iterator[None]:
    """One publication at a time (threads of this process and other worker processes)."""
    root = etl_uploads.uploads_root(settings)
    root.mkdir(parents=True, exist_ok=True, mode=0o750)
    with _lock, (root / ".publish.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _default_run(settings: Settings) -> Any:
    from rich.console import Console

    from etl.pipeline import run

    return run(settings, console=Console(file=io.StringIO()))


def publish(
    engine: sa.Engine,
    settings: Settings,
    actor: User,
    *,
    sha: str,
    template_id: str,
    file_key: str,
    vintage: str | None = None,
    run: Callable[[Settings], Any] = _default_run,
) -> dict[str, Any]:
    """Publish a previewed upload (same officer): store the file, record it, re-run the ETL with it."""
    staged_path = find_staged(settings, sha, template_id, file_key)
    try:
        meta = json.loads(_sidecar(staged_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UploadRejected("this upload was not checked: send the file again") from exc
    if (meta.get("source"), meta.get("file_key"), meta.get("user_id")) != (template_id, file_key, actor.id):
        raise UploadRejected("only the officer who checked this file can publish it")
    summary, original_name = meta.get("summary") or {}, meta.get("original_name") or ""
    vintage = ((vintage or "").strip() or meta.get("vintage") or summary.get("vintage") or "?")[:60]
    root = etl_uploads.uploads_root(settings)
    final = (root / template_id / staged_path.name).resolve()
    if not final.is_relative_to(root):
        raise UploadRejected("unsafe destination")
    u = data_upload.c
    with _publish_lock(settings):
        with engine.begin() as conn:
            row = conn.execute(
                sa.select(data_upload).where(
                    u.source_id == template_id, u.file_key == file_key, u.sha256 == sha
                )
            ).first()
            # (a "publishing" row seen under the lock is a run that died half-way: it may be retried)
            if row is not None and row.status == etl_uploads.PUBLISHED:
                raise UploadRejected(f"this file was already published (upload #{row.id})")
            if not final.is_file():
                write_private(final, staged_path)
            if sha256_of(final) != sha:
                raise UploadRejected("the stored file does not match its checksum")
            values = {
                "stored_path": str(final.relative_to(settings.data_dir.resolve())),
                "original_name": safe_name(original_name),
                "size": final.stat().st_size,
                "vintage": vintage,
                "status": etl_uploads.PUBLISHING,
                "uploaded_by": actor.id,
                "uploaded_at": datetime.now(UTC),
                "published_at": None,
                "error": None,
                "summary": json.dumps(summary, default=str, ensure_ascii=False),
            }
            if row is None:
                upload_id = conn.execute(
                    data_upload.insert().values(
                        source_id=template_id, file_key=file_key, sha256=sha, **values
                    )
                ).inserted_primary_key[0]
            else:
                upload_id = row.id
                conn.execute(data_upload.update().where(u.id == upload_id).values(**values))
            audit.record(
                conn,
                actor,
                "upload.publish",
                "data_upload",
                upload_id,
                {
                    "source": template_id,
                    "file_key": file_key,
                    "sha256": sha,
                    "vintage": vintage,
                    "file": safe_name(original_name),
                },
            )
        try:
            with etl_uploads.including({int(upload_id)}):
                result = run(settings)
        except BaseException as exc:
            with engine.begin() as conn:
                conn.execute(
                    data_upload.update()
                    .where(u.id == upload_id)
                    .values(status=etl_uploads.FAILED, error=str(exc)[:4000])
                )
                audit.record(
                    conn, actor, "upload.failed", "data_upload", upload_id, {"error": str(exc)[:4000]}
                )
            raise UploadRejected(f"the ETL run with this file failed; nothing was changed: {exc}") from exc
        layer = etl_uploads.upload_source_id(template_id, sha)
        with engine.begin() as conn:
            read = conn.execute(sa.select(source.c.id).where(source.c.id == layer)).first() is not None
            error = (
                None if read else "the ETL run did not read the upload (is etl.uploads.with_uploads wired?)"
            )
            conn.execute(
                data_upload.update()
                .where(u.id == upload_id)
                .values(
                    status=etl_uploads.PUBLISHED if read else etl_uploads.FAILED,
                    published_at=datetime.now(UTC) if read else None,
                    error=error,
                )
            )
            detail = {"observations": getattr(result, "observations", None)} if read else {"error": error}
            audit.record(
                conn, actor, "upload.published" if read else "upload.failed", "data_upload", upload_id, detail
            )
        if error:
            raise UploadRejected(error)
    staged_path.unlink(missing_ok=True)
    _sidecar(staged_path).unlink(missing_ok=True)
    return uploads_list(engine, upload_id=int(upload_id))[0]


def withdraw(
    engine: sa.Engine,
    settings: Settings,
    actor: User | None,
    upload_id: int,
    run: Callable[[Settings], Any] | None = _default_run,
) -> None:
    """Stop including an upload in ETL runs (the file and the record are kept), then re-run."""
    with _publish_lock(settings):
        with engine.begin() as conn:
            row = conn.execute(sa.select(data_upload).where(data_upload.c.id == int(upload_id))).first()
            if row is None:
                raise UploadRejected(f"no upload #{upload_id}")
            conn.execute(
                data_upload.update().where(data_upload.c.id == row.id).values(status=etl_uploads.WITHDRAWN)
            )
            audit.record(conn, actor, "upload.withdraw", "data_upload", row.id, {"before": row.status})
        if run is not None:
            run(settings)


def uploads_list(engine: sa.Engine, upload_id: int | None = None) -> list[dict[str, Any]]:
    """Uploads, newest first (without their summaries)."""
    cols = [c for c in data_upload.c if c.name != "summary"]
    query = sa.select(*cols).order_by(data_upload.c.id.desc())
    if upload_id is not None:
        query = query.where(data_upload.c.id == upload_id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
