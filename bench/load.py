"""Load test (issue #13): real browser visits replayed by many concurrent visitors (locust).

    .venv/bin/python bench/load.py                       # 50 then 200 visitors, 60 s each
    .venv/bin/python bench/load.py --users 200 --duration 120 --json bench/out/load.json

1. Starts ``gunicorn app:server`` with 2 workers (``gunicorn.conf.py``: threaded workers) on a free
   port of 127.0.0.1, on ``DATABASE_URL`` (default ``data/observatoire.sqlite``).
2. Captures real visits once with Playwright (Debian's Chromium, headless): for each page of
   ``PAGES``, the page, the assets of a first visit, the Dash requests (layout, dependencies) and
   every ``/_dash-update-component`` payload the page fires, in order.
3. Replays them with locust (``FastHttpUser``): each visitor opens a page, fetches the assets on its
   first visit only (a browser caches them), then posts the page's callbacks; between two page
   views it "reads" for ``THINK`` seconds. The load generator runs on the same machine.
4. After ``--warmup`` seconds of unreported load (both workers' caches filled), prints p50/p95/p99
   (ms), errors and the machine's load average per load level, and the slowest requests by p95.

Target on the 2-core reference machine: 200 visitors, p95 < 500 ms, no error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from _server import free_port, start_server  # first: puts the repository on sys.path

from config import chromium  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PAGES = [
    "/",
    "/?indicateur=unemployment_rate",
    "/commune/94081",
    "/commune/94041?indicateur=median_income",
    "/carte?indicateur=unemployment_rate&perimetre=mgp",
    "/comparer?indicateur=population&territoires=94081,HOME,MGP",
    "/indicateurs",
    "/indicateurs/social_housing_share",
    "/sources",
    "/presentation?territoire=94081&theme=emploi",
]
THINK = (5.0, 15.0)  # seconds a visitor spends on a page before the next one
CHROMIUM_ARGS = chromium.ARGS
CACHED_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon")


# -- locust side (imported by ``locust -f bench/load.py``) --------------------------------------------
if os.environ.get("LOAD_VISITS"):
    from locust import FastHttpUser, between, task

    VISITS = json.loads(Path(os.environ["LOAD_VISITS"]).read_text(encoding="utf-8"))

    class Visitor(FastHttpUser):
        """A person browsing the observatory: page, (assets), callbacks, then reading."""

        wait_time = between(*THINK)

        def on_start(self) -> None:
            self.first = True

        @task
        def visit(self) -> None:
            v = random.choice(VISITS)
            self.client.get(v["url"], name=f"page {v['name']}")
            for url in v["assets"] if self.first else []:
                self.client.get(url, name="asset (first visit)")
            self.first = False
            for url in v["dash_gets"]:
                self.client.get(url, name=f"dash {urlparse(url).path}")
            for name, body in v["callbacks"]:
                with self.client.post(
                    "/_dash-update-component",
                    data=body,
                    headers={"Content-Type": "application/json"},
                    name=f"cb {v['name']} {name}",
                    catch_response=True,
                ) as resp:
                    if resp.status_code in (200, 204):
                        resp.success()  # 204: PreventUpdate, what the browser gets too


# -- orchestration ----------------------------------------------------------------------------------
def callback_name(output: str) -> str:
    """A short name for a callback (its first output id)."""
    head = output.strip(".").split("...")[0]
    return head.rsplit(".", 1)[0][:60]


def capture(base: str, out: Path) -> None:
    """Record real visits with Playwright (run in its own process: locust patches the sockets)."""
    from playwright.sync_api import sync_playwright

    visits = []
    settled = (
        "() => document.querySelector('#page > *') !== null && !document.querySelector('._dash-loading')"
        " && document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for url in PAGES:
            context = browser.new_context(viewport={"width": 1366, "height": 1000})  # empty cache
            page = context.new_page()
            seen: list[tuple[str, str, str | None]] = []
            page.on("request", lambda r, seen=seen: seen.append((r.method, r.url, r.post_data)))
            page.goto(base + url, wait_until="networkidle", timeout=120_000)
            page.wait_for_function(settled, timeout=120_000)
            page.wait_for_load_state("networkidle", timeout=120_000)
            gets, callbacks = [], []
            for method, full, body in seen:
                u = urlparse(full)
                path = u.path + (f"?{u.query}" if u.query else "")
                if u.netloc != urlparse(base).netloc or path == url:
                    continue
                if method == "POST" and u.path.endswith("/_dash-update-component") and body:
                    callbacks.append((callback_name(json.loads(body).get("output", "?")), body))
                elif method == "GET":
                    gets.append(path)
            visits.append(
                {
                    "name": url.split("?")[0],
                    "url": url,
                    "assets": [g for g in gets if g.startswith(CACHED_PREFIXES)],
                    "dash_gets": [g for g in gets if not g.startswith(CACHED_PREFIXES)],
                    "callbacks": callbacks,
                }
            )
            context.close()
        browser.close()
    out.write_text(json.dumps(visits), encoding="utf-8")


def run_locust(base: str, visits: Path, users: int, seconds: int, workdir: Path) -> dict:
    prefix = workdir / f"u{users}"
    env = {**os.environ, "LOAD_VISITS": str(visits)}
    cmd = [
        str(REPO / ".venv/bin/locust"),
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(max(1, users // 10)),  # all visitors in within 10 s
        "-t",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(cmd, cwd=REPO, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    slowest = sorted(
        (r for r in rows if r["Name"] != "Aggregated"), key=lambda r: float(r["95%"] or 0), reverse=True
    )[:8]
    failures: list[dict[str, str]] = []
    if Path(f"{prefix}_failures.csv").is_file():
        with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
            failures = [
                {"name": r["Name"], "error": r["Error"][:160], "n": r["Occurrences"]}
                for r in csv.DictReader(fh)
            ]
    return {
        "failures": failures,
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "slowest": [
            {"name": r["Name"], "n": int(r["Request Count"]), "p50": float(r["50%"]), "p95": float(r["95%"])}
            for r in slowest
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200], help="visitor counts (50 200)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per load level (60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of unreported warm-up load (30)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--visits-out", type=Path, help="keep the captured visits (for profiling)")
    parser.add_argument("--capture", nargs=2, metavar=("BASE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture:
        capture(args.capture[0], Path(args.capture[1]))
        return 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, workers=args.workers, env={"OBSERVATOIRE_MODE": "public"})
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="obs-load-") as tmp:
            visits = Path(tmp) / "visits.json"
            subprocess.run([sys.executable, __file__, "--capture", base, str(visits)], check=True)
            captured = json.loads(visits.read_text(encoding="utf-8"))
            if args.visits_out:
                args.visits_out.write_text(json.dumps(captured), encoding="utf-8")
            n_cb = sum(len(v["callbacks"]) for v in captured)
            print(f"captured {len(captured)} pages, {n_cb} callbacks; server {base}, {args.workers} workers")
            if args.warmup:  # fill both workers' caches (the app also warms up in the background)
                run_locust(base, visits, 20, args.warmup, Path(tmp))
            for users in args.users:
                load_before = os.getloadavg()[0]
                r = run_locust(base, visits, users, args.duration, Path(tmp))
                r["loadavg"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
                results.append(r)
                print(
                    f"{users:>4} visitors, {r['seconds']} s: {r['requests']} requests ({r['rps']}/s), "
                    f"p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms, errors {r['errors']} "
                    f"(machine load {r['loadavg'][0]} → {r['loadavg'][1]})"
                )
                for s in r["slowest"]:
                    print(
                        f"       {s['name'][:70]:<70} n={s['n']:<5} p50 {s['p50']:.0f}  p95 {s['p95']:.0f} ms"
                    )
                for f in r["failures"][:5]:
                    print(f"       error x{f['n']}: {f['name'][:50]}: {f['error']}")
    finally:
        server.terminate()
        server.wait(30)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
