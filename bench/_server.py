"""What the benchmarks share: the repository on ``sys.path`` (they run as scripts,
``.venv/bin/python bench/<name>.py``, so only ``bench/`` is on it) and a gunicorn server started as
in production on a free loopback port, waited for until its home page answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int, *, workers: int = 1, threads: int | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``gunicorn app:server`` on ``127.0.0.1:port`` (``gunicorn.conf.py`` otherwise), on the store of
    ``DATABASE_URL`` (default ``data/observatoire.sqlite``); returns once ``/`` answers 200, or raises
    ``RuntimeError`` with the end of gunicorn's log if it stops or has not answered in 180 s."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("DATABASE_URL", f"sqlite:///{REPO / 'data' / 'observatoire.sqlite'}")
    cmd = [str(REPO / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "--timeout", "120"]
    if threads:
        cmd += ["--threads", str(threads)]
    cmd += ["-b", f"127.0.0.1:{port}", "app:server"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {proc.stderr.read().decode()[-2000:]}")
    proc.terminate()
    raise RuntimeError("gunicorn did not answer in 180 s")
