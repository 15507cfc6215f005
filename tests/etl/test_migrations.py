"""Schema migrations keep older stores loadable: 0004 drops ``territory.in_gosb`` (the home
territory is configured, its members read from ``territory_member``) and keeps the rows."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from etl.store.db import current_revision, migrate


def test_store_of_schema_0003_upgrades_and_keeps_its_territories(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO territory (code, name, level, in_mgp, in_gosb) "
                "VALUES ('94081', 'Vitry-sur-Seine', 'commune', 1, 1)"
            )
        )
    migrate(engine)
    assert current_revision(engine) == "0004"
    columns = {c["name"] for c in sa.inspect(engine).get_columns("territory")}
    assert "in_gosb" not in columns
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM territory WHERE code = '94081'")).scalar() == (
            "Vitry-sur-Seine"
        )
    engine.dispose()
