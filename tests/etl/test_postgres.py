"""The same pipeline against a real PostgreSQL (+PostGIS) server.

Needs ``OBSERVATOIRE_TEST_PG`` (a SQLAlchemy URL of an empty, disposable database); ``.ci/run``
starts a local server and sets it. Without it the tests are skipped with that reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl.config import Settings
from etl.contract import RawDataError
from etl.pipeline import run
from etl.store import schema

PG_URL = os.environ.get("OBSERVATOIRE_TEST_PG")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="OBSERVATOIRE_TEST_PG is not set (.ci/run starts PostgreSQL)"),
]


@pytest.fixture(scope="module")
def pg_engine():
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:  # a clean database for this module
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    yield engine
    engine.dispose()


def test_full_run_on_postgres_matches_sqlite(
    pg_engine, raw_dir: Path, store_engine, tmp_path_factory
) -> None:
    settings = Settings(database_url=PG_URL, data_dir=tmp_path_factory.mktemp("pg"), raw_dir=raw_dir)
    summary = run(settings)
    o = schema.observation.c
    query = sa.select(sa.func.count(), sa.func.sum(o.value)).where(o.variable.in_(["pop", "emplt", "ls_nb"]))
    with pg_engine.connect() as pg, store_engine.connect() as lite:
        assert pg.execute(query).one() == pytest.approx(lite.execute(query).one())
        n_geom = pg.execute(
            sa.text("SELECT count(*) FROM territory_geometry WHERE geom IS NOT NULL")
        ).scalar()
        valid = pg.execute(sa.text("SELECT bool_and(ST_IsValid(geom)) FROM territory_geometry")).scalar()
    assert summary.observations > 1_000_000
    assert n_geom == summary.geometries and valid


def test_failed_run_on_postgres_keeps_data(pg_engine, raw_dir: Path, tmp_path: Path) -> None:
    import shutil

    count = sa.select(sa.func.count()).select_from(schema.observation)
    with pg_engine.connect() as conn:
        before = conn.execute(count).scalar()
    assert before and before > 0
    bad = tmp_path / "raw"
    shutil.copytree(raw_dir, bad)
    target = bad / "stats/insee_logement/base-cc-logement-2021_colsubset_dep75-91-92-93-94-95.CSV"
    target.write_text(target.read_text(encoding="utf-8").replace("P21_RP;", "P21_XX;", 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="P21_RP"):
        run(Settings(database_url=PG_URL, data_dir=tmp_path / "d", raw_dir=bad))
    with pg_engine.connect() as conn:
        assert conn.execute(count).scalar() == before


def test_readers_are_served_during_a_load(pg_engine, raw_dir: Path, tmp_path: Path) -> None:
    """A full load on PostgreSQL goes to staging tables swapped in at the end: meanwhile every
    API request answers, within 1 s, with the previous data."""
    import subprocess
    import sys
    import time

    from flask import Flask

    from indicators.api import register_api
    from indicators.cache import DataCache, use_cache

    repo = Path(__file__).resolve().parents[2]
    app = Flask(__name__)
    register_api(app, lambda: pg_engine)
    client = app.test_client()
    count = sa.select(sa.func.count()).select_from(schema.observation)
    if not sa.inspect(pg_engine).has_table("load_run"):  # run alone: load once first
        run(Settings(database_url=PG_URL, data_dir=tmp_path / "first", raw_dir=raw_dir))
    with pg_engine.connect() as conn:
        before = conn.execute(count).scalar()
    use_cache(DataCache())  # a cache of this test's own, warmed before the load as an app's is
    assert client.get("/api/v1/values?indicator=population&territory=T12,94081&year=2022").status_code == 200
    env = {**os.environ, "DATABASE_URL": PG_URL}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir)],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    probe = sa.select(schema.observation.c.value).where(
        schema.observation.c.code == "94081",
        schema.observation.c.variable == "pop",
        schema.observation.c.year == 2022,
    )
    slowest, slowest_probe, answers, seen = 0.0, 0.0, 0, set()
    try:
        while proc.poll() is None:
            start = time.perf_counter()
            resp = client.get("/api/v1/values?indicator=population&territory=T12,94081&year=2022")
            middle = time.perf_counter()
            with pg_engine.connect() as conn:  # a reader of the table being replaced, uncached
                seen.add(conn.execute(probe).scalar())
            slowest = max(slowest, middle - start)
            slowest_probe = max(slowest_probe, time.perf_counter() - middle)
            assert resp.status_code == 200, resp.get_data(as_text=True)
            answers += 1
    finally:
        use_cache(None)
        _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert answers >= 5  # the load lasted long enough to be polled
    assert slowest < 1.0, f"an API request took {slowest:.2f} s during the load"
    assert slowest_probe < 1.0, f"a read of the observation table waited {slowest_probe:.2f} s"
    assert len(seen) == 1  # the same figure before and after the swap (same raw files)
    with pg_engine.connect() as conn:
        names = {
            r[0] for r in conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        }
        assert not {n for n in names if n.endswith(("__staging", "__old"))}
        assert conn.execute(count).scalar() == before


def test_one_writer_at_a_time_on_postgres() -> None:
    """The writer lock is a PostgreSQL advisory lock: a second writer (another thread, as another
    process would be) waits, then stops with a message naming the holder; released, it is free."""
    import threading

    from etl.store.lock import LockBusy, writer_lock

    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(PG_URL, what="a workspace publication"):
            holding.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        with (
            pytest.raises(LockBusy, match="publication"),
            writer_lock(PG_URL, what="an ETL run", timeout=0.5),
        ):
            pass
    finally:
        release.set()
        thread.join(timeout=30)
    with writer_lock(PG_URL, what="an ETL run", timeout=5):  # free again
        pass
