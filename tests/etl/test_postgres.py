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
