"""Publication of a previewed upload, as a background job outside the web request (issue #13).

``publish`` checks the request (same officer, file checked), stores the file under
``uploads/<source>/<sha256><ext>``, records the ``data_upload`` row as ``queued`` with its audit
entry, and hands the rest to a thread of the worker: the officer's page polls the row's status
(``queued`` → ``publishing`` → ``published`` | ``failed``, persisted in the store).

The job takes the store's writer lock (``etl.store.lock``, shared with the command-line ETL and
backups), marks the row ``publishing`` and re-runs the ETL with the upload, which reads the list
of uploads inside the same lock: a concurrent ``etl run`` waits, then includes the upload, and
never overwrites it. A job whose process died is marked failed: ``publishing`` rows by the next
holder of the lock (``recover_interrupted``), ``queued`` rows once their process is gone.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from etl import uploads as etl_uploads
from etl.config import Settings
from etl.fetch import sha256_of
from etl.store.lock import LockBusy, writer_lock
from etl.store.schema import data_upload, source
from workspace import audit
from workspace.files import UploadRejected, find_staged, safe_name, write_private
from workspace.users import User

log = logging.getLogger(__name__)
QUEUED = "queued"
ACTIVE = (QUEUED, etl_uploads.PUBLISHING)
#: How long a publication waits for another writer (an ETL run, another publication).
LOCK_WAIT_SECONDS = 900.0
u = data_upload.c


def _default_run(settings: Settings, uploads: Collection[int] = ()) -> Any:
    from rich.console import Console

    from etl.pipeline import run

    return run(settings, console=Console(file=io.StringIO()), uploads=uploads)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name.split(".")[0] + ".json")


def _job_owner() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _alive(owner: dict[str, Any]) -> bool:
    """Whether the process of a job still runs (another host's process: assumed alive)."""
    if owner.get("host") != socket.gethostname():
        return True
    try:
        os.kill(int(owner.get("pid", -1)), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:
        return True
    return True


def recover_queued(engine: sa.Engine) -> int:
    """Mark failed the ``queued`` publications whose worker process is gone."""
    if not sa.inspect(engine).has_table("data_upload"):
        return 0
    fixed = 0
    with engine.begin() as conn:
        for row in conn.execute(sa.select(u.id, u.summary).where(u.status == QUEUED)).all():
            try:
                owner = json.loads(row.summary or "{}").get("job") or {}
            except (ValueError, AttributeError):
                owner = {}
            if owner and not _alive(owner):
                conn.execute(
                    data_upload.update()
                    .where(u.id == row.id, u.status == QUEUED)
                    .values(status=etl_uploads.FAILED, error="publication interrupted (the server stopped)")
                )
                fixed += 1
    return fixed


def _fail(engine: sa.Engine, actor: User, upload_id: int, error: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            data_upload.update()
            .where(u.id == upload_id)
            .values(status=etl_uploads.FAILED, error=error[:4000])
        )
        audit.record(conn, actor, "upload.failed", "data_upload", upload_id, {"error": error[:4000]})


def _run_job(
    engine: sa.Engine,
    settings: Settings,
    actor: User,
    upload_id: int,
    run: Callable[..., Any],
    lock_timeout: float,
    staged: Path | None = None,
) -> None:
    """The job: under the writer lock, re-run the ETL with the upload and record the outcome."""
    try:
        what = f"the publication of upload #{upload_id} by {actor.username}"
        with writer_lock(settings.database_url, what, lock_timeout):
            with engine.begin() as conn:
                row = conn.execute(sa.select(data_upload).where(u.id == upload_id)).first()
                if row is None or row.status != QUEUED:
                    return  # withdrawn or recovered meanwhile
                done = conn.execute(
                    sa.select(u.id).where(
                        u.source_id == row.source_id,
                        u.file_key == row.file_key,
                        u.sha256 == row.sha256,
                        u.status == etl_uploads.PUBLISHED,
                    )
                ).first()
                if done is not None:
                    raise UploadRejected(f"this file was already published (upload #{done.id})")
                conn.execute(
                    data_upload.update().where(u.id == upload_id).values(status=etl_uploads.PUBLISHING)
                )
            try:
                # the run reads this upload too, though not yet marked published
                result = run(settings, uploads={upload_id})
            except BaseException as exc:  # noqa: BLE001 - recorded; the store kept its data
                _fail(
                    engine, actor, upload_id, f"the ETL run with this file failed; nothing was changed: {exc}"
                )
                return
            layer = etl_uploads.upload_source_id(row.source_id, row.sha256)
            with engine.begin() as conn:
                read = conn.execute(sa.select(source.c.id).where(source.c.id == layer)).first() is not None
                error = (
                    None
                    if read
                    else "the ETL run did not read the upload (is etl.uploads.with_uploads wired?)"
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
                action = "upload.published" if read else "upload.failed"
                audit.record(conn, actor, action, "data_upload", upload_id, detail)
            if read and staged is not None:
                staged.unlink(missing_ok=True)
                _sidecar(staged).unlink(missing_ok=True)
    except (LockBusy, UploadRejected) as exc:
        _fail(engine, actor, upload_id, str(exc))
    except Exception as exc:  # noqa: BLE001 - a job never dies silently: logged and recorded
        log.exception("publication of upload #%s failed", upload_id)
        _fail(engine, actor, upload_id, f"the publication failed: {type(exc).__name__}: {exc}")


def publish(
    engine: sa.Engine,
    settings: Settings,
    actor: User,
    *,
    sha: str,
    template_id: str,
    file_key: str,
    vintage: str | None = None,
    run: Callable[..., Any] | None = None,
    background: bool = False,
    lock_timeout: float | None = None,
) -> dict[str, Any]:
    """Publish a previewed upload (same officer): store the file, record it, re-run the ETL with it.

    With ``background``, return at once (status ``queued``; poll ``uploads_list(upload_id=…)``);
    otherwise wait for the job and raise ``UploadRejected`` if it failed.
    """
    from workspace.uploads import uploads_list

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
    recover_queued(engine)
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(data_upload)
            .where(u.source_id == template_id, u.file_key == file_key, u.sha256 == sha)
            .order_by(u.id.desc())
        ).first()
        if row is not None and row.status == etl_uploads.PUBLISHED:
            raise UploadRejected(f"this file was already published (upload #{row.id})")
        if row is not None and row.status in ACTIVE:
            raise UploadRejected(f"this file is being published (upload #{row.id})")
        if not final.is_file():
            write_private(final, staged_path)
        if sha256_of(final) != sha:
            raise UploadRejected("the stored file does not match its checksum")
        values = {
            "stored_path": str(final.relative_to(settings.data_dir.resolve())),
            "original_name": safe_name(original_name),
            "size": final.stat().st_size,
            "vintage": vintage,
            "status": QUEUED,
            "uploaded_by": actor.id,
            "uploaded_at": datetime.now(UTC),
            "published_at": None,
            "error": None,
            # the job's process, so that a queued job whose worker died can be told apart
            "summary": json.dumps({**summary, "job": _job_owner()}, default=str, ensure_ascii=False),
        }
        if row is None:
            upload_id = conn.execute(
                data_upload.insert().values(source_id=template_id, file_key=file_key, sha256=sha, **values)
            ).inserted_primary_key[0]
        else:
            upload_id = row.id
            conn.execute(data_upload.update().where(u.id == upload_id).values(**values))
        detail = {"source": template_id, "file_key": file_key, "sha256": sha, "vintage": vintage}
        audit.record(
            conn,
            actor,
            "upload.publish",
            "data_upload",
            upload_id,
            {**detail, "file": safe_name(original_name)},
        )
    upload_id = int(upload_id)
    wait = LOCK_WAIT_SECONDS if lock_timeout is None else lock_timeout
    args = (engine, settings, actor, upload_id, run or _default_run, wait, staged_path)
    if background:
        threading.Thread(target=_run_job, args=args, name=f"publish-upload-{upload_id}", daemon=True).start()
        return uploads_list(engine, upload_id=upload_id)[0]
    _run_job(*args)
    out = uploads_list(engine, upload_id=upload_id)[0]
    if out["status"] != etl_uploads.PUBLISHED:
        raise UploadRejected(out["error"] or "the publication failed")
    return out


def withdraw(
    engine: sa.Engine,
    settings: Settings,
    actor: User | None,
    upload_id: int,
    run: Callable[[Settings], Any] | None = _default_run,
    lock_timeout: float = LOCK_WAIT_SECONDS,
) -> None:
    """Stop including an upload in ETL runs (the file and the record are kept), then re-run."""
    who = actor.username if actor else "the command line"
    with writer_lock(settings.database_url, f"the withdrawal of upload #{upload_id} by {who}", lock_timeout):
        with engine.begin() as conn:
            row = conn.execute(sa.select(data_upload).where(u.id == int(upload_id))).first()
            if row is None:
                raise UploadRejected(f"no upload #{upload_id}")
            conn.execute(data_upload.update().where(u.id == row.id).values(status=etl_uploads.WITHDRAWN))
            audit.record(conn, actor, "upload.withdraw", "data_upload", row.id, {"before": row.status})
        if run is not None:
            run(settings)
