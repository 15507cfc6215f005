"""« D'où vient ce chiffre ? » (``/explication``): the page that explains one value (issue #15).

Pure builder: ``callbacks.explain`` prepares display-ready texts (numbers already formatted) and
this module lays them out: the formula with its numbers, the status, the member communes (with a
CSV download), the official files with their sha256, the harmonisation, the quality flags and the
pandas script that recomputes the value.
"""

from __future__ import annotations

from typing import Any

from dash import html

from layouts import ids
from layouts.components import context_store, page_header, table
from layouts.i18n import t

PAGE = "explication"


def _section(title: str, *children: Any, id_: str) -> html.Section:
    return html.Section([html.H2(title, className="h5 mt-4", id=id_), *children], **{"aria-labelledby": id_})


def _sources(view: dict[str, Any], lang: str) -> list[Any]:
    items = []
    for src in view["sources"]:
        title: Any = html.A(src["title"], href=src["page_url"]) if src.get("page_url") else src["title"]
        lic: Any = (
            html.A(src["licence"], href=src["licence_url"]) if src.get("licence_url") else src["licence"]
        )
        files = [
            html.Li(
                [
                    html.Code(f["path"]),
                    " — ",
                    html.A(t("xp.download_url", lang), href=f["url"]) if f.get("url") else "",
                    html.Br(),
                    html.Span("sha256 ", className="text-body-secondary"),
                    html.Code(f["sha256"], className="text-break"),
                    html.Br(),
                    html.Span(
                        f"{t('src.loaded', lang)} {f['loaded']}", className="small text-body-secondary"
                    ),
                ],
                className="mb-2",
            )
            for f in src["files"]
        ]
        items.append(
            html.Li(
                [
                    html.Strong(title),
                    html.Br(),
                    f"{t('xp.producer', lang)} : {src['producer']} · "
                    if lang == "fr"
                    else f"Producer: {src['producer']} · ",
                    f"{t('src.vintage', lang)} : {src['vintage']} · "
                    if lang == "fr"
                    else f"Vintage: {src['vintage']} · ",
                    lic,
                    html.Br(),
                    html.Span(src["credit"], className="small"),
                    html.Ul(files, className="mt-2"),
                ],
                className="mb-3",
            )
        )
    return [html.Ul(items, className="list-unstyled")]


def layout(lang: str, view: dict[str, Any]) -> html.Div:
    """``view``: see ``callbacks.explain.view`` (texts and rows ready to show)."""
    script: list[Any]
    if view["script"]:
        script = [
            html.P(t("xp.script_intro", lang)),
            html.A(t("xp.script_download", lang), href=view["script_href"], download="",
                   className="btn btn-sm btn-outline-primary mb-2"),
            # tabIndex: a scrolling region must be reachable with the keyboard (H5, issue #10)
            html.Pre(html.Code(view["script"]), className="explain-script border rounded p-2 small",
                     tabIndex="0"),
        ]  # fmt: skip
    else:
        script = [html.P(view["script_reason"])]
    harmonisation = [html.Li(x) for x in view["harmonisation"]] or [html.Li(t("xp.no_harmonisation", lang))]
    flags = [html.Li(x) for x in view["flags"]] or [html.Li(t("xp.no_flags", lang))]
    return html.Div(
        [
            context_store(PAGE, lang),
            page_header(
                t("xp.title", lang),
                t("xp.intro", lang),
                html.P(
                    html.Strong(f"{view['label']} — {view['territory']}, {view['year']}"), className="mb-0"
                ),
            ),
            _section(
                t("xp.formula", lang),
                html.P(view["formula"], className="explain-formula fs-5", id=ids.EXPLAIN_FORMULA),
                html.P(
                    [html.Strong(t("xp.status", lang) + (" : " if lang == "fr" else ": ")), view["status"]]
                ),
                html.P(
                    [
                        html.Strong(t("xp.definition", lang) + (" : " if lang == "fr" else ": ")),
                        view["definition"],
                    ],
                    className="small",
                ),
                id_="xp-formula",
            ),  # fmt: skip
            _section(
                t("xp.inputs", lang),
                html.P(
                    [
                        html.A(
                            t("xp.csv", lang),
                            href=view["csv_href"],
                            download="",
                            className="btn btn-sm btn-outline-primary me-2",
                        ),
                        html.A(t("xp.json", lang), href=view["json_href"], className="small"),
                    ]
                ),  # fmt: skip
                html.Div(
                    table(view["header"], view["rows"], view["caption"], numeric_from=2),
                    className="table-responsive",
                    tabIndex="0",
                ),
                id_="xp-inputs",
            ),  # fmt: skip
            _section(t("xp.sources", lang), *_sources(view, lang), id_="xp-sources"),
            _section(t("xp.harmonisation", lang), html.Ul(harmonisation), id_="xp-harmonisation"),
            _section(t("xp.flags", lang), html.Ul(flags, className="small"), id_="xp-flags"),
            _section(t("xp.script", lang), *script, id_="xp-script"),
            html.P(html.A(t("xp.back", lang), href=view["back"]), className="mt-4"),
        ]
    )
