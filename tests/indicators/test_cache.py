"""The one data cache (``indicators.cache``): keys by data version, in-process or Redis, and two
gunicorn workers sharing Redis never serve the previous load's figures after a new one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from indicators.cache import DataCache, config_for

REPO = Path(__file__).resolve().parents[2]
REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)  # polling a port: waiting for a condition, not a fixed delay
    raise TimeoutError(f"{what} did not listen on {port} within {timeout} s")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS is None:
        pytest.skip("redis-server (Debian package) is needed")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, proc, "redis-server", timeout=30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_config_for_urls() -> None:
    assert config_for(None)["CACHE_TYPE"] == "SimpleCache"
    assert config_for("redis://127.0.0.1:6379/0")["CACHE_TYPE"] == "RedisCache"
    with pytest.raises(ValueError, match="OBSERVATOIRE_CACHE_URL"):
        config_for("memcached://x")


def test_keys_carry_the_data_version() -> None:
    cache = DataCache()
    calls: list[int] = []

    def make(n: int):
        return lambda: calls.append(n) or n

    assert cache.get_or_set(("db", 1), ("table", "x"), make(1)) == 1
    assert cache.get_or_set(("db", 1), ("table", "x"), make(2)) == 1  # cached
    assert cache.get_or_set(("db", 2), ("table", "x"), make(3)) == 3  # new version: recomputed
    assert cache.get_or_set(("db", 2), ("none",), lambda: None) is None
    assert cache.get_or_set(("db", 2), ("none",), make(4)) is None  # a cached None is a hit
    assert calls == [1, 3]
    assert cache.once(("db", 2), "warm-up") and not cache.once(("db", 2), "warm-up")


def test_an_unreachable_redis_serves_uncached() -> None:
    cache = DataCache(f"redis://127.0.0.1:{_free_port()}/0")  # nothing listens there
    assert cache.get_or_set("v", ("k",), lambda: 42) == 42
    assert cache.once("v", "job")  # the job runs rather than never


def test_redis_is_shared_between_caches(redis_url: str) -> None:
    first, second = DataCache(redis_url), DataCache(redis_url)
    first.get_or_set("v9", ("frame",), lambda: {"a": [1, 2]})
    assert second.get_or_set("v9", ("frame",), lambda: "recomputed") == {"a": [1, 2]}
    assert first.once("v9", "warm-up") and not second.once("v9", "warm-up")


def _population(base: str, code: str) -> float:
    import json
    import urllib.request

    url = f"{base}/api/v1/values?indicator=population&territory={code}&year=2022"
    with urllib.request.urlopen(url, timeout=30) as resp:
        rows = json.load(resp)["values"]
    return rows[0]["value"]


def test_two_workers_never_serve_the_previous_load(redis_url: str, store_url: str, tmp_path: Path) -> None:
    """A new load seen by one worker is seen by both: every answer after it has the new figure."""
    src = Path(store_url[len("sqlite:///") :])
    db = tmp_path / "observatoire.sqlite"
    shutil.copy(src, db)
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "OBSERVATOIRE_CACHE_URL": redis_url,
        "OBSERVATOIRE_WARM": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:server"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_port(port, proc, "gunicorn")
        base = f"http://127.0.0.1:{port}"
        before = {_population(base, "94081") for _ in range(12)}  # both workers warm their view
        assert len(before) == 1
        old = before.pop()
        engine = sa.create_engine(f"sqlite:///{db}")
        with engine.begin() as conn:  # what a new load does: new figures, then a new load_run row
            conn.execute(
                sa.text(
                    "UPDATE observation SET value = value + 1000 "
                    "WHERE code = '94081' AND variable = 'pop' AND year = 2022 AND month = 0"
                )
            )
            now = datetime.now(UTC).replace(tzinfo=None)
            conn.execute(
                sa.text(
                    "INSERT INTO load_run (started_at, finished_at, status, summary) "
                    "VALUES (:t, :t, 'ok', '{}')"
                ),
                {"t": now},
            )
        engine.dispose()
        after = [_population(base, "94081") for _ in range(12)]
        assert after == [old + 1000] * 12
        import redis

        assert redis.Redis.from_url(redis_url).keys("observatoire:*")  # the workers used Redis
    finally:
        proc.terminate()
        proc.wait(timeout=30)
