"""Router and URL state: render the page of the address, keep the URL and the controls in sync,
the commune search, and small client-side helpers (document title and language, active link).

* ``route``: pathname → page (registry), navigation and footer in the URL's language. Unknown
  addresses and values give a friendly page; unexpected errors are logged and shown politely.
* ``sync``: one callback owns both the query string and every ``param`` control, so that a
  control change pushes a new URL (a history entry) and back/forward restores the controls.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Input, Output, State, ctx, no_update
from sqlalchemy.exc import OperationalError, ProgrammingError

from callbacks import data, registry
from callbacks import search as finder
from callbacks.registration import callback, clientside_callback
from callbacks.registry import PageError, PageResult, Request
from callbacks.state import build_query, lang_of, parse_query, split_list
from layouts import ids
from layouts.i18n import t
from layouts.shell import error_page, footer, navbar

log = logging.getLogger(__name__)


def _home_links(lang: str) -> list[tuple[str, str]]:
    q = "?lang=en" if lang == "en" else ""
    return [(p.path + q, t(p.nav, lang)) for p in registry.nav_pages()]


def render(pathname: str | None, search: str | None) -> PageResult:
    """The page for an address; never raises (errors become friendly pages)."""
    query = parse_query(search)
    lang = lang_of(search)
    found = registry.match(pathname)
    if found is None:
        return PageResult(
            error_page(t("err.title", lang), t("err.page", lang), _home_links(lang), lang),
            t("err.title", lang),
        )
    page, args = found
    try:
        data.data_version()  # an empty or unreachable store gives the « data not loaded » page
        return page.build(Request(pathname or "/", args, query, lang))
    except PageError as exc:
        links = exc.links or _home_links(lang)
        return PageResult(error_page(t("err.title", lang), exc.message, links, lang), t("err.title", lang))
    except (OperationalError, ProgrammingError):
        log.exception("store unavailable while rendering %s", pathname)
        return PageResult(
            error_page(t("app.title", lang), t("err.store", lang), [], lang), t("app.title", lang)
        )
    except Exception:
        log.exception("error while rendering %s%s", pathname, search or "")
        return PageResult(
            error_page(t("app.title", lang), t("err.internal", lang), _home_links(lang), lang),
            t("app.title", lang),
        )


def shell_parts(lang: str, chrome: bool, pathname: str) -> tuple[Any, Any]:
    """Navigation and footer (none for embeds)."""
    if not chrome:
        return [], []
    q = "?lang=en" if lang == "en" else ""
    items = [(p.path + q, t(p.nav, lang), False) for p in registry.nav_pages()]
    try:
        options = finder.default_options(lang)
    except (OperationalError, ProgrammingError):
        options = []
    return navbar(items, lang, options), footer(lang)


@callback(
    Output(ids.NAV, "children"),
    Output(ids.PAGE, "children"),
    Output(ids.FOOTER, "children"),
    Output(ids.DOC, "data"),
    Input(ids.URL, "pathname"),
    State(ids.URL, "search"),
    State(ids.DOC, "data"),
)
def route(pathname: str | None, search: str | None, doc: dict | None) -> tuple:
    lang = lang_of(search)
    result = render(pathname, search)
    app_title = t("app.title", lang)
    # « Vitry-sur-Seine — profil communal — Observatoire du Grand-Orly Seine Bièvre » (page, place, site)
    meta = {"lang": lang, "chrome": result.chrome, "title": f"{result.title} — {app_title}"}
    if doc and doc.get("lang") == lang and doc.get("chrome") == result.chrome:
        return no_update, result.layout, no_update, meta
    try:
        nav, foot = shell_parts(lang, result.chrome, pathname or "/")
    except Exception:
        log.exception("error while building the navigation")
        nav, foot = [], []
    return nav, result.layout, foot, meta


def _current_page(pathname: str | None) -> str | None:
    found = registry.match(pathname)
    return found[0].key if found else None


@callback(
    Output(ids.URL, "search"),
    Output(ids.PARAM_ALL, "value"),
    Output(ids.PARAM_ALL, "options"),
    Output(ids.DROPPED, "data"),
    Input(ids.URL, "search"),
    Input(ids.PARAM_ALL, "value"),
    State(ids.URL, "pathname"),
    State(ids.PARAM_ALL, "id"),
    State(ids.PARAM_ALL, "options"),
    State(ids.CTX_ALL, "data"),
)
def sync(search, values, pathname, param_ids, options, contexts) -> tuple:
    """Controls → URL (a new history entry) or URL → controls (back/forward, links); plus what the
    page's rules left out of a list the user changed (``dropped``), for the page to say so."""
    from_controls = isinstance(ctx.triggered_id, dict)
    new_search, out_values, out_options = sync_state(
        from_controls, search, values, pathname, param_ids, options, contexts
    )
    found = dropped(values, out_values, param_ids) if from_controls else no_update
    return new_search, out_values, out_options, found


