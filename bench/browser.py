"""Benchmark of the pages in a real browser (Playwright driving Debian's Chromium): time to the first
chart drawn, longest main-thread task and bytes transferred, for the main pages.

    .venv/bin/python bench/browser.py                      # starts gunicorn on the store of DATABASE_URL
    .venv/bin/python bench/browser.py --url http://127.0.0.1:8101 --runs 5
    .venv/bin/python bench/browser.py --screenshots        # and docs/screenshots/app-commune-94081*.png
    .venv/bin/python bench/browser.py --runs 0 --screenshots   # the screenshots only

Each run opens the page in a fresh browser context (empty cache, so the bytes are those of a first
visit) after one unmeasured visit of every page (warm server caches). « first chart »: milliseconds
from the start of navigation until a chart or map has drawn a trace (a ``g.trace`` inside a
``.js-plotly-plot``); « longest task »: the longest main-thread task reported by the browser
(``PerformanceObserver`` of type ``longtask``, buffered, over the whole load); « bytes »: the sum of
the encoded (compressed) sizes of every response, headers included. Figures are medians over runs.
Targets (issue #9): first chart of a commune profile < 1 500 ms, no task over 200 ms.
"""

from __future__ import annotations

import argparse
import signal
import statistics
from pathlib import Path

from _server import free_port, start_server  # first: puts the repository on sys.path

from config import chromium  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PAGES = ["/", "/commune/94081", "/carte", "/comparer"]
CHROMIUM = "/usr/bin/chromium"
FLAGS = chromium.ARGS
#: Installed before any script of the page: long tasks and the moment the first trace is drawn.
PROBE = """
window.__longtasks = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longtasks.push(e.duration); });
  }).observe({type: "longtask", buffered: true});
} catch (e) {}
window.__firstChart = null;
new MutationObserver(function (records, obs) {
  if (document.querySelector(".js-plotly-plot .main-svg g.trace")) {
    window.__firstChart = performance.now();
    obs.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
SETTLED = """() => document.querySelector('#page > *') !== null
  && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0
  && !document.querySelector('._dash-loading')"""


def measure(browser, url: str, width: int = 1366, height: int = 900) -> dict[str, float]:
    """One visit of ``url`` in a fresh context: first chart (ms), longest task (ms), bytes."""
    # bypass_csp: the page's policy forbids eval, which Playwright's waits use (not the app)
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    page.add_init_script(PROBE)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__firstChart !== null", timeout=60_000)
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # a quiet second: late tasks (drawing of the other charts) are counted
    first = page.evaluate("window.__firstChart")
    tasks = page.evaluate("window.__longtasks")
    context.close()
    return {
        "first": float(first),
        "longest": max(tasks, default=0.0),
        "tasks": float(sum(1 for t in tasks if t > 200)),
        "bytes": float(sum(sizes.values())),
    }


def screenshots(browser, base: str) -> list[Path]:
    """The commune profile on a desktop (1366 px) and a phone (390 px), whole page."""
    out = REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    shots = [
        ("app-commune-94081.png", {"viewport": {"width": 1366, "height": 900}}),
        (
            "app-commune-94081-phone.png",
            {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            },
        ),
    ]
    paths = []
    for name, opts in shots:
        context = browser.new_context(**opts, bypass_csp=True)
        page = context.new_page()
        page.add_init_script(PROBE)
        page.goto(base + "/commune/94081", wait_until="commit")
        page.wait_for_function("() => window.__firstChart !== null", timeout=60_000)
        page.wait_for_function(SETTLED, timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .main-svg g.trace').length >= 3", timeout=60_000
        )
        page.wait_for_timeout(800)  # transitions of the last chart
        path = out / name
        page.screenshot(path=str(path), full_page=True)
        _palette(path)
        paths.append(path)
        context.close()
    return paths


def _palette(path: Path) -> None:
    """Rewrite a screenshot with a 256-colour palette (flat UI colours: a third of the bytes, same
    look), so the committed images stay small."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with reportlab and python-pptx

    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def table(browser, base: str, runs: int) -> None:
    """Measure every page ``runs`` times (after one warm-up visit each) and print the medians."""
    for path in PAGES:  # warm the server's caches (and the OS's)
        measure(browser, base + path)
    rows = []
    for path in PAGES:
        found = [measure(browser, base + path) for _ in range(runs)]
        rows.append((path, {k: statistics.median(r[k] for r in found) for k in found[0]}))
    print(f"{'page':<18}{'first chart':>14}{'longest task':>15}{'tasks >200 ms':>15}{'transferred':>14}")
    for path, m in rows:
        print(
            f"{path:<18}{m['first']:>11.0f} ms{m['longest']:>12.0f} ms{m['tasks']:>15.0f}"
            f"{m['bytes'] / 1024:>11.0f} KB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an already running server (default: start gunicorn)")
    parser.add_argument("--runs", type=int, default=3, help="measured visits per page (median); 0: none")
    parser.add_argument("--screenshots", action="store_true", help="also write docs/screenshots/")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    proc = None
    base = args.url
    if not base:
        port = free_port()
        proc = start_server(port, threads=4)
        base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            if args.runs > 0:
                table(browser, base, args.runs)
            if args.screenshots:
                for p in screenshots(browser, base):
                    print("wrote", p.relative_to(REPO))
            browser.close()
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
