"""The producer's national boundary files (issue #11): Etalab « contours administratifs » (gzip
GeoJSON of every commune of France, properties code/nom, MultiPolygons, municipal arrondissements
beside their commune) and the Paris Open Data export give the same geometries as the mirror's
per-department files for Île-de-France, and the communes of a home elsewhere when it holds them.

The national-format files are built here from the real mirror features (the same polygons, in the
producer's layout); a few of them are re-coded as communes of other departments to stand for the
rest of France. Those re-coded shapes only exercise the scope: no figure is read from them.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import shapely

import config
from etl import fetch
from etl.config import Settings
from etl.contract import RawDataError
from etl.geography import IDF_DEPS, Reference, build_reference
from etl.geometry import build_geometries
from etl.geometry_files import read_features
from etl.registry import sources

GEOMETRY_SOURCES = ("ign_communes_2018", "paris_arrondissements")
#: Five communes of the CA du Pays Basque (200067106, department 64, region 75) in the 2025 list.
PAYS_BASQUE = "200067106"
BASQUE_COMMUNES = ("64102", "64024", "64122", "64260", "64483")
#: The three communes of the CC Terre de Camargue (243000650, department 30): a complete EPCI.
CAMARGUE = "243000650"
CAMARGUE_COMMUNES = ("30003", "30133", "30276")
#: Three neighbouring communes of the 94 whose shapes stand for the Camargue ones.
NEIGHBOURS_94 = ("94003", "94016", "94037")
OUT_OF_SCOPE = "69123"  # Lyon: in no scope used here
#: Bordeaux, region 75 (Nouvelle-Aquitaine): a reference area of the Pays Basque, not its department.
REGION_COMMUNE = "33063"


def _files(raw_dir: Path) -> dict[str, Path]:
    return {f.key: raw_dir / f.path for i in GEOMETRY_SOURCES for f in sources()[i].files}


def _feature(code: str, geometry: dict, **props: object) -> dict:
    return {"type": "Feature", "properties": {"code": code, "nom": code, **props}, "geometry": geometry}


def _multi(geometry: dict) -> dict:
    return {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}


def _write_gz(path: Path, features: list[dict]) -> Path:
    path.write_bytes(gzip.compress(json.dumps({"type": "FeatureCollection", "features": features}).encode()))
    return path


@pytest.fixture(scope="module")
def reference(raw_dir: Path) -> Reference:
    ids = ("etalab_cog2025", "etalab_cog2024")
    return build_reference({f.key: raw_dir / f.path for i in ids for f in sources()[i].files})


@pytest.fixture(scope="module")
def national(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The geometry files as a download leaves them: the national communes and departments files
    (gzip) copied under every per-department key, and the Paris arrondissements."""
    mirror, tmp = _files(raw_dir), tmp_path_factory.mktemp("national")
    communes: list[dict] = []
    for dep in IDF_DEPS:
        for feat in json.loads(mirror[f"communes_{dep}"].read_text(encoding="utf-8"))["features"]:
            geom = feat["geometry"]
            # the producer serves MultiPolygons (single-part ones among them)
            geom = _multi(geom) if dep in ("91", "94") else geom
            communes.append(_feature(feat["properties"]["code"], geom, departement=dep, region="11"))
    shapes = {f["properties"]["code"]: f["geometry"] for f in communes}
    arr = json.loads(mirror["arrondissements"].read_text(encoding="utf-8"))["features"]
    # municipal arrondissements ride along in the producer's communes layer, with their commune
    communes += [_feature(str(f["properties"]["c_arinsee"]), f["geometry"], commune="75056") for f in arr]
    donors = sorted(c for c in shapes if c.startswith("95"))[: len(BASQUE_COMMUNES)]
    communes += [
        _feature(code, shapes[d], departement="64", region="75")
        for code, d in zip(BASQUE_COMMUNES, donors, strict=True)
    ]
    communes += [
        _feature(code, shapes[d], departement="30", region="76")
        for code, d in zip(CAMARGUE_COMMUNES, NEIGHBOURS_94, strict=True)
    ]
    communes.append(_feature(OUT_OF_SCOPE, shapes[donors[-1]], departement="69", region="84"))
    communes.append(_feature(REGION_COMMUNE, shapes[donors[-2]], departement="33", region="75"))
    deps = [json.loads(mirror[f"departement_{d}"].read_text(encoding="utf-8")) for d in IDF_DEPS]
    deps = [_feature(f["properties"]["code"], f["geometry"], region="11") for f in deps]
    all_communes = _write_gz(tmp / "communes-100m.geojson.gz", communes)
    all_deps = _write_gz(tmp / "departements-100m.geojson.gz", deps)
    files = {"arrondissements": mirror["arrondissements"]}
    for dep in IDF_DEPS:  # the cache holds one copy of the download under each spec's path
        files[f"communes_{dep}"] = Path(shutil.copy(all_communes, tmp / f"communes-{dep}"))
        files[f"departement_{dep}"] = Path(shutil.copy(all_deps, tmp / f"departement-{dep}"))
    return files


