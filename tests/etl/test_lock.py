"""The store's writer lock (issue #13, gap 1): one lock for the command-line ETL, workspace
publications and backups; a second writer waits or stops with a clear message; a run killed
half-way does not stay "running"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.config import Settings
from etl.store import db, schema
from etl.store.lock import LockBusy, held, recover_interrupted, writer_lock

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'observatoire.sqlite'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    engine.dispose()
    return url


def _runs(url: str) -> list[tuple[int, str, str | None]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.load_run).order_by(schema.load_run.c.id)).all()
    engine.dispose()
    return [(r.id, r.status, r.summary) for r in rows]


def test_second_writer_waits_then_stops_with_a_clear_message(url: str, tmp_path: Path) -> None:
    from etl import backup, pipeline

    holding, release = threading.Event(), threading.Event()

    def publication() -> None:
        with writer_lock(url, "the publication of upload #7 by alice"):
            holding.set()
            release.wait(30)

    t = threading.Thread(target=publication)
    t.start()
    assert holding.wait(10)
    try:
        started = time.monotonic()
        settings = Settings(database_url=url, data_dir=tmp_path, raw_dir=tmp_path)
        with pytest.raises(LockBusy) as info:
            pipeline.run(settings, lock_timeout=0.6)
        assert time.monotonic() - started >= 0.5  # it waited (bounded) before giving up
        message = str(info.value)
        assert "publication of upload #7 by alice" in message and f"process {os.getpid()}" in message
        assert "without changing anything" in message
        assert _runs(url) == []  # no load_run row, nothing read, nothing written
        with pytest.raises(LockBusy):
            backup.backup(settings, tmp_path / "b.sqlite", lock_timeout=0.2)
    finally:
        release.set()
        t.join()
    with writer_lock(url, "a test", timeout=1):  # free again
        assert held(url)
    assert not held(url)


def test_lock_is_reentrant_in_a_thread_and_exclusive_between_threads(url: str) -> None:
    order: list[str] = []
    with writer_lock(url, "outer"):
        with writer_lock(url, "inner (the run called by a publication)", timeout=0):
            order.append("inner")

        def other() -> None:
            try:
                with writer_lock(url, "other thread", timeout=0.3):
                    order.append("other got it")
            except LockBusy:
                order.append("other busy")

        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert order == ["inner", "other busy"]


def test_killed_run_is_marked_failed_at_the_next_start(url: str, tmp_path: Path, raw_dir: Path) -> None:
    """A real ``python -m etl run`` killed with SIGKILL leaves its row "running" and the lock free
    (the kernel drops the process's flock); the next start marks the row failed."""
    env = {**os.environ, "DATABASE_URL": url, "OBSERVATOIRE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(status == "running" for _, status, _ in _runs(url)):
            assert proc.poll() is None and time.monotonic() < deadline, "the run never started"
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert [s for _, s, _ in _runs(url)] == ["running"]  # what a killed run used to leave forever
    engine = db.make_engine(url)
    with writer_lock(url, "the next run", timeout=5):  # free: the killed process held it
        assert recover_interrupted(engine) == {"load_run": 1, "data_upload": 0}
    engine.dispose()
    (_, status, summary), *_ = _runs(url)
    assert status == "failed" and "interrupted" in json.loads(summary)["error"]


def test_sigterm_marks_the_run_failed(url: str, tmp_path: Path, raw_dir: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url, "OBSERVATOIRE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(status == "running" for _, status, _ in _runs(url)):
        assert proc.poll() is None and time.monotonic() < deadline, "the run never started"
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) != 0
    assert [s for _, s, _ in _runs(url)] == ["failed"]


def test_cli_run_stops_when_the_store_is_busy(url: str, tmp_path: Path, raw_dir: Path) -> None:
    env = {**os.environ, "DATABASE_URL": url, "OBSERVATOIRE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    with writer_lock(url, "the publication of upload #3 by bob"):
        out = subprocess.run(
            [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir), "--wait", "0.5"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 3, out.stderr
    assert "publication of upload #3 by bob" in out.stderr and "nothing was changed" in out.stderr
    assert _runs(url) == []
