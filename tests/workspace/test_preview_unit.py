"""The upload preview on a small synthetic case (no ETL run): new vintage, revisions, largest
changes with the GOSB's communes first."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from etl.store import schema
from etl.store.db import make_engine
from workspace.preview import summarise


def test_summary_of_changes(empty_url) -> None:
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(
            schema.territory.insert(),
            [
                {
                    "code": "94081",
                    "name": "Vitry-sur-Seine",
                    "level": "commune",
                    "in_mgp": True,
                    "in_gosb": True,
                },
                {
                    "code": "75101",
                    "name": "Paris 1er",
                    "level": "arrondissement",
                    "in_mgp": True,
                    "in_gosb": False,
                },
                {"code": "T12", "name": "GOSB", "level": "ept", "in_mgp": True, "in_gosb": False},
            ],
        )
        # the home's communes come from territory_member (issue #11), not from in_gosb
        conn.execute(
            schema.territory_member.insert(),
            [{"geo_vintage": 2025, "group_code": "T12", "member_code": "94081"}],
        )
        conn.execute(
            schema.observation.insert(),
            [
                {
                    "code": "94081",
                    "variable": "defm_abc",
                    "year": 2024,
                    "month": 12,
                    "value": 9000.0,
                    "status": "ok",
                    "source_id": "s",
                },
                {
                    "code": "75101",
                    "variable": "defm_abc",
                    "year": 2024,
                    "month": 12,
                    "value": 500.0,
                    "status": "ok",
                    "source_id": "s",
                },
            ],
        )
    obs = pd.DataFrame(
        {
            "code": ["94081", "75101", "94081", "75101"],
            "variable": ["defm_abc"] * 4,
            "year": [2024, 2024, 2025, 2025],
            "month": [12, 12, 1, 1],
            "value": [9120.0, 500.0, 9300.0, 900.0],
            "status": ["ok"] * 4,
            "cog": [2025] * 4,
        }
    )
    checked = SimpleNamespace(
        observations=obs,
        spec=SimpleNamespace(id="x__u1"),
        sha256="0" * 64,
        size=10,
        rows_read=4,
        flags=pd.DataFrame(),
        slices_total=2,
    )
    s = summarise(engine, checked)
    assert s["vintage"] == "2025" and s["new_periods"] == ["2025-01"]
    assert s["variables"] == [{"variable": "defm_abc", "new": "2025-01", "revised": "2024-12"}]
    assert s["communes_covered"] == 2 and (s["gosb_covered"], s["gosb_total"]) == (1, 1)
    first = s["largest_changes"][0]
    assert first["code"] == "94081" and first["in_gosb"]  # GOSB first, even if Paris 1er moved more
    kinds = {(c["code"], c["kind"]) for c in s["largest_changes"]}
    assert ("94081", "revision") in kinds and ("75101", "new_vintage") in kinds
    paris = next(c for c in s["largest_changes"] if c["code"] == "75101")
    assert np.isclose(paris["change_pct"], 80.0) and paris["before_period"] == "2024-12"
    with engine.connect() as conn:  # read-only
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.observation)).scalar() == 2
    engine.dispose()
