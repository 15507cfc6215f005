"""Benchmark of the exports: the commune profile (PDF) and a 10-slide deck (PPTX), cold and warm.

* cold: a fresh interpreter (imports, first reads of the store into the ``indicators`` cache,
  fonts), one export, measured from before the first import;
* warm: the same export again in that process (store cache warm; the routes' output cache is
  bypassed: the builders are called directly, so this is the work a data change costs).

Each time is split into data (reading through ``indicators``) and rendering (building the file).
``--png`` adds a 1920×1080 chart through kaleido (cold includes starting Chromium). Target:
under 5 s cold and 2 s warm.

    .venv/bin/python bench/export.py [--database-url sqlite:///data/observatoire.sqlite]
                                     [--commune 94081] [--theme emploi] [--repeat 3] [--png]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# One child per cold measurement: everything it imports counts.
CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[1])
kind, url, commune, theme, repeat = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
from etl.store.db import make_engine
engine = make_engine(url)

def fiche():
    from exports.fiche import fiche_pdf
    from exports.profile import profile
    t = time.perf_counter(); p = profile(engine, commune); t1 = time.perf_counter()
    body = fiche_pdf(p); t2 = time.perf_counter()
    return t1 - t, t2 - t1, len(body), 2

def pptx():
    from exports import data
    from exports.deck_choices import parse_choices
    from exports.pptx import deck_pptx
    t = time.perf_counter(); d = data.deck(engine, parse_choices({"territoire": commune, "theme": theme}))
    t1 = time.perf_counter(); body = deck_pptx(d); t2 = time.perf_counter()
    return t1 - t, t2 - t1, len(body), len(d.slides)

def png():
    from exports import data
    from exports.charts import chart_spec
    from exports.attribution import source_line
    from exports.render import render_chart
    t = time.perf_counter(); f = data.gather(engine, data.place(engine, commune), "unemployment_rate")
    t1 = time.perf_counter(); body = render_chart(chart_spec(f, source_line([f])))
    t2 = time.perf_counter()
    return t1 - t, t2 - t1, len(body), 1

fn = {"fiche": fiche, "pptx": pptx, "png": png}[kind]
data_s, render_s, size, pages = fn()
cold = {"total": time.perf_counter() - t0, "data": data_s, "render": render_s, "size": size, "pages": pages}
warm = []
for _ in range(repeat):
    t = time.perf_counter(); d, r, _, _ = fn(); warm.append({"total": time.perf_counter() - t, "data": d, "render": r})
print(json.dumps({"cold": cold, "warm": warm}))
"""


def _child(kind: str, url: str, commune: str, theme: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO), kind, url, commune, theme, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench {kind} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _line(label: str, cold: float, warm: float, parts: str) -> str:
    flag = "ok" if cold < 5 and warm < 2 else "ABOVE TARGET"
    return f"{label:<34} cold {cold:6.2f} s   warm {warm:6.2f} s   [{flag}]   {parts}"


def main() -> None:
    sys.path.insert(0, str(REPO))
    from etl.config import default_database_url

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=default_database_url())
    parser.add_argument("--commune", default="94081")
    parser.add_argument(
        "--theme", default="emploi", help="ready-made set: emploi gives 8 indicators, 10 slides"
    )
    parser.add_argument("--repeat", type=int, default=3, help="warm repetitions (median reported)")
    parser.add_argument("--png", action="store_true", help="also a PNG chart through kaleido + Chromium")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///") and not Path(args.database_url[10:]).exists():
        raise SystemExit(f"no store at {args.database_url}: run `.venv/bin/python -m etl run` first")
    kinds = [("fiche", f"commune profile PDF ({args.commune})"), ("pptx", f"deck PPTX ({args.theme})")]
    if args.png:
        kinds.append(("png", "chart PNG 1920x1080 (kaleido)"))
    print(f"store: {args.database_url}")
    for kind, label in kinds:
        res = _child(kind, args.database_url, args.commune, args.theme, args.repeat)
        cold, warm = res["cold"], res["warm"]
        w_total = statistics.median(w["total"] for w in warm)
        w_data = statistics.median(w["data"] for w in warm)
        w_render = statistics.median(w["render"] for w in warm)
        unit = "pages" if kind == "fiche" else "slides" if kind == "pptx" else "image"
        parts = (
            f"cold: data {cold['data']:.2f} + render {cold['render']:.2f} (+ imports); "
            f"warm: data {w_data:.2f} + render {w_render:.2f}; {cold['pages']} {unit}, {cold['size'] / 1e3:.0f} KB"
        )
        print(_line(label, cold["total"], w_total, parts))
    print(f"warm: median of {args.repeat} runs in the same process; target: cold < 5 s, warm < 2 s")


if __name__ == "__main__":
    main()
