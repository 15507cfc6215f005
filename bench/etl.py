"""Benchmark of a full ETL run from a cold store, next to the floor: pandas alone reading the same
raw files. Each is measured in a fresh interpreter; prints wall time, CPU time (process time,
steadier than wall time on a shared machine) and peak memory (max RSS).

    .venv/bin/python bench/etl.py [--raw-dir ../shared/data/raw] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The floor: read every declared raw file with pandas (or json for JSON), nothing else.
FLOOR = r"""
import io, json, resource, sys, time, zipfile
from pathlib import Path
import pandas as pd
sys.path.insert(0, sys.argv[2])
from etl.registry import sources
raw = Path(sys.argv[1]); t = time.perf_counter(); c = time.process_time(); n = 0
for spec in sources().values():
    for f in spec.files:
        p = raw / f.path
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as z:
                for m in z.namelist():
                    if m.lower().endswith(".csv") and not m.lower().startswith("meta"):
                        n += len(pd.read_csv(io.BytesIO(z.read(m)), sep=";", dtype=str))
        elif p.suffix == ".parquet":
            n += len(pd.read_parquet(p))
        elif p.suffix in (".json", ".geojson"):
            n += len(json.loads(p.read_text(encoding="utf-8")))
        else:
            head = p.read_text(encoding="utf-8-sig", errors="replace")[:3000]
            sep = ";" if head.count(";") > head.count(",") else ","
            n += len(pd.read_csv(p, sep=sep, dtype=str, encoding="utf-8-sig", on_bad_lines="skip", engine="python"))
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "rows": n,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RUN = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from etl.config import Settings
from etl.pipeline import run
t = time.perf_counter(); c = time.process_time()
s = run(Settings(database_url=sys.argv[1], data_dir=Path(sys.argv[2]), raw_dir=Path(sys.argv[4])))
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "observations": s.observations,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw-dir", default=str(REPO.parent / "shared" / "data" / "raw"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    floors = [_child(FLOOR, args.raw_dir, str(REPO)) for _ in range(args.repeat)]
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            res = _child(RUN, f"sqlite:///{tmp}/bench.sqlite", tmp, str(REPO), args.raw_dir)
            res["size_mb"] = Path(tmp, "bench.sqlite").stat().st_size / 1e6
            runs.append(res)
    floor = statistics.median(r["seconds"] for r in floors)
    full = statistics.median(r["seconds"] for r in runs)
    floor_cpu = statistics.median(r["cpu"] for r in floors)
    full_cpu = statistics.median(r["cpu"] for r in runs)
    print(
        f"raw files read by pandas alone (floor): {floor:6.2f} s   CPU {floor_cpu:6.2f} s   "
        f"peak RSS {max(r['rss_mib'] for r in floors):5.0f} MiB"
    )
    print(
        f"full ETL run into a cold SQLite store:  {full:6.2f} s   CPU {full_cpu:6.2f} s   "
        f"peak RSS {max(r['rss_mib'] for r in runs):5.0f} MiB"
    )
    print(
        f"ratio run / floor:                      {full / floor:6.2f}x  CPU {full_cpu / floor_cpu:5.2f}x   "
        "(target: <= 2x and < 60 s)"
    )
    print(
        f"observations loaded: {runs[-1]['observations']:,}; SQLite store: {runs[-1]['size_mb']:.1f} MB; "
        f"medians of {args.repeat} runs"
    )


if __name__ == "__main__":
    main()
