"""Benchmark of the app: server-side time of each page's callbacks (p50/p95) and bytes sent for the
first load of the main pages, measured with headless Chromium against a live server.

    .venv/bin/python bench/app.py                 # store: DATABASE_URL or data/observatoire.sqlite
    .venv/bin/python bench/app.py --runs 3 --json bench/out/app.json

Callback times come from a Flask hook around ``/_dash-update-component`` (server time only, keyed
by the callback's outputs). Each page is opened in a fresh browser profile (empty cache) to count
the bytes of its first load, then revisited with other indicators so that callbacks really compute.
Targets: p95 < 100 ms per callback; map payload (shapes + figure) for the 130 MGP communes < 500 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import _server  # noqa: F401  (first: puts the repository on sys.path)

from config import chromium  # noqa: E402

os.environ.setdefault("OBSERVATOIRE_WARM", "0")

FIRST_LOADS = ["/", "/commune/94081", "/carte", "/carte?perimetre=mgp"]
VISITS = {
    "/": ["?indicateur={i}"],
    "/commune/94081": ["?indicateur={i}"],
    "/commune/94041": ["?indicateur={i}"],
    "/carte": ["?indicateur={i}&perimetre=mgp", "?indicateur={i}&perimetre=territoire&classes=jenks"],
    "/comparer": ["?indicateur={i}&territoires=94081,HOME,MGP,D94"],
    "/indicateurs/{i}": [""],
    "/sources": [""],
}
INDICATORS = [
    "unemployment_rate",
    "population",
    "median_income",
    "social_housing_share",
    "activity_rate",
    "share_60p",
    "price_m2_weighted",
    "housing_authorised_per_1000",
]
FLAGS = chromium.SELENIUM_ARGS


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def callback_name(outputs: str) -> str:
    """A short name for a callback from its outputs: the card, or the first output."""
    first = outputs.strip(".").split("...")[0]
    if first.startswith("{"):
        try:
            spec = json.loads(first.rsplit(".", 1)[0])
        except ValueError:
            return first[:50]
        return spec.get("card") or ("sync (URL ↔ controls)" if spec.get("type") == "param" else first[:50])
    if first.startswith("url.pathname"):
        return "navigation (search, click)"
    return {"nav.children": "router", "url.search": "sync (URL ↔ controls)"}.get(first, first[:50])


def replay(server_app, bodies: list[tuple[str, str, bytes]]) -> dict[tuple[str, str], dict[str, list[float]]]:
    """Each recorded callback request again, one at a time (no concurrency): once with the app's
    memoised results cleared (first view; the indicators' store cache stays warm), once repeated."""
    from callbacks import data

    client = server_app.test_client()
    out: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: {"first": [], "repeat": []})
    for page_name, name, body in bodies:
        if page_name.startswith("first load"):
            continue
        data.reset()
        for kind in ("first", "repeat"):
            t0 = time.perf_counter()
            resp = client.post(
                "/_dash-update-component",
                data=body,
                content_type="application/json",
                headers={"X-Bench-Replay": "1"},
            )
            elapsed = (time.perf_counter() - t0) * 1000
            if resp.status_code in (200, 204):
                out[(page_name, name)][kind].append(elapsed)
    return out


