"""Callbacks of the officers' workspace (``/espace``), registered on the app only in workspace mode.

They are declared with ``callbacks.registration`` in the group "workspace", which
``workspace.init_app`` alone attaches to the app (``registration.attach``), so a public
deployment has none of them. Every callback — reads included — starts with
``ensure_officer()``: the role is checked on the server, whatever a crafted
``/_dash-update-component`` request claims.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from callbacks.registration import callback
from figures.text import describe
from layouts.workspace import WS
from workspace import components, store, uploads
from workspace.auth import ensure_officer, state


def _clicked() -> int:
    """Id of the clicked pattern-matching button (``PreventUpdate`` for a re-render)."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        raise PreventUpdate
    return int(trig["id"])


def workspace_callback(*args: Any, **kwargs: Any) -> Any:
    """``callback`` of the "workspace" group (attached in workspace mode only)."""
    return callback(*args, group="workspace", **kwargs)


@workspace_callback(Output(WS.UP_KEY, "options"), Output(WS.UP_KEY, "value"), Input(WS.UP_SOURCE, "value"))
def file_keys(source: str | None) -> tuple:
    ensure_officer()
    from etl.uploads import statistical_sources

    spec = statistical_sources().get(source or "")
    if spec is None:
        return [], None
    return [
        {"label": f"{f.key} ({f.path.rsplit('/', 1)[-1]})", "value": f.key} for f in spec.files
    ], spec.files[0].key


@workspace_callback(
    Output(WS.GRAPH, "figure"),
    Output(WS.GRAPH_DESC, "children"),
    Output(WS.NOTES, "children"),
    Output(WS.TARGET_NOW, "children"),
    Output(WS.TARGET_VALUE, "value"),
    Output(WS.TARGET_DATE, "value"),
    Output(WS.TARGET_LABEL, "value"),
    Output(WS.TARGET_PUBLIC, "value"),
    Input(WS.INDICATOR, "value"),
    Input(WS.TERRITORY, "value"),
    Input(WS.REFRESH, "data"),
)
def show(indicator: str | None, code: str | None, _refresh: int) -> tuple:
    ensure_officer()
    lang, engine = components.lang(), state().engine
    if not indicator or not code:
        raise PreventUpdate
    targets = store.targets_for(engine, indicator, code, public_only=False)
    target = targets[0] if targets else None
    notes = store.notes_for(engine, indicator, code, public_only=False)
    items = (
        html.Ul([components.note_item(n, lang) for n in notes], className="list-unstyled small")
        if notes
        else None
    )
    now = (
        components.alert(
            f"{target['value']:g} — {target['target_date']}"
            + (f" — {target['label']}" if target["label"] else ""),
            "info",
        )
        if target
        else None
    )
    t_values = (
        (target["value"], str(target["target_date"]), target["label"], bool(target["public"]))
        if target
        else (None, None, None, False)
    )
    fig = components.figure(indicator, code, target, lang)
    return (fig, describe(fig, lang), items, now, *t_values)


