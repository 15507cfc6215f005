"""Reference geography (etl.geography) and polygons (etl.geometry), on the real raw files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from etl.contract import RawDataError
from etl.fetch import sha256_of
from etl.geography import (
    MEMBER_COLUMNS,
    MERGE_COLUMNS,
    TERRITORY_COLUMNS,
    Reference,
    build_reference,
    locative,
)
from etl.geometry import GEOMETRY_COLUMNS, build_geometries
from etl.geometry_files import read_features
from etl.registry import sources

REFERENCE_SOURCES = ("etalab_cog2025", "etalab_cog2024")
GEOMETRY_SOURCES = ("ign_communes_2018", "paris_arrondissements")

#: Communes per territory (reference/PROVENANCE.md), current map; T6 had 9 up to COG 2024.
COUNTS_2025 = {"T1": 1, "T2": 11, "T3": 8, "T4": 11, "T5": 7, "T6": 8, "T7": 8, "T8": 9}
COUNTS_2025 |= {"T9": 14, "T10": 13, "T11": 16, "T12": 24}
COUNTS_2024 = COUNTS_2025 | {"T6": 9}

#: The 24 GOSB communes (stats/PROVENANCE.md), official names with articles.
GOSB = {
    "94001": "Ablon-sur-Seine",
    "94003": "Arcueil",
    "94016": "Cachan",
    "94021": "Chevilly-Larue",
    "94022": "Choisy-le-Roi",
    "94034": "Fresnes",
    "94037": "Gentilly",
    "94038": "L'Haÿ-les-Roses",
    "94041": "Ivry-sur-Seine",
    "94043": "Le Kremlin-Bicêtre",
    "94054": "Orly",
    "94065": "Rungis",
    "94073": "Thiais",
    "94074": "Valenton",
    "94076": "Villejuif",
    "94077": "Villeneuve-le-Roi",
    "94078": "Villeneuve-Saint-Georges",
    "94081": "Vitry-sur-Seine",
    "91027": "Athis-Mons",
    "91326": "Juvisy-sur-Orge",
    "91432": "Morangis",
    "91479": "Paray-Vieille-Poste",
    "91589": "Savigny-sur-Orge",
    "91687": "Viry-Châtillon",
}


def _files(raw_dir: Path, ids: tuple[str, ...]) -> dict[str, Path]:
    return {f.key: raw_dir / f.path for i in ids for f in sources()[i].files}


@pytest.fixture(scope="module")
def ref_files(raw_dir: Path) -> dict[str, Path]:
    return _files(raw_dir, REFERENCE_SOURCES)


@pytest.fixture(scope="module")
def reference(ref_files: dict[str, Path]) -> Reference:
    return build_reference(ref_files)


@pytest.fixture(scope="module")
def geometries(raw_dir: Path, reference: Reference):
    return build_geometries(_files(raw_dir, GEOMETRY_SOURCES), reference)


def test_declared_checksums_match_raw_files(raw_dir: Path) -> None:
    for spec in (f for i in REFERENCE_SOURCES + GEOMETRY_SOURCES for f in sources()[i].files):
        assert sha256_of(raw_dir / spec.path) == spec.sha256, spec.path


# --- reference tables -------------------------------------------------------------------------


def test_frames_have_store_columns(reference: Reference) -> None:
    assert list(reference.territories.columns) == TERRITORY_COLUMNS
    assert list(reference.members.columns) == MEMBER_COLUMNS
    assert list(reference.merges.columns) == list(reference.former_codes.columns) == MERGE_COLUMNS
    assert reference.territories["code"].is_unique
    assert not reference.members.duplicated().any()


@pytest.mark.parametrize(("vintage", "counts", "total"), [(2025, COUNTS_2025, 130), (2024, COUNTS_2024, 131)])
def test_communes_per_territory(
    reference: Reference, vintage: int, counts: dict[str, int], total: int
) -> None:
    assert {t: len(reference.group(t, vintage)) for t in counts} == counts
    assert len(reference.group("MGP", vintage)) == total
    assert reference.group("T1", vintage) == ["75056"]
    assert ("93059" in reference.group("MGP", vintage)) == (vintage == 2024)


def test_gosb_codes_and_names(reference: Reference) -> None:
    t = reference.territories.set_index("code")
    assert reference.group("T12", 2025) == reference.group("T12", 2024) == sorted(GOSB)
    assert t.loc[sorted(GOSB), "name"].to_dict() == GOSB
    # issue #11: the home's membership is territory_member (the in_gosb column is no longer written)
    assert "in_gosb" not in t.columns and sorted(reference.group("T12")) == sorted(GOSB)
    assert t.loc["T12", "name"] == "Grand-Orly Seine Bièvre" and t.loc["T12", "siren"] == "200058014"


def test_territory_levels_names_and_populations(reference: Reference) -> None:
    t = reference.territories.set_index("code")
    levels = t["level"].value_counts().to_dict()
    assert (
        34_800 < levels["commune"] < 35_000 and levels["arrondissement"] == 45
    )  # Paris 20, Marseille 16, Lyon 9
    assert levels["ept"] == 12 and levels["mgp"] == 1 and levels["france"] == 2
    assert {"D75", "D91", "D92", "D93", "D94", "D95", "D2A", "D976"} <= set(
        t.index[t["level"] == "departement"]
    )
    assert t.loc["T1", "name"] == "Paris" and t.loc["MGP", "name"] == "Métropole du Grand Paris"
    names = {
        "93027": "La Courneuve",
        "93045": "Les Lilas",
        "93070": "Saint-Ouen-sur-Seine",
        "95219": "Ermont",
    }
    assert t.loc[list(names), "name"].to_dict() == names
    assert t.loc["75113", ["level", "dep_code", "ept_code"]].tolist() == ["arrondissement", "75", "T1"]
    # PL 2023 (reference/PROVENANCE.md): Île-de-France 12 463 067; MGP 7 142 540; Paris = its arrondissements.
    idf = [f"D{d}" for d in ("75", "77", "78", "91", "92", "93", "94", "95")]
    assert t.loc[idf, "population"].sum() == 12_463_067
    assert t.loc["MGP", "population"] == 7_142_540
    arr = t.loc[(t["level"] == "arrondissement") & (t["dep_code"] == "75"), "population"].sum()
    assert arr == t.loc["75056", "population"] == t.loc["T1", "population"] == 2_103_778
    assert t.loc["FRM", "population"] < t.loc["FR", "population"]
    mgp_flags = t.loc[t["in_mgp"], "level"].value_counts().to_dict()
    assert mgp_flags == {"commune": 130, "arrondissement": 20, "ept": 12, "mgp": 1}


def test_department_members(reference: Reference) -> None:
    assert len(reference.group("D93", 2025)) == 39 and len(reference.group("D93", 2024)) == 40
    assert len(reference.group("D91", 2025)) == 194 and len(reference.group("D95", 2025)) == 183
    assert reference.group("D75", 2025) == ["75056"]


def test_merges(reference: Reference) -> None:
    merges = dict(zip(reference.merges["old_code"], reference.merges["new_code"], strict=True))
    assert merges["93059"] == "93066"
    assert "93066" not in merges  # Saint-Denis is also a commune déléguée of itself
    assert all(old != new for old, new in merges.items())
    current = set(reference.territories.loc[reference.territories["level"] == "commune", "code"])
    assert set(merges.values()) <= current and not set(merges) & current
    # Chef-lieu is the current state: it wins over an older anciensCodes link (55273 → 55245).
    assert merges["55273"] == "55386"
    to_current = reference.to_current()
    assert to_current["91182"] == "91228" and to_current["55273"] == "55386"  # Courcouronnes, no déléguée
    assert not set(reference.former_codes["old_code"]) & set(merges)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Vitry-sur-Seine", "à Vitry-sur-Seine"),
        ("Le Kremlin-Bicêtre", "au Kremlin-Bicêtre"),
        ("L'Haÿ-les-Roses", "à L'Haÿ-les-Roses"),
        ("Les Lilas", "aux Lilas"),
        ("La Courneuve", "à La Courneuve"),
        ("Ivry-sur-Seine", "à Ivry-sur-Seine"),
        ("Lesigny", "à Lesigny"),  # "Les" only as a separate word
        ("Le Perreux-sur-Marne", "au Perreux-sur-Marne"),
        (" Paris ", "à Paris"),
    ],
)
def test_locative(name: str, expected: str) -> None:
    assert locative(name) == expected


def test_locative_rejects_empty() -> None:
    with pytest.raises(ValueError):
        locative("  ")


# --- malformed inputs -----------------------------------------------------------------------


def _broken(ref_files: dict[str, Path], tmp_path: Path, key: str, edit) -> dict[str, Path]:
    data = json.loads(ref_files[key].read_text(encoding="utf-8"))
    path = tmp_path / f"{key}.json"
    path.write_text(edit(data) if callable(edit) else edit, encoding="utf-8")
    return ref_files | {key: path}


def test_missing_field_names_file_and_field(ref_files: dict[str, Path], tmp_path: Path) -> None:
    def drop_members(data):
        del data[3]["membres"]
        return json.dumps(data)

    files = _broken(ref_files, tmp_path, "ept_2025", drop_members)
    with pytest.raises(RawDataError) as err:
        build_reference(files)
    assert err.value.file == str(files["ept_2025"]) and err.value.field == "membres"
    assert "ept_2025.json" in str(err.value)


def test_invalid_json_names_file_and_line(ref_files: dict[str, Path], tmp_path: Path) -> None:
    files = _broken(ref_files, tmp_path, "epci_2024", '[\n{"code": "200054781",\n')
    with pytest.raises(RawDataError, match=r"epci_2024\.json, line \d+"):
        build_reference(files)


def _without_94081(data):
    for rec in data:
        rec["membres"] = [m for m in rec["membres"] if m["code"] != "94081"]
    return json.dumps(data)


def test_wrong_mgp_size_is_rejected(ref_files: dict[str, Path], tmp_path: Path) -> None:
    # Vitry left out of both the EPT and the MGP lists: consistent, but 130 communes in 2024.
    files = _broken(ref_files, tmp_path, "ept_2024", _without_94081)
    files = _broken(files, tmp_path, "epci_2024", _without_94081)
    with pytest.raises(RawDataError, match=r"epci_2024\.json.*MGP has 130 communes, expected 131"):
        build_reference(files)


def test_wrong_gosb_size_is_rejected(ref_files: dict[str, Path], tmp_path: Path) -> None:
    def move_vitry(data):
        t11 = next(rec for rec in data if rec["code"] == "200058006")
        t12 = next(rec for rec in data if rec["code"] == "200058014")
        t11["membres"] += [m for m in t12["membres"] if m["code"] == "94081"]
        t12["membres"] = [m for m in t12["membres"] if m["code"] != "94081"]
        return json.dumps(data)

    files = _broken(ref_files, tmp_path, "ept_2025", move_vitry)
    with pytest.raises(RawDataError, match=r"ept_2025\.json.*T12 has 23 communes, expected 24"):
        build_reference(files)


def test_geojson_not_a_feature_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.geojson"
    path.write_text('{"type": "Point", "coordinates": [2.3, 48.8]}', encoding="utf-8")
    with pytest.raises(RawDataError, match=r"x\.geojson.*'type'"):
        read_features(path)


# --- geometries -----------------------------------------------------------------------------


def test_department_file_is_a_single_feature(raw_dir: Path) -> None:
    files = _files(raw_dir, GEOMETRY_SOURCES)
    feats = read_features(files["departement_94"])
    assert len(feats) == 1 and feats[0][0]["code"] == "94"


def test_geometry_rows(geometries, reference: Reference) -> None:
    g = geometries
    assert list(g.columns) == GEOMETRY_COLUMNS
    assert not g.duplicated(["code", "geo_vintage"]).any()
    for vintage, n_mgp, n_idf in ((2025, 130, 500), (2024, 131, 501)):
        v = g[g["geo_vintage"] == vintage]
        communes = set(v.loc[v["level"] == "commune", "code"])
        assert len(communes) == n_idf and len(set(reference.group("MGP", vintage)) & communes) == n_mgp
        assert sorted(v.loc[v["level"] == "arrondissement", "code"]) == [f"751{i:02d}" for i in range(1, 21)]
        groups = v.loc[v["level"].isin(["ept", "mgp", "departement"]), "code"]
        assert sorted(groups) == sorted([*COUNTS_2025, "MGP", "D75", "D91", "D92", "D93", "D94", "D95"])
    assert ("93059" in set(g.loc[g["geo_vintage"] == 2025, "code"])) is False
    # Every row is a level of the territory table, and every 2025 code has a name there.
    assert set(g.loc[g["geo_vintage"] == 2025, "code"]) <= set(reference.territories["code"])


def test_geometries_valid_and_points_inside(geometries) -> None:
    shapes = [shapely.from_geojson(s) for s in geometries["geojson"]]
    assert all(s.is_valid and s.geom_type in ("Polygon", "MultiPolygon") for s in shapes)
    assert all(
        shapely.contains_xy(s, x, y)
        for s, x, y in zip(shapes, geometries["lon"], geometries["lat"], strict=True)
    )
    # Coordinates on the 5-decimal grid (EPSG:4326 lon/lat around Paris).
    assert not any(re.search(r"\.\d{6,}", s) for s in geometries["geojson"])
    communes = geometries[(geometries["geo_vintage"] == 2025) & (geometries["level"] == "commune")]
    assert shapely.coverage_is_valid(np.array([shapely.from_geojson(s) for s in communes["geojson"]]))


def test_areas(geometries, reference: Reference) -> None:
    area = geometries.set_index(["code", "geo_vintage"])["area_km2"]
    assert area[("MGP", 2025)] == pytest.approx(814.93, abs=0.05)
    assert area[("MGP", 2024)] == pytest.approx(area[("MGP", 2025)], abs=1e-3)
    for vintage in (2024, 2025):
        members = sum(area[(c, vintage)] for c in reference.group("T12", vintage))
        assert area[("T12", vintage)] == pytest.approx(members, rel=1e-4)
    assert area[("93066", 2025)] == pytest.approx(area[("93066", 2024)] + area[("93059", 2024)], abs=1e-3)
    arr = sum(area[(f"751{i:02d}", 2025)] for i in range(1, 21))
    assert arr == pytest.approx(105.37, abs=0.05)


def test_mgp_payload_is_small(geometries, reference: Reference) -> None:
    g = geometries[geometries["geo_vintage"] == 2025]
    mgp = g[g["code"].isin(reference.group("MGP", 2025)) & (g["level"] == "commune")]
    assert len(mgp) == 130 and mgp["geojson"].str.len().sum() < 200_000
    assert g.loc[g["level"] == "arrondissement", "geojson"].str.len().sum() < 40_000