def dropped(values: list[Any], out_values: list[Any], param_ids: list[dict]) -> dict[str, list] | None:
    """``{name: [values left out]}`` of the list controls whose new value is shorter (e.g. a 7th
    territory beyond the comparer's maximum); None if nothing was left out."""
    out: dict[str, list] = {}
    for pid, before, after in zip(param_ids, values, out_values, strict=True):
        if isinstance(before, list) and isinstance(after, list):
            gone = [v for v in before if v not in after]
            if gone:
                out[pid["name"]] = gone
    return out or None


def sync_state(
    from_controls: bool,
    search: str | None,
    values: list[Any],
    pathname: str | None,
    param_ids: list[dict],
    options: list[Any],
    contexts: list[dict | None],
) -> tuple:
    """The logic of ``sync``: (new search or no_update, control values, control options)."""
    n = len(param_ids)
    nothing = (no_update, [no_update] * n, [no_update] * n)
    page_key = _current_page(pathname)
    if not n or any(pid["page"] != page_key for pid in param_ids):
        return nothing  # controls of another page (navigation in progress) or an embed
    lang = lang_of(search)
    query = parse_query(search)
    defaults = (contexts[0] or {}).get("defaults", {}) if contexts else {}
    names = [pid["name"] for pid in param_ids]
    if from_controls:
        state = dict(zip(names, values, strict=True))
    else:
        state = {}
        for name, current in zip(names, values, strict=True):
            raw = query.get(name)
            if isinstance(current, list):
                state[name] = split_list(raw) if raw else defaults.get(name, [])
            else:
                state[name] = raw if raw else defaults.get(name, current)
    page = registry.PAGES[page_key]
    new_options: dict[str, list] = {}
    if page.normalise is not None:
        state, new_options = page.normalise(state, lang)
    out_values = [
        state.get(nm) if state.get(nm) != v else no_update for nm, v in zip(names, values, strict=True)
    ]
    out_options = [
        new_options[nm] if nm in new_options and new_options[nm] != o else no_update
        for nm, o in zip(names, options, strict=True)
    ]
    new_search = no_update
    if from_controls:
        keep = {k: v for k, v in query.items() if k not in names and k != "lang"}
        candidate = build_query({**keep, **state}, lang)
        if candidate != (search or ""):
            new_search = candidate
    return new_search, out_values, out_options


# Document title and <html lang>, for screen readers and browser tabs.
clientside_callback(
    """function(meta) {
        if (meta) { document.title = meta.title; document.documentElement.lang = meta.lang; }
        return window.dash_clientside.no_update;
    }""",
    Output(ids.SINK_DOC, "data"),
    Input(ids.DOC, "data"),
)

# The language switch keeps the current view (path and parameters), toggling only ``lang``.
clientside_callback(
    """function(search, pathname, nav) {
        const q = new URLSearchParams(search || "");
        const en = q.get("lang") === "en";
        if (en) { q.delete("lang"); } else { q.set("lang", "en"); }
        const s = q.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
        return (pathname || "/") + (s ? "?" + s : "");
    }""",
    Output(ids.LANG_LINK, "href"),
    Input(ids.URL, "search"),
    Input(ids.URL, "pathname"),
    Input(ids.NAV, "children"),
)

# Active navigation link (aria-current) without re-rendering the header.
clientside_callback(
    """function(pathname, nav) {
        document.querySelectorAll(".app-navbar .nav-link").forEach(function(a) {
            const href = (a.getAttribute("href") || "").split("?")[0];
            const on = href === "/" ? pathname === "/" : (pathname || "").startsWith(href);
            a.classList.toggle("active", on);
            if (on) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
        });
        return window.dash_clientside.no_update;
    }""",
    Output(ids.SINK_NAV, "data"),
    Input(ids.URL, "pathname"),
    Input(ids.NAV, "children"),
)

clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    Output(ids.NAV_COLLAPSE, "is_open"),
    Input(ids.NAV_TOGGLER, "n_clicks"),
    State(ids.NAV_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