@pytest.fixture(scope="module")
def on_mirror(raw_dir: Path, reference: Reference) -> pd.DataFrame:
    return build_geometries(_files(raw_dir), reference, config.HomeConfig("T12"))


def test_declared_producer_urls() -> None:
    ign, paris = sources()["ign_communes_2018"].files, sources()["paris_arrondissements"].files
    communes = {f.url for f in ign if f.key.startswith("communes_")}
    outlines = {f.url for f in ign if f.key.startswith("departement_")}
    assert communes == {
        "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/geojson/communes-100m.geojson.gz"
    }
    assert outlines == {
        "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/geojson/departements-100m.geojson.gz"
    }
    assert [urlparse(f.url).hostname for f in paris] == ["opendata.paris.fr"]
    # the mirror holds third-party reshapings: downloads are recorded in the checksum lock
    assert all(f.extract and f.sha256 and f.url_note for f in (*ign, *paris))


def test_national_file_gives_the_mirror_geometries(
    national: dict[str, Path], reference: Reference, on_mirror: pd.DataFrame
) -> None:
    got = build_geometries(national, reference, config.HomeConfig("T12"))
    pd.testing.assert_frame_equal(got, on_mirror)
    assert not {OUT_OF_SCOPE, REGION_COMMUNE, *BASQUE_COMMUNES} & set(got["code"])


def test_a_home_outside_ile_de_france_gets_its_communes(
    national: dict[str, Path], reference: Reference, on_mirror: pd.DataFrame
) -> None:
    got = build_geometries(national, reference, config.HomeConfig(PAYS_BASQUE))
    # its communes, and those of its reference areas (department 64, region 75) the file holds
    scope = (*BASQUE_COMMUNES, REGION_COMMUNE)
    basque = got[got["code"].isin(scope)]
    assert sorted(basque["code"]) == sorted(scope)
    assert set(basque["level"]) == {"commune"} and set(basque["geo_vintage"]) == {2025}
    assert set(BASQUE_COMMUNES) <= set(reference.group(PAYS_BASQUE))
    # 5 of its 158 communes: no outline of the home, its department or region (holes would mislead)
    assert not {PAYS_BASQUE, "D64", "R75", OUT_OF_SCOPE} & set(got["code"])
    rest = got[~got["code"].isin(scope)].reset_index(drop=True)
    pd.testing.assert_frame_equal(rest, on_mirror)


def test_a_complete_home_elsewhere_is_outlined(national: dict[str, Path], reference: Reference) -> None:
    got = build_geometries(national, reference, config.HomeConfig(CAMARGUE))
    assert sorted(reference.group(CAMARGUE)) == sorted(CAMARGUE_COMMUNES)
    area = got[got["geo_vintage"] == 2025].set_index("code")["area_km2"]
    assert got.loc[got["code"] == CAMARGUE, "level"].tolist() == ["epci"]
    assert area[CAMARGUE] == pytest.approx(sum(area[c] for c in CAMARGUE_COMMUNES), rel=1e-4)
    assert not {"D30", "R76"} & set(got["code"])


