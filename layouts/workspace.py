"""Layout of the officers' workspace (``/espace``, workspace mode only) and the public notes block.

Pure builders, no data access. Every component id of the workspace starts with ``ws-``: the HTTP
guard refuses any Dash callback aimed at such an id without an officer session, and in public
mode altogether. (The ids live here rather than in ``layouts/ids.py`` to keep the workspace in one
place; they follow its conventions.)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

import config
from workspace.texts import tr


class WS:
    """Component ids of the workspace page."""

    REFRESH = "ws-refresh"  # Store: bumped after each write so that lists re-render
    INDICATOR, TERRITORY = "ws-indicator", "ws-territory"
    GRAPH, NOTES, TARGET_NOW = "ws-graph", "ws-notes", "ws-target-now"
    GRAPH_DESC = "ws-graph-desc"  # the chart's accessible name (``figures.text.describe``)
    NOTE_DATE, NOTE_BODY, NOTE_PUBLIC, NOTE_SCOPE = (
        "ws-note-date",
        "ws-note-body",
        "ws-note-public",
        "ws-note-scope",
    )
    NOTE_ADD, NOTE_MSG = "ws-note-add", "ws-note-msg"
    NOTE_ARCHIVE = "ws-note-archive"  # pattern {"type": NOTE_ARCHIVE, "id": note id}
    TARGET_VALUE, TARGET_DATE, TARGET_LABEL = "ws-target-value", "ws-target-date", "ws-target-label"
    TARGET_PUBLIC, TARGET_SAVE, TARGET_REMOVE, TARGET_MSG = (
        "ws-target-public",
        "ws-target-save",
        "ws-target-remove",
        "ws-target-msg",
    )
    VIEW_NAME, VIEW_URL, VIEW_SHARED, VIEW_SAVE = (
        "ws-view-name",
        "ws-view-url",
        "ws-view-shared",
        "ws-view-save",
    )
    VIEW_MSG, VIEWS = "ws-view-msg", "ws-views"
    VIEW_ARCHIVE = "ws-view-archive"  # pattern {"type": VIEW_ARCHIVE, "id": view id}
    UP_SOURCE, UP_KEY, UP_VINTAGE, UP_FILE = "ws-up-source", "ws-up-key", "ws-up-vintage", "ws-up-file"
    UP_PREVIEW, UP_PENDING, UP_PUBLISH, UP_RESULT = (
        "ws-up-preview",
        "ws-up-pending",
        "ws-up-publish",
        "ws-up-result",
    )
    UPLOADS, AUDIT = "ws-uploads", "ws-audit"
    UP_JOB, UP_POLL = "ws-up-job", "ws-up-poll"  # the publication job's upload id, its status poll


def _field(label: str, control: Any) -> html.Div:
    return html.Div(
        [html.Label(label, className="form-label small fw-semibold mb-1", htmlFor=control.id), control],
        className="mb-2",
    )


def login_required(lang: str) -> html.Div:
    """What an anonymous visitor sees at ``/espace`` (a full page load goes to the login form)."""
    return html.Div(
        [
            html.H1(tr("title", lang), className="h3"),
            html.P(tr("login_needed", lang)),
            html.A(tr("login", lang), href="/auth/login?next=/espace", className="btn btn-primary"),
        ]
    )


def _notes_and_targets(
    lang: str,
    indicators: list[dict[str, str]],
    places: list[dict[str, str]],
    indicator: str | None,
    code: str | None,
) -> dbc.Row:
    today = date.today().isoformat()
    notes_form = [
        _field(
            tr("note_date", lang),
            dcc.Input(id=WS.NOTE_DATE, type="date", value=today, className="form-control"),
        ),
        _field(
            tr("note_body", lang),
            dcc.Textarea(id=WS.NOTE_BODY, maxLength=5000, className="form-control", rows=3),
        ),
        dbc.RadioItems(
            id=WS.NOTE_SCOPE,
            value="both",
            className="small mb-1",
            options=[
                {"label": tr("scope_both", lang), "value": "both"},
                {"label": tr("scope_code", lang), "value": "code"},
                {"label": tr("scope_ind", lang), "value": "indicator"},
            ],
        ),
        dbc.Checkbox(id=WS.NOTE_PUBLIC, label=tr("note_public", lang), value=False, className="small mb-2"),
        dbc.Button(tr("note_add", lang), id=WS.NOTE_ADD, color="primary", size="sm"),
        html.Div(id=WS.NOTE_MSG, role="status", className="small mt-2"),
    ]
    target_form = [
        html.Div(id=WS.TARGET_NOW, className="small mb-2"),
        _field(
            tr("target_value", lang), dcc.Input(id=WS.TARGET_VALUE, type="number", className="form-control")
        ),
        _field(tr("target_date", lang), dcc.Input(id=WS.TARGET_DATE, type="date", className="form-control")),
        _field(
            tr("target_label", lang),
            dcc.Input(id=WS.TARGET_LABEL, type="text", maxLength=200, className="form-control"),
        ),
        dbc.Checkbox(
            id=WS.TARGET_PUBLIC, label=tr("target_public", lang), value=False, className="small mb-2"
        ),
        html.Div(
            [
                dbc.Button(tr("target_save", lang), id=WS.TARGET_SAVE, color="primary", size="sm"),
                dbc.Button(
                    tr("target_remove", lang), id=WS.TARGET_REMOVE, color="secondary", outline=True, size="sm"
                ),
            ],
            className="d-flex gap-2",
        ),
        html.Div(id=WS.TARGET_MSG, role="status", className="small mt-2"),
    ]
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                _field(
                                    tr("indicator", lang),
                                    dcc.Dropdown(
                                        id=WS.INDICATOR, options=indicators, value=indicator, clearable=False
                                    ),
                                ),
                                md=7,
                            ),
                            dbc.Col(
                                _field(
                                    tr("territory", lang),
                                    dcc.Dropdown(
                                        id=WS.TERRITORY, options=places, value=code, clearable=False
                                    ),
                                ),
                                md=5,
                            ),
                        ]
                    ),
                    _graph(lang),
                    html.H2(tr("target", lang), className="h5 mt-3"),
                    *target_form,
                ],
                lg=8,
            ),
            dbc.Col(
                [
                    html.H2(tr("notes", lang), className="h5"),
                    html.Div(id=WS.NOTES, className="mb-3"),
                    *notes_form,
                ],
                lg=4,
            ),
        ]
    )


def _graph(lang: str) -> html.Figure:
    """The chart as on the public cards (``layouts.components``): no plotly toolbar, inside a
    ``role="img"`` wrapper named by a visually hidden caption (filled with ``describe(fig)``)."""
    config_ = {"displayModeBar": False, "displaylogo": False, "responsive": True, "locale": lang}
    return html.Figure(
        [
            html.Div(
                dcc.Loading(dcc.Graph(id=WS.GRAPH, config=config_, style={"height": "420px"})),
                role="img",
                className="chart-img",
                **{"aria-labelledby": WS.GRAPH_DESC},
            ),
            html.Figcaption(id=WS.GRAPH_DESC, className="visually-hidden"),
        ],
        className="mb-1",
    )


def _views(lang: str) -> html.Section:
    return html.Section(
        [
            html.H2(tr("views", lang), className="h4 mt-4"),
            dbc.Row(
                [
                    dbc.Col(
                        _field(
                            tr("view_name", lang),
                            dcc.Input(id=WS.VIEW_NAME, maxLength=120, className="form-control"),
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        _field(
                            tr("view_url", lang),
                            dcc.Input(id=WS.VIEW_URL, maxLength=2000, className="form-control"),
                        ),
                        md=8,
                    ),
                ]
            ),
            dbc.Checkbox(
                id=WS.VIEW_SHARED, label=tr("view_shared", lang), value=False, className="small mb-2"
            ),
            dbc.Button(tr("view_save", lang), id=WS.VIEW_SAVE, color="primary", size="sm"),
            html.Div(id=WS.VIEW_MSG, role="status", className="small mt-2"),
            html.Div(id=WS.VIEWS, className="mt-2"),
        ]
    )


def _data(lang: str, sources: list[dict[str, str]], max_bytes: int) -> html.Section:
    return html.Section(
        [
            html.H2(tr("data", lang), className="h4 mt-4"),
            html.P(tr("data_help", lang), className="small"),
            dbc.Row(
                [
                    dbc.Col(
                        _field(
                            tr("source", lang),
                            dcc.Dropdown(id=WS.UP_SOURCE, options=sources, clearable=False),
                        ),
                        md=5,
                    ),
                    dbc.Col(
                        _field(tr("file_key", lang), dcc.Dropdown(id=WS.UP_KEY, options=[], clearable=False)),
                        md=3,
                    ),
                    dbc.Col(
                        _field(
                            tr("vintage", lang),
                            dcc.Input(id=WS.UP_VINTAGE, maxLength=60, className="form-control"),
                        ),
                        md=4,
                    ),
                ]
            ),
            dcc.Upload(
                id=WS.UP_FILE,
                children=html.Div(tr("drop", lang)),
                max_size=max_bytes,
                multiple=False,
                className="upload-zone border border-2 rounded p-4 text-center mb-2",
            ),
            dcc.Store(id=WS.UP_PENDING),
            dcc.Loading(html.Div(id=WS.UP_PREVIEW)),
            dbc.Button(tr("publish", lang), id=WS.UP_PUBLISH, color="danger", size="sm", disabled=True),
            html.Div(id=WS.UP_RESULT, role="status", className="mt-2"),
            dcc.Store(id=WS.UP_JOB),
            dcc.Interval(id=WS.UP_POLL, interval=2000, disabled=True),
            html.H3(tr("uploads", lang), className="h5 mt-3"),
            html.Div(id=WS.UPLOADS),
        ]
    )


def page(
    lang: str,
    user: Any,
    query: dict[str, str],
    indicators: list[dict[str, str]],
    places: list[dict[str, str]],
    sources: list[dict[str, str]],
    max_bytes: int,
) -> html.Div:
    """The workspace page; the options are read by ``callbacks.workspace.page_options``."""
    indicator = query.get("indicateur") or (indicators[0]["value"] if indicators else None)
    code = query.get("territoire") or config.home().code
    return html.Div(
        [
            dcc.Store(id=WS.REFRESH, data=0),
            html.Div(
                [
                    html.H1(tr("title", lang), className="h3 mb-0"),
                    html.Span(tr("hello", lang, user=user.username, role=user.role), className="small ms-3"),
                    html.A(
                        tr("logout", lang),
                        href="/auth/logout",
                        className="btn btn-sm btn-outline-secondary ms-auto",
                    ),
                ],
                className="d-flex align-items-center mb-3",
            ),
            _notes_and_targets(lang, indicators, places, indicator, code),
            _views(lang),
            _data(lang, sources, max_bytes),
            html.Section([html.H2(tr("audit", lang), className="h4 mt-4"), html.Div(id=WS.AUDIT)]),
        ],
        className="workspace",
    )


def public_notes_block(notes: list[dict[str, Any]], lang: str) -> html.Aside | None:
    """Public notes next to a figure of the public view (None when there is none).

    Plain text only (rendered by React, never as HTML or Markdown).
    """
    if not notes:
        return None
    items = [
        html.Li(
            [
                html.Time(str(n["note_date"]), dateTime=str(n["note_date"]), className="me-2 fw-semibold"),
                html.Span(n["body"], className="note-body"),
            ]
        )
        for n in notes
    ]
    title = tr("public_notes", lang)
    return html.Aside(
        [html.H3(title, className="h6"), html.Ul(items, className="small mb-0")],
        className="public-notes border-start border-3 ps-2 my-2",
    )
