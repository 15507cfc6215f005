"""Dash components of the workspace built from data (charts, note items, lists, upload preview).

Pure rendering helpers for ``callbacks.workspace``; the data come from ``workspace.store`` and
``indicators``. Officer text is always rendered as plain text (React escapes it).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

import config
from layouts.workspace import WS
from workspace import audit, store, uploads
from workspace.auth import state
from workspace.overlay import add_target
from workspace.texts import tr


def page_options(lang: str) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]], int]:
    """(indicators, territories, sources, max upload bytes) for the page's controls."""
    from etl.uploads import statistical_sources
    from indicators import service
    from indicators.catalogue import catalogue

    inds = [
        {"label": i.label_en if lang == "en" else i.label_fr, "value": i.id} for i in catalogue().values()
    ]
    st = state()
    try:
        terr = service.territories(st.engine)
        home = config.home().code  # the home territory and its communes first
        communes = sorted(terr.communes_of(home), key=lambda c: terr.names.get(c, c))
        codes = [home, *communes, "MGP", *[c for c in terr.codes("ept") if c != home]]
        places = [{"label": f"{terr.names.get(c, c)} ({c})", "value": c} for c in codes if c in terr.names]
    except Exception:  # noqa: BLE001 - an empty store still shows the page
        places = [{"label": config.home().code, "value": config.home().code}]
    srcs = [{"label": f"{s.title_fr} ({sid})", "value": sid} for sid, s in statistical_sources().items()]
    return inds, places, srcs, st.config.upload_max_bytes


def alert(text: str, color: str) -> dbc.Alert:
    return dbc.Alert(text, color=color, className="py-1 px-2 small mb-0")


def figure(indicator: str, code: str, target: dict[str, Any] | None, lang: str) -> go.Figure:
    from indicators import service
    from indicators.catalogue import get_indicator

    fig = go.Figure(layout={"margin": {"l": 50, "r": 20, "t": 50, "b": 40}, "template": "plotly_white"})
    try:
        ind = get_indicator(indicator)
        series = service.series(state().engine, indicator, [code]).dropna(subset=["value"])
    except Exception as exc:  # noqa: BLE001 - unknown indicator/territory or empty store: say so
        fig.update_layout(title=f"{indicator} — {code}: {exc}")
        return fig
    x = [f"{y}" if not m else f"{y}-{m:02d}" for y, m in zip(series["year"], series["month"], strict=True)]
    name = series["name"].iloc[0] if len(series) else code
    fig.add_scatter(x=x, y=series["value"], mode="lines+markers", name=name)
    fig.update_layout(
        title=f"{ind.label_en if lang == 'en' else ind.label_fr} — {name}", xaxis={"type": "category"}
    )
    if target is not None:
        latest = float(series["value"].iloc[-1]) if len(series) else None
        add_target(fig, target, latest, ind.unit, ind.decimals, lang)
    return fig


def note_item(n: dict[str, Any], lang: str) -> html.Li:
    badge = dbc.Badge("public", color="success", className="ms-1") if n["public"] else None
    where = " · ".join(x for x in (n.get("indicator"), n.get("code")) if x)
    return html.Li(
        [
            html.Div(
                [
                    html.Time(str(n["note_date"]), className="fw-semibold"),
                    badge,
                    html.Span(f" {where} — {n['author']}", className="text-body-secondary"),
                ]
            ),
            html.P(n["body"], className="mb-1", style={"whiteSpace": "pre-wrap"}),
            dbc.Button(
                tr("archive", lang),
                id={"type": WS.NOTE_ARCHIVE, "id": n["id"]},
                size="sm",
                color="link",
                className="p-0",
            ),
        ],
        className="mb-2",
    )


def lang() -> str:
    from flask import request

    return "en" if "lang=en" in (request.referrer or "") else "fr"


def decode(contents: str | None, max_bytes: int) -> bytes:
    if not contents or "," not in contents or len(contents) > max_bytes * 4 // 3 + 1024:
        raise uploads.UploadRejected("no file, or a file larger than the limit")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise uploads.UploadRejected("the file could not be read") from exc


