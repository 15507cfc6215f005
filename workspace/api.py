"""HTTP API of the workspace (``/api/v1/workspace/…``, workspace mode only) and the public notes.

Every write route needs an officer session (401/403 otherwise) and a CSRF token in the
``X-CSRFToken`` header (or ``csrf_token`` form field), checked by flask-wtf before the view runs.
``GET /api/v1/notes`` (both modes) only ever returns notes marked public, without their author.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, Flask, jsonify, request

from workspace import audit, store, uploads
from workspace.auth import current_officer, ensure_officer, state

_PUBLIC_FIELDS = ("id", "indicator", "code", "note_date", "body")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime | date) else v for k, v in row.items()}


def _error(exc: Exception) -> tuple[Any, int]:
    status = {store.NotFound: 404, store.Forbidden: 403, store.Conflict: 409, store.Malformed: 400}.get(
        type(exc), 422
    )
    return jsonify(error=str(exc)), status


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def register_public(server: Flask) -> None:
    """Read-only route registered in both modes."""
    bp = Blueprint("ws_public", __name__, url_prefix="/api/v1")

    @bp.get("/notes")
    def public_notes() -> Any:
        rows = store.notes_for(
            state().engine,
            request.args.get("indicator") or None,
            request.args.get("code") or None,
            public_only=True,
        )
        return jsonify(notes=[_jsonable({k: r[k] for k in _PUBLIC_FIELDS}) for r in rows])

    server.register_blueprint(bp)


def register_workspace(server: Flask) -> None:
    """The officers' API (workspace mode only)."""
    bp = Blueprint("ws_api", __name__, url_prefix="/api/v1/workspace")

    @bp.before_request
    def _officers_only() -> Any:
        from flask_login import current_user

        if not current_user.is_authenticated:
            return jsonify(error="login required"), 401
        ensure_officer()
        return None

    @bp.errorhandler(store.WorkspaceError)
    def _ws_error(exc: store.WorkspaceError) -> Any:
        return _error(exc)

    @bp.errorhandler(uploads.UploadRejected)
    def _rejected(exc: uploads.UploadRejected) -> Any:
        f = request.files.get("file")
        uploads.record_rejection(state().engine, current_officer(), str(exc), f.filename if f else None)
        return jsonify(error=str(exc)), 422

    @bp.get("/me")
    def me() -> Any:
        user = ensure_officer()
        return jsonify(id=user.id, username=user.username, role=user.role)

    @bp.get("/notes")
    def list_notes() -> Any:
        rows = store.notes_for(
            state().engine,
            request.args.get("indicator") or None,
            request.args.get("code") or None,
            public_only=False,
        )
        return jsonify(notes=[_jsonable(r) for r in rows])

    @bp.post("/notes")
    def create_note() -> Any:
        b = _body()
        row = store.add_note(
            state().engine,
            ensure_officer(),
            indicator=b.get("indicator"),
            code=b.get("code"),
            note_date=b.get("note_date") or date.today(),
            body=b.get("body"),
            public=b.get("public") is True,
        )
        return jsonify(_jsonable(row)), 201

    @bp.patch("/notes/<int:note_id>")
    def edit_note(note_id: int) -> Any:
        b = _body()
        changes = {k: b[k] for k in ("body", "note_date", "public") if k in b}
        row = store.update_note(state().engine, ensure_officer(), note_id, b.get("version"), **changes)
        return jsonify(_jsonable(row))

    @bp.delete("/notes/<int:note_id>")
    def remove_note(note_id: int) -> Any:
        store.archive_note(state().engine, ensure_officer(), note_id)
        return "", 204

    @bp.get("/targets")
    def list_targets() -> Any:
        rows = store.targets_for(
            state().engine,
            request.args.get("indicator", ""),
            request.args.get("code") or None,
            public_only=False,
        )
        return jsonify(targets=[_jsonable(r) for r in rows])

    @bp.post("/targets")
    def put_target() -> Any:
        b = _body()
        row = store.set_target(
            state().engine,
            ensure_officer(),
            indicator=b.get("indicator"),
            code=b.get("code"),
            value=b.get("value"),
            target_date=b.get("target_date"),
            label=b.get("label"),
            public=b.get("public") is True,
        )
        return jsonify(_jsonable(row)), 201

    @bp.delete("/targets/<int:target_id>")
    def remove_target(target_id: int) -> Any:
        store.archive_target(state().engine, ensure_officer(), target_id)
        return "", 204

    @bp.get("/views")
    def list_views() -> Any:
        return jsonify(views=[_jsonable(r) for r in store.views_for(state().engine, ensure_officer())])

    @bp.post("/views")
    def create_view() -> Any:
        b = _body()
        row = store.save_view(
            state().engine, ensure_officer(), b.get("name"), b.get("url"), b.get("shared") is True
        )
        return jsonify(_jsonable(row)), 201

    @bp.delete("/views/<int:view_id>")
    def remove_view(view_id: int) -> Any:
        store.archive_view(state().engine, ensure_officer(), view_id)
        return "", 204

    @bp.post("/uploads")
    def check_upload() -> Any:
        """Multipart: ``file``, ``source``, ``file_key``, ``vintage`` → the preview (nothing published)."""
        ensure_officer()
        st = state()
        f = request.files.get("file")
        if f is None:
            return jsonify(error="no file"), 422
        data = f.stream.read(st.config.upload_max_bytes + 1)
        source, key = request.form.get("source", ""), request.form.get("file_key", "")
        staged = uploads.stage(st.config.etl, data, f.filename, source, key, st.config.upload_max_bytes)
        summary = uploads.preview(
            st.engine, st.config.etl, ensure_officer(), staged, source, key, request.form.get("vintage", "")
        )
        return jsonify(summary)

    @bp.post("/uploads/<sha>/publish")
    def publish_upload(sha: str) -> Any:
        """202: the publication runs as a background job; poll ``GET /uploads/<id>`` for its status."""
        b, st = _body(), state()
        row = uploads.publish(
            st.engine,
            st.config.etl,
            ensure_officer(),
            sha=sha,
            template_id=str(b.get("source", "")),
            file_key=str(b.get("file_key", "")),
            vintage=b.get("vintage") if isinstance(b.get("vintage"), str) else None,
            background=True,
        )
        return jsonify(_jsonable(row)), 202, {"Location": f"/api/v1/workspace/uploads/{row['id']}"}

    @bp.get("/uploads")
    def list_uploads() -> Any:
        return jsonify(uploads=[_jsonable(r) for r in uploads.uploads_list(state().engine)])

    @bp.get("/uploads/<int:upload_id>")
    def upload_status(upload_id: int) -> Any:
        rows = uploads.uploads_list(state().engine, upload_id=upload_id)
        if not rows:
            return jsonify(error=f"no upload #{upload_id}"), 404
        return jsonify(_jsonable(rows[0]))

    @bp.get("/audit")
    def audit_log() -> Any:
        return jsonify(entries=[_jsonable(r) for r in audit.visible(state().engine, ensure_officer(), 200)])

    server.register_blueprint(bp)
