"""New data through the workspace: receive a file, check it, preview it, publish it on confirmation.

1. ``stage`` (``workspace.files``): the bytes are size-limited and type-checked, then kept under
   ``<data dir>/uploads/.staging/<sha256><ext>`` (a name we compute), never executed.
2. ``preview``: ``etl.uploads.check`` parses and validates the file with the declared source's
   parser and the ETL's checks, then ``workspace.preview`` compares it with the store. A rejected
   file is deleted from the staging folder: nothing else was written.
3. ``publish`` (the officer confirmed, ``workspace.publication``): the file moves to
   ``uploads/<source>/<sha256><ext>``, a ``data_upload`` row and its audit entry are written, and a
   background job re-runs the ETL with the upload under the store's writer lock; if the run fails,
   the store keeps its data (one transaction) and the upload is marked ``failed``.

Previews and rejections are recorded in the audit log too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from etl import uploads as etl_uploads
from etl.config import Settings
from etl.contract import RawDataError
from etl.store.schema import data_upload
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
    with engine.begin() as conn:
        audit.record(
            conn,
            actor,
            "upload.preview",
            "data_upload",
            None,
            {
                "source": template_id,
                "file_key": file_key,
                "sha256": staged.sha256,
                "file": staged.original_name,
            },
        )
    return summary


def publish(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """See ``workspace.publication.publish`` (a background job outside the web request)."""
    from workspace import publication

    return publication.publish(*args, **kwargs)


def withdraw(*args: Any, **kwargs: Any) -> None:
    """See ``workspace.publication.withdraw``."""
    from workspace import publication

    publication.withdraw(*args, **kwargs)


def _default_run(settings: Settings) -> Any:
    from workspace import publication

    return publication._default_run(settings)


def record_rejection(engine: sa.Engine, actor: User | None, reason: str, filename: str | None = None) -> None:
    """Audit a refused upload (its own transaction: nothing else was written)."""
    with engine.begin() as conn:
        audit.record(
            conn,
            actor,
            "upload.rejected",
            "data_upload",
            None,
            {"file": safe_name(filename), "reason": reason[:1000]},
        )


def uploads_list(engine: sa.Engine, upload_id: int | None = None) -> list[dict[str, Any]]:
    """Uploads, newest first (without their summaries)."""
    cols = [c for c in data_upload.c if c.name != "summary"]
    query = sa.select(*cols).order_by(data_upload.c.id.desc())
    if upload_id is not None:
        query = query.where(data_upload.c.id == upload_id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