def lists(engine: Any, user: Any, lang: str) -> tuple:
    """Saved views, imported files and the audit log (latest 50 entries)."""
    views = [
        html.Li(
            [
                html.A(v["name"], href=v["url"]),
                html.Span(f" ({v['owner']})", className="small"),
                dbc.Button(
                    tr("archive", lang),
                    id={"type": WS.VIEW_ARCHIVE, "id": v["id"]},
                    size="sm",
                    color="link",
                    className="py-0",
                ),
            ]
        )
        for v in store.views_for(engine, user)
    ]
    ups = [
        html.Li(
            f"#{u['id']} {u['source_id']}:{u['file_key']} — {u['vintage']} — {u['status']} — "
            f"{u['original_name']} ({u['uploaded_at']:%Y-%m-%d %H:%M})"
        )
        for u in uploads.uploads_list(engine)
    ]
    rows = [
        html.Tr(
            [
                html.Td(f"{e['at']:%Y-%m-%d %H:%M}"),
                html.Td(e["username"]),
                html.Td(e["action"]),
                html.Td(f"{e['entity']} {e['entity_id'] or ''}"),
            ]
        )
        for e in audit.visible(engine, user, 50)
    ]
    table = dbc.Table([html.Tbody(rows)], size="sm", className="small") if rows else None
    return html.Ul(views), html.Ul(ups, className="small"), table


def job_status(row: dict[str, Any], lang: str) -> dbc.Alert:
    """Where a publication job stands (queued, publishing, published, failed)."""
    status = row.get("status")
    if status in ("queued", "publishing"):
        return alert(tr(f"job_{status}", lang, id=row["id"]), "info")
    if status == "published":
        return alert(tr("job_published", lang, id=row["id"], vintage=row.get("vintage") or ""), "success")
    return alert(tr("job_failed", lang, id=row["id"], error=row.get("error") or status), "danger")


def preview(s: dict[str, Any]) -> html.Div:
    """The summary of what publishing would change (French number formatting)."""
    from indicators.formatting import fmt_number

    def n(x: float | None, decimals: int = 0) -> str:
        return fmt_number(x, decimals, "fr")

    head = [
        html.Li(f"Fichier : {s['original_name']} — {n(s['size'])} octets — sha256 {s['sha256'][:12]}…"),
        html.Li(f"Nouveau millésime : {s['vintage'] or 'aucune nouvelle période (révisions seulement)'}"),
        html.Li(f"Lignes lues : {n(s['rows_read'])} ; observations publiées : {n(s['observations'])}"),
        html.Li(
            f"Communes couvertes : {n(s['communes_covered'])} (dont {s['gosb_covered']}/{s['gosb_total']} du territoire {config.home().short or config.home().code})"
        ),
        *[
            html.Li(
                f"{v['variable']} : nouvelles périodes {v['new'] or '—'} ; révisées {v['revised'] or '—'}"
            )
            for v in s["variables"]
        ],
    ]
    rows = [
        html.Tr(
            [
                html.Td(
                    c["name"]
                    + (f" ({config.home().short or config.home().code})" if c.get("in_gosb") else "")
                ),
                html.Td(c["variable"]),
                html.Td(f"{c['before_period']} → {c['period']}"),
                html.Td(f"{n(c['before'], 1)} → {n(c['value'], 1)}"),
                html.Td(("+" if (c["change_pct"] or 0) > 0 else "") + f"{n(c['change_pct'], 1)} %"),
            ]
        )
        for c in s["largest_changes"]
    ]
    table = (
        dbc.Table(
            [
                html.Thead(
                    html.Tr([html.Th(h) for h in ("Commune", "Variable", "Période", "Valeur", "Écart")])
                ),
                html.Tbody(rows),
            ],
            size="sm",
            className="small",
        )
        if rows
        else None
    )
    return html.Div(
        [
            alert("Fichier valide : vérifiez le résumé puis confirmez la publication.", "warning"),
            html.Ul(head, className="small"),
            html.H4("Plus fortes variations", className="h6"),
            table,
        ]
    )
