"""A home outside the metropolis (issue #11): an EPCI elsewhere in France, from the reference
files (etalab 6.0.0), with its communes, its department(s) and its region as references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import config
from etl.geography import build_reference
from indicators.geo import Territories, parse_territory
from indicators.home import resolve

PAYS_BASQUE = "200067106"  # CA du Pays Basque (64), a real EPCI far from the metropolis


@pytest.fixture(scope="module")
def v6(raw_dir: Path) -> Path:
    return raw_dir / "reference" / "etalab-decoupage-administratif-6.0.0"


@pytest.fixture(scope="module")
def reference(raw_dir: Path, v6: Path):
    v4 = raw_dir / "reference" / "etalab-decoupage-administratif-4.1.0"
    files = {f"{k}_2025": v6 / f"{k}.json" for k in ("communes", "ept", "epci", "departements", "regions")}
    files |= {f"{k}_2024": v4 / f"{k}.json" for k in ("communes", "ept", "epci")}
    return build_reference(files)


def test_epci_members_match_the_reference_file(reference, v6: Path) -> None:
    epci = {r["code"]: r for r in json.loads((v6 / "epci.json").read_text(encoding="utf-8"))}
    expected = sorted({m["code"] for m in epci[PAYS_BASQUE]["membres"]})  # counted independently
    assert reference.group(PAYS_BASQUE) == expected and len(expected) > 100
    t = reference.territories.set_index("code")
    assert t.loc[PAYS_BASQUE, "level"] == "epci" and t.loc[PAYS_BASQUE, "name"] == epci[PAYS_BASQUE]["nom"]
    # every EPCI but the MGP (which is the group MGP), with its members
    assert (t["level"] == "epci").sum() == len(epci) - 1
    communes = json.loads((v6 / "communes.json").read_text(encoding="utf-8"))
    in_64 = sorted(
        c["code"] for c in communes if c["type"] == "commune-actuelle" and c["departement"] == "64"
    )
    in_r75 = {c["code"] for c in communes if c["type"] == "commune-actuelle" and c.get("region") == "75"}
    assert reference.group("D64") == in_64 and set(reference.group("R75")) == in_r75
    assert t.loc["R75", "name"] == "Nouvelle-Aquitaine"


def test_configuration_and_geography_accept_the_epci(reference) -> None:
    cfg = config.load(environ={"OBSERVATOIRE_HOME": PAYS_BASQUE}).home
    assert parse_territory(PAYS_BASQUE).code == PAYS_BASQUE
    t = reference.territories
    m = reference.members[reference.members["geo_vintage"] == 2025]
    terr = Territories(
        names=dict(zip(t["code"], t["name"], strict=True)),
        levels=dict(zip(t["code"], t["level"], strict=True)),
        members={g: tuple(sorted(ms)) for g, ms in m.groupby("group_code")["member_code"]},
    )
    deps = dict(zip(t["code"], t["dep_code"], strict=True))
    home = resolve(terr, deps, cfg)
    assert home.level == "epci" and not home.in_metropolis
    assert home.departments == ("D64",) and home.region == "R75" and home.references == ("D64", "R75")
    assert home.members == tuple(reference.group(PAYS_BASQUE))
    assert home.title_fr == "Observatoire de la CA du Pays Basque"
