"""Accessibility audit helpers: the audited pages, a wait for the rendered page, and axe-core.

axe-core is the copy shipped by ``axe-playwright-python`` (``axe.min.js``, injected in the page:
offline). Rules: WCAG 2.1 A and AA tags. A result is "blocking" when its impact is critical or
serious (what the suite fails on).
"""

from __future__ import annotations

from typing import Any

from config import chromium

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = chromium.ARGS
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

#: (name, path) of every public page type audited (the query string is completed with ``lang``).
PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("commune", "/commune/94081"),
    ("carte", "/carte"),
    ("comparer", "/comparer?territoires=94081,T12,MGP"),
    ("indicateurs", "/indicateurs"),
    ("indicateur", "/indicateurs/unemployment_rate"),
    ("sources", "/sources"),
    ("presentation", "/presentation"),
    ("deck", "/presentation?territoire=94081&theme=emploi&slide=2"),
    ("accessibilite", "/accessibilite"),
    ("explication", "/explication?indicateur=unemployment_rate&territoire=94081"),
]


def with_lang(path: str, lang: str) -> str:
    """``path`` with ``lang=en`` added for English (French is the default)."""
    if lang == "fr":
        return path
    return path + ("&" if "?" in path else "?") + "lang=en"


# The page is rendered when Dash has no callback in flight, nothing is marked loading, the router
# has filled the page (an <h1>), and every plotly chart has drawn its SVG; checked on two
# consecutive polls so that a chain of callbacks starting right after one finishes is not missed.
_RENDERED_JS = """() => {
    const calm = () => {
        if (!window.store) { return false; }  // not the Dash app (e.g. a server error page)
        const cbs = Object.assign({}, window.store.getState().callbacks);
        delete cbs.stored; delete cbs.completed;
        const pending = [].concat(...Object.values(cbs)).length;
        if (pending) { return false; }
        if (document.querySelector("[data-dash-is-loading='true']")) { return false; }
        if (!document.querySelector("#page h1, h1")) { return false; }
        for (const g of document.querySelectorAll(".js-plotly-plot")) {
            if (!g.querySelector(".main-svg")) { return false; }
        }
        return true;
    };
    const ok = calm();
    window.__a11yCalm = ok ? (window.__a11yCalm || 0) + 1 : 0;
    return window.__a11yCalm >= 3;
}"""


def wait_rendered(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait (polling, never a fixed sleep) until the page's content and charts are rendered."""
    page.wait_for_function(_RENDERED_JS, polling=200, timeout=timeout_ms)


def axe_results(page: Any) -> dict[str, Any]:
    """axe-core's full answer (WCAG 2.1 A/AA rules) on the current page: ``violations``, ``passes``,
    ``incomplete``… (node details for the violations only)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations (WCAG 2.1 A/AA rules) on the current page."""
    return list(axe_results(page).get("violations", []))


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The critical and serious violations."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]], max_nodes: int = 6) -> str:
    """Rule id, impact, node count and the first targets (with axe's summary) of each violation."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}, {len(v['nodes'])} nodes): {v.get('help')}")
        for node in v["nodes"][:max_nodes]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"    {node.get('target')} {node.get('html', '')[:120]!r} — {summary}")
    return "\n".join(lines)


def axe_version() -> str:
    """The version of the bundled axe-core (``/*! axe v4.x.y``)."""
    from importlib.resources import files

    head = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")[:40]
    return head.split("axe v", 1)[1].split()[0] if "axe v" in head else "?"


_STRUCTURE_JS = """() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const heads = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].filter(visible);
    const levels = heads.map((h) => Number(h.tagName[1]));
    const skips = [];
    for (let i = 1; i < levels.length; i++) {
        if (levels[i] > levels[i - 1] + 1) { skips.push(heads[i - 1].tagName + ">" + heads[i].tagName + " " + heads[i].textContent.slice(0, 40)); }
    }
    const count = (sel) => document.querySelectorAll(sel).length;
    return {
        title: document.title,
        lang: document.documentElement.lang,
        h1: [...document.querySelectorAll("h1")].filter(visible).map((h) => h.textContent.trim()),
        first_heading: levels.length ? levels[0] : 0,
        skips: skips,
        main: count("main, [role=main]"),
        banner: count("body > div header, header[role=banner], [role=banner]") + count("#nav header"),
        nav: count("nav, [role=navigation]"),
        contentinfo: count("footer, [role=contentinfo]"),
        search: count("[role=search], search"),
        scroll_width: document.documentElement.scrollWidth,
        inner_width: window.innerWidth,
    };
}"""


def structure(page: Any) -> dict[str, Any]:
    """Title, language, headings, landmarks and horizontal overflow of the current page."""
    return page.evaluate(_STRUCTURE_JS)