def test_the_mirror_serves_any_home_without_failing(
    raw_dir: Path, reference: Reference, on_mirror: pd.DataFrame
) -> None:
    got = build_geometries(_files(raw_dir), reference, config.HomeConfig(PAYS_BASQUE))
    pd.testing.assert_frame_equal(got, on_mirror)


def test_the_configured_home_is_the_default(
    national: dict[str, Path], reference: Reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.loader.ENV_HOME, PAYS_BASQUE)
    config.settings.cache_clear()
    try:
        got = build_geometries(national, reference)
    finally:
        monkeypatch.delenv(config.loader.ENV_HOME)
        config.settings.cache_clear()
    assert set(BASQUE_COMMUNES) <= set(got["code"])


def test_paris_export_layout_reads_like_the_mirror(
    raw_dir: Path, reference: Reference, on_mirror: pd.DataFrame, tmp_path: Path
) -> None:
    """The Opendatasoft export: same fields, c_arinsee a JSON number (int, or float in some exports)."""
    files = _files(raw_dir)
    data = json.loads(files["arrondissements"].read_text(encoding="utf-8"))
    for feat in data["features"]:
        feat["properties"] = {"c_arinsee": float(feat["properties"]["c_arinsee"]), "l_ar": "x"}
    files["arrondissements"] = tmp_path / "arrondissements.geojson"
    files["arrondissements"].write_text(json.dumps(data), encoding="utf-8")
    got = build_geometries(files, reference, config.HomeConfig("T12"))
    pd.testing.assert_frame_equal(got, on_mirror)


def test_a_ring_folded_by_truncation_is_repaired_a_crossed_one_rejected(tmp_path: Path) -> None:
    """The national file's 4-decimal coordinates can fold a tiny ring: repaired if the area holds."""
    folded = [(2.0, 48.0), (2.01, 48.0), (2.01, 48.01), (2.0051, 48.01), (2.0049, 48.01001)]
    folded += [(2.0051, 48.01001), (2.0049, 48.01), (2.0, 48.01), (2.0, 48.0)]
    feats = [_feature("64102", {"type": "Polygon", "coordinates": [folded]})]
    ((props, geom),) = read_features(_write_gz(tmp_path / "folded.gz", feats))
    assert props["code"] == "64102" and geom.is_valid
    assert geom.area == pytest.approx(shapely.Polygon(folded).area, rel=1e-3)
    crossed = [(2.0, 48.0), (2.01, 48.01), (2.01, 48.0), (2.0, 48.01), (2.0, 48.0)]
    feats = [_feature("64102", {"type": "Polygon", "coordinates": [crossed]})]
    with pytest.raises(RawDataError, match="invalid geometry"):
        read_features(_write_gz(tmp_path / "crossed.gz", feats))


def test_downloads_land_under_every_spec_and_build(
    national: dict[str, Path],
    raw_dir: Path,
    reference: Reference,
    on_mirror: pd.DataFrame,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The download path of etl.fetch: one national file per URL, served to each of its specs
    (recorded once in the lock), then built like the mirror; the mirror run is unchanged."""
    urls = {f.key: f.url for sid in GEOMETRY_SOURCES for f in sources()[sid].files}
    served = {urls[k]: national[k] for k in ("communes_75", "departement_75", "arrondissements")}

    def download(url: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(served[url], dest)

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    settings = Settings(database_url="sqlite://", data_dir=tmp_path / "data")
    got = {f.key: fetch.fetch(f, settings) for sid in GEOMETRY_SOURCES for f in sources()[sid].files}
    assert {g.origin for g in got.values()} == {"download"}
    assert set(fetch._lock_entries(fetch.LOCK_PATH)) == set(served)
    built = build_geometries({k: g.path for k, g in got.items()}, reference, config.HomeConfig("T12"))
    pd.testing.assert_frame_equal(built, on_mirror)
    mirrored = Settings(database_url="sqlite://", data_dir=tmp_path / "m", mirror=raw_dir)
    assert {fetch.fetch(f, mirrored).origin for f in sources()["ign_communes_2018"].files} == {"mirror"}
