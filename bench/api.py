"""Latency of the data API's values endpoint against the SQLite store (target: p95 < 50 ms).

Four cases: a commune (Vitry-sur-Seine), a territory (the home), the metropolis (MGP, 130 communes)
and a group of 10 communes. Requests go through the Flask app in-process (the WSGI stack, the
JSON encoding and the SQL store, not the network). For each case it prints the first request
(cold caches), then p50/p95 of ``--repeat`` warm requests (the steady state: caches filled by
earlier requests), and of requests made just after a simulated new ETL run (every cache emptied:
the worst case a user can meet).

    .venv/bin/python bench/api.py [--database-url sqlite:///data/observatoire.sqlite] [--repeat 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flask import Flask  # noqa: E402 - after the path tweak, so that the bench runs from anywhere

from etl.config import default_database_url  # noqa: E402
from etl.store.db import make_engine  # noqa: E402
from indicators.api import register_api  # noqa: E402
from indicators.query import store  # noqa: E402

GROUP10 = "group:94001+94003+94016+94021+94022+94034+94037+94038+94041+94043"
CASES = {"commune": "94081", "territory": "HOME", "metropolis": "MGP", "group of 10": GROUP10}
INDICATORS = ("unemployment_rate", "jobs", "housing_authorised_per_1000")
TARGET_MS = 50.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(client, url: str) -> float:
    start = time.perf_counter()
    resp = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if resp.status_code != 200:
        raise SystemExit(f"{url}: HTTP {resp.status_code} {resp.get_data(as_text=True)[:300]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_database_url())
    parser.add_argument("--repeat", type=int, default=300, help="warm requests per case and indicator")
    parser.add_argument("--cold-repeat", type=int, default=10, help="requests after a new ETL run, per case")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///") and not Path(args.database_url[10:]).is_file():
        print(f"no store at {args.database_url}: run `python -m etl run --mirror ../shared/data/raw` first")
        return 2

    engine = make_engine(args.database_url)
    app = Flask("bench")
    register_api(app, lambda: engine)
    client = app.test_client()
    st = store(engine)

    print(f"store: {args.database_url}; indicators: {', '.join(INDICATORS)}")
    print(
        f"{'case':<12} {'first':>8} {'warm p50':>9} {'warm p95':>9} {'new-run p50':>12} {'new-run p95':>12}  (ms)"
    )
    worst = 0.0
    for name, territory in CASES.items():
        urls = [f"/api/v1/values?indicator={i}&territory={territory}" for i in INDICATORS]
        st.clear()  # the first request sees empty caches
        first = timed(client, urls[0])
        for url in urls:
            timed(client, url)
        warm = [timed(client, url) for _ in range(args.repeat) for url in urls]
        cold = []
        for _ in range(args.cold_repeat):
            st.clear()  # what a finished ETL run does: the next request reloads
            cold.append(timed(client, urls[0]))
        p50, p95 = percentile(warm, 0.5), percentile(warm, 0.95)
        worst = max(worst, p95)
        print(f"{name:<12} {first:8.1f} {p50:9.2f} {p95:9.2f} {statistics.median(cold):12.1f} "
              f"{percentile(cold, 0.95):12.1f}")  # fmt: skip
    verdict = "OK" if worst < TARGET_MS else "FAIL"
    print(f"target warm p95 < {TARGET_MS:.0f} ms: {verdict} (worst warm p95 {worst:.2f} ms)")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