@workspace_callback(
    Output(WS.NOTE_MSG, "children"),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Output(WS.NOTE_BODY, "value"),
    Input(WS.NOTE_ADD, "n_clicks"),
    State(WS.INDICATOR, "value"),
    State(WS.TERRITORY, "value"),
    State(WS.NOTE_DATE, "value"),
    State(WS.NOTE_BODY, "value"),
    State(WS.NOTE_PUBLIC, "value"),
    State(WS.NOTE_SCOPE, "value"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def add_note(
    n: int | None,
    indicator: str | None,
    code: str | None,
    when: str | None,
    body: str | None,
    public: bool | None,
    scope: str | None,
    refresh: int | None,
) -> tuple:
    user = ensure_officer()
    if not n:
        raise PreventUpdate
    try:
        store.add_note(
            state().engine,
            user,
            indicator=None if scope == "code" else indicator,
            code=None if scope == "indicator" else code,
            note_date=when or date.today(),
            body=body or "",
            public=bool(public),
        )
    except store.WorkspaceError as exc:
        return components.alert(str(exc), "danger"), no_update, no_update
    return (
        components.alert("Note enregistrée." if components.lang() == "fr" else "Note saved.", "success"),
        (refresh or 0) + 1,
        "",
    )


@workspace_callback(
    Output(WS.NOTE_MSG, "children", allow_duplicate=True),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Input({"type": WS.NOTE_ARCHIVE, "id": ALL}, "n_clicks"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def archive_note(_clicks: list, refresh: int | None) -> tuple:
    user = ensure_officer()
    try:
        store.archive_note(state().engine, user, _clicked())
    except store.WorkspaceError as exc:
        return components.alert(str(exc), "danger"), no_update
    return components.alert(
        "Note archivée." if components.lang() == "fr" else "Note archived.", "secondary"
    ), (refresh or 0) + 1


@workspace_callback(
    Output(WS.TARGET_MSG, "children"),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Input(WS.TARGET_SAVE, "n_clicks"),
    Input(WS.TARGET_REMOVE, "n_clicks"),
    State(WS.INDICATOR, "value"),
    State(WS.TERRITORY, "value"),
    State(WS.TARGET_VALUE, "value"),
    State(WS.TARGET_DATE, "value"),
    State(WS.TARGET_LABEL, "value"),
    State(WS.TARGET_PUBLIC, "value"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def target(
    save: int | None,
    remove: int | None,
    indicator: str | None,
    code: str | None,
    value: Any,
    when: str | None,
    label: str | None,
    public: bool | None,
    refresh: int | None,
) -> tuple:
    user = ensure_officer()
    engine = state().engine
    try:
        if ctx.triggered_id == WS.TARGET_REMOVE and remove:
            current = store.targets_for(engine, indicator or "", code, public_only=False)
            if not current:
                raise store.NotFound("no target to remove")
            store.archive_target(engine, user, current[0]["id"])
        elif ctx.triggered_id == WS.TARGET_SAVE and save:
            store.set_target(
                engine,
                user,
                indicator=indicator or "",
                code=code or "",
                value=value,
                target_date=when,
                label=label,
                public=bool(public),
            )
        else:
            raise PreventUpdate
    except store.WorkspaceError as exc:
        return components.alert(str(exc), "danger"), no_update
    return components.alert(
        "Cible enregistrée." if components.lang() == "fr" else "Target saved.", "success"
    ), (refresh or 0) + 1


@workspace_callback(
    Output(WS.VIEW_MSG, "children"),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Input(WS.VIEW_SAVE, "n_clicks"),
    State(WS.VIEW_NAME, "value"),
    State(WS.VIEW_URL, "value"),
    State(WS.VIEW_SHARED, "value"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def save_view(
    n: int | None, name: str | None, url: str | None, shared: bool | None, refresh: int | None
) -> tuple:
    user = ensure_officer()
    if not n:
        raise PreventUpdate
    try:
        store.save_view(state().engine, user, name or "", url or "", bool(shared))
    except store.WorkspaceError as exc:
        return components.alert(str(exc), "danger"), no_update
    return components.alert("Vue enregistrée." if components.lang() == "fr" else "View saved.", "success"), (
        refresh or 0
    ) + 1


@workspace_callback(
    Output(WS.VIEW_MSG, "children", allow_duplicate=True),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Input({"type": WS.VIEW_ARCHIVE, "id": ALL}, "n_clicks"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def archive_view(_clicks: list, refresh: int | None) -> tuple:
    user = ensure_officer()
    try:
        store.archive_view(state().engine, user, _clicked())
    except store.WorkspaceError as exc:
        return components.alert(str(exc), "danger"), no_update
    return no_update, (refresh or 0) + 1


@workspace_callback(
    Output(WS.VIEWS, "children"),
    Output(WS.UPLOADS, "children"),
    Output(WS.AUDIT, "children"),
    Input(WS.REFRESH, "data"),
)
def lists(_refresh: int) -> tuple:
    user = ensure_officer()
    engine, lang = state().engine, components.lang()
    return components.lists(engine, user, lang)


@workspace_callback(
    Output(WS.UP_PREVIEW, "children"),
    Output(WS.UP_PENDING, "data"),
    Output(WS.UP_PUBLISH, "disabled"),
    Input(WS.UP_FILE, "contents"),
    State(WS.UP_FILE, "filename"),
    State(WS.UP_SOURCE, "value"),
    State(WS.UP_KEY, "value"),
    State(WS.UP_VINTAGE, "value"),
    prevent_initial_call=True,
)
def check_upload(
    contents: str | None, filename: str | None, source: str | None, key: str | None, vintage: str | None
) -> tuple:
    user = ensure_officer()
    st = state()
    try:
        data = components.decode(contents, st.config.upload_max_bytes)
        staged = uploads.stage(
            st.config.etl, data, filename, source or "", key or "", st.config.upload_max_bytes
        )
        summary = uploads.preview(
            st.engine, st.config.etl, user, staged, source or "", key or "", vintage or ""
        )
    except uploads.UploadRejected as exc:
        uploads.record_rejection(st.engine, user, str(exc), filename)
        return (
            components.alert(
                ("Fichier refusé : " if components.lang() == "fr" else "File rejected: ") + str(exc),
                "danger",
            ),
            None,
            True,
        )
    pending = {"sha": summary["sha256"], "source": source, "key": key}
    return components.preview(summary), pending, False


@workspace_callback(
    Output(WS.UP_RESULT, "children"),
    Output(WS.UP_PENDING, "data", allow_duplicate=True),
    Output(WS.UP_PUBLISH, "disabled", allow_duplicate=True),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Output(WS.UP_JOB, "data"),
    Output(WS.UP_POLL, "disabled"),
    Input(WS.UP_PUBLISH, "n_clicks"),
    State(WS.UP_PENDING, "data"),
    State(WS.UP_VINTAGE, "value"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def publish(n: int | None, pending: dict | None, vintage: str | None, refresh: int | None) -> tuple:
    user = ensure_officer()
    if not n or not isinstance(pending, dict):
        raise PreventUpdate
    st = state()
    try:
        # a background job (outside this request): the page polls its status below
        row = uploads.publish(
            st.engine,
            st.config.etl,
            user,
            sha=str(pending.get("sha")),
            template_id=str(pending.get("source")),
            file_key=str(pending.get("key")),
            vintage=vintage if isinstance(vintage, str) else None,
            background=True,
        )
    except uploads.UploadRejected as exc:
        uploads.record_rejection(st.engine, user, str(exc))
        return components.alert(str(exc), "danger"), None, True, (refresh or 0) + 1, None, True
    return components.job_status(row, components.lang()), None, True, (refresh or 0) + 1, row["id"], False


@workspace_callback(
    Output(WS.UP_RESULT, "children", allow_duplicate=True),
    Output(WS.UP_POLL, "disabled", allow_duplicate=True),
    Output(WS.REFRESH, "data", allow_duplicate=True),
    Input(WS.UP_POLL, "n_intervals"),
    State(WS.UP_JOB, "data"),
    State(WS.REFRESH, "data"),
    prevent_initial_call=True,
)
def poll(_n: int | None, upload_id: Any, refresh: int | None) -> tuple:
    ensure_officer()
    if not isinstance(upload_id, int):
        return no_update, True, no_update
    rows = uploads.uploads_list(state().engine, upload_id=upload_id)
    if not rows:
        return no_update, True, no_update
    done = rows[0]["status"] not in ("queued", "publishing")
    return (
        components.job_status(rows[0], components.lang()),
        done,
        (refresh or 0) + 1 if done else no_update,
    )
