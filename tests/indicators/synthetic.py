"""A small synthetic store for the indicators tests: 12 territories, a metropolis, two departments.

Values are made up (deterministic) but shaped like the real store: communes on the 2025 map,
T1 = Paris alone, T12 = five real GOSB codes, an official MGP median, a secret value, a commune
without job-seeker data, a monthly series and a published (non-aggregable) median.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa

from etl.store import schema

GOSB5 = ["91479", "94041", "94054", "94065", "94081"]
NAMES = {
    "75056": "Paris",
    "91479": "Paray-Vieille-Poste",
    "94041": "Ivry-sur-Seine",
    "94054": "Orly",
    "94065": "Rungis",
    "94081": "Vitry-sur-Seine",
}


def layout() -> dict[str, list[str]]:
    """Members of T1..T12: T1 = Paris; T2..T11 two made-up communes each (92/93 codes); T12 = GOSB5."""
    groups = {"T1": ["75056"]}
    for i in range(2, 12):
        dep = "92" if i < 6 else "93"
        groups[f"T{i}"] = [f"{dep}{100 + 2 * i:03d}", f"{dep}{101 + 2 * i:03d}"]
    groups["T12"] = list(GOSB5)
    return groups


def observations() -> pd.DataFrame:
    """Observations in the ``observation`` table's shape."""
    groups = layout()
    communes = [c for members in groups.values() for c in members]
    rows = []
    for k, code in enumerate(communes):
        pop = 10_000 + 1_000 * k
        jobs = 3_000 + 700 * (k % 7)
        act = pop // 2
        chom = act // 10 + k
        for year, growth in ((2016, 0.97), (2022, 1.0)):
            rows.append((code, "pop", year, 0, round(pop * growth), "ok", "insee"))
        rows += [
            (code, "emplt", 2022, 0, jobs, "ok", "insee"),
            (code, "act1564", 2022, 0, act, "ok", "insee"),
            (code, "chom1564", 2022, 0, chom, "ok", "insee"),
            (code, "med_uc", 2021, 0, 20_000 + 100 * k, "ok", "filosofi"),
            (code, "log_aut", 2024, 0, 50 + k, "ok", "sitadel"),
        ]
        for month in (1, 2, 3):
            rows.append((code, "defm_abc", 2024, month, 500 + 10 * k + month, "ok", "ft"))
    # Paris jobs tie with Ivry on purpose (ranking ties), Rungis median secret, Orly without job seekers.
    obs = pd.DataFrame(rows, columns=["code", "variable", "year", "month", "value", "status", "source_id"])
    ivry_jobs = obs.loc[(obs.code == "94041") & (obs.variable == "emplt"), "value"].iloc[0]
    obs.loc[(obs.code == "75056") & (obs.variable == "emplt"), "value"] = ivry_jobs
    obs.loc[(obs.code == "94065") & (obs.variable == "med_uc"), ["value", "status"]] = [
        float("nan"),
        "secret",
    ]
    obs = obs[~((obs.code == "94054") & (obs.variable == "defm_abc"))]
    official = pd.DataFrame([("MGP", "med_uc", 2021, 0, 23_790.0, "ok", "filosofi")], columns=obs.columns)
    return pd.concat([obs, official], ignore_index=True)


def build(engine: sa.Engine) -> sa.Engine:
    """Create the schema and fill it with the synthetic territories and observations."""
    schema.metadata.create_all(engine, tables=[*schema.ETL_TABLES, schema.load_run])
    groups = layout()
    communes = [c for members in groups.values() for c in members]
    terr = [
        {
            "code": c,
            "name": NAMES.get(c, f"Commune {c}"),
            "level": "commune",
            "dep_code": c[:2],
            "ept_code": t,
            "in_mgp": True,
        }
        for t, ms in groups.items()
        for c in ms
    ]
    terr += [
        {
            "code": t,
            "name": f"Territoire {t}",
            "level": "ept",
            "dep_code": None,
            "ept_code": t,
            "in_mgp": True,
        }
        for t in groups
    ]
    terr += [
        {
            "code": "MGP",
            "name": "Métropole du Grand Paris",
            "level": "mgp",
            "dep_code": None,
            "ept_code": None,
            "in_mgp": True,
        },
        {
            "code": "D94",
            "name": "Val-de-Marne",
            "level": "departement",
            "dep_code": "94",
            "ept_code": None,
            "in_mgp": False,
        },
        {
            "code": "FR",
            "name": "France",
            "level": "france",
            "dep_code": None,
            "ept_code": None,
            "in_mgp": False,
        },
    ]
    members = [
        {"geo_vintage": 2025, "group_code": t, "member_code": c} for t, ms in groups.items() for c in ms
    ]
    members += [{"geo_vintage": 2025, "group_code": "MGP", "member_code": c} for c in communes]
    members += [
        {"geo_vintage": 2025, "group_code": "D94", "member_code": c} for c in communes if c[:2] == "94"
    ]
    sources = [
        {
            "id": s,
            "title_fr": s,
            "title_en": s,
            "producer": "Insee",
            "dataset": s,
            "vintage": "2022",
            "licence": "Licence Ouverte / Etalab 2.0",
            "licence_url": "https://www.etalab.gouv.fr/licence-ouverte",
            "page_url": f"https://example.org/{s}",
            "credit_fr": f"Source : {s}",
            "credit_en": f"Source: {s}",
        }
        for s in ("insee", "filosofi", "sitadel", "ft")
    ]
    with engine.begin() as conn:
        conn.execute(schema.territory.insert(), terr)
        conn.execute(schema.territory_member.insert(), members)
        conn.execute(schema.source.insert(), sources)
        conn.execute(schema.observation.insert(), observations().to_dict(orient="records"))
        now = datetime.now(UTC)
        conn.execute(schema.load_run.insert(), [{"started_at": now, "finished_at": now, "status": "ok"}])
    return engine