def serve():
    """The app on a free port, with the callback timing hook; returns (url, timings, current page)."""
    from flask import g, request
    from werkzeug.serving import make_server

    import app as app_module

    timings: dict[tuple[str, str], list[float]] = defaultdict(list)
    page = {"name": "", "bodies": []}
    server_app = app_module.app.server

    @server_app.before_request
    def _start() -> None:
        g.t0 = time.perf_counter()

    @server_app.after_request
    def _stop(resp):
        replaying = bool(request.headers.get("X-Bench-Replay"))
        if request.path.endswith("/_dash-update-component") and request.method == "POST" and not replaying:
            body = request.get_json(silent=True) or {}
            name = callback_name(body.get("output", "?"))
            timings[(page["name"], name)].append((time.perf_counter() - g.t0) * 1000)
            page["bodies"].append((page["name"], name, request.get_data()))
        return resp

    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", timings, page, server_app


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='obs-bench-')}")
    opts.add_argument("--window-size=1366,1000")
    opts.binary_location = "/usr/bin/chromium"
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def settle(driver, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    script = (
        "return document.querySelector('#page > *') !== null && !document.querySelector('._dash-loading')"
        " && document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"
    )
    while time.monotonic() < end:
        if driver.execute_script(script):
            time.sleep(1.0)
            if driver.execute_script(script):
                return
        time.sleep(0.2)


def first_load_bytes(url: str) -> dict[str, int]:
    """Bytes received by a fresh browser (empty cache) loading ``url``, by kind of resource."""
    driver = browser()
    try:
        driver.get(url)
        settle(driver)
        time.sleep(3)  # map shapes are fetched by plotly.js after the figure arrives
        settle(driver)
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            params = msg.get("params", {})
            if msg["method"] == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
            elif msg["method"] == "Network.loadingFinished":
                sizes[params["requestId"]] = sizes.get(params["requestId"], 0) + int(
                    params["encodedDataLength"]
                )
        out = defaultdict(int)
        for rid, size in sizes.items():
            path = urlparse(urls.get(rid, "")).path
            if path.startswith("/geo/") or "topojson" in path:
                kind = "map shapes"
            elif "_dash-update-component" in path:
                kind = "callbacks"
            elif path.endswith((".js", ".css")) or "_dash-component-suites" in path:
                kind = "scripts+styles"
            else:
                kind = "html+layout+other"
            out[kind] += size
        out["total"] = sum(sizes.values())
        return dict(out)
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="passes over the visits (default 1)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()

    import callbacks

    start = time.perf_counter()
    callbacks.warm_up()
    warm = time.perf_counter() - start
    url, timings, page, server_app = serve()
    print(f"warm-up (all commune snapshots, key figures): {warm:.1f} s")

    loads = {}
    for path in FIRST_LOADS:
        page["name"] = "first load " + path
        loads[path] = first_load_bytes(url + path)

    driver = browser()
    try:
        for _ in range(args.runs):
            for i, ind in enumerate(INDICATORS):
                for path, queries in VISITS.items():
                    if "{i}" in path and i > 2:
                        continue
                    for query in queries:
                        page["name"] = path.replace("{i}", "<id>")
                        driver.get(url + path.replace("{i}", ind) + query.replace("{i}", ind))
                        settle(driver)
    finally:
        driver.quit()

    sequential = replay(server_app, page["bodies"])
    print("\nServer-side callback time (ms), p50/p95, by page and callback")
    print("  sequential: requests replayed one at a time; first = app memo cleared, repeat = memoised")
    print("  in browser: measured during the browser visits (parallel requests share 2 CPUs and the GIL)")
    head = f"{'page':18} {'callback':26} {'n':>3} {'first p50':>10} {'first p95':>10} {'repeat p95':>11}"
    print(head + f" {'browser p50':>12} {'browser p95':>12}")
    rows = []
    for (name, cb), values in sorted(timings.items()):
        if name.startswith("first load"):
            continue
        seq = sequential.get((name, cb), {"first": [], "repeat": []})
        first, repeat = seq["first"] or [float("nan")], seq["repeat"] or [float("nan")]
        row = {
            "page": name,
            "callback": cb,
            "n": len(values),
            "first_p50_ms": round(percentile(first, 0.5), 1),
            "first_p95_ms": round(percentile(first, 0.95), 1),
            "repeat_p95_ms": round(percentile(repeat, 0.95), 1),
            "browser_p50_ms": round(percentile(values, 0.5), 1),
            "browser_p95_ms": round(percentile(values, 0.95), 1),
        }
        rows.append(row)
        flag = "  > 100 ms" if row["first_p95_ms"] > 100 else ""
        print(
            f"{name:18} {cb:26} {len(values):3d} {row['first_p50_ms']:10.1f} {row['first_p95_ms']:10.1f} "
            f"{row['repeat_p95_ms']:11.1f} {row['browser_p50_ms']:12.1f} {row['browser_p95_ms']:12.1f}{flag}"
        )
    print("\nBytes received on a first load (empty cache)")
    kinds = ["scripts+styles", "html+layout+other", "callbacks", "map shapes", "total"]
    print(f"{'page':28}" + "".join(f"{k:>20}" for k in kinds))
    for path, sizes in loads.items():
        print(f"{path:28}" + "".join(f"{sizes.get(k, 0) / 1024:18.1f}KB" for k in kinds))
    mgp = loads["/carte?perimetre=mgp"]
    print(
        f"\nmap payload, 130 MGP communes (shapes + callbacks): {(mgp.get('map shapes', 0) + mgp.get('callbacks', 0)) / 1024:.1f} KB"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"warm_up_s": round(warm, 1), "callbacks": rows, "first_load_bytes": loads}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
