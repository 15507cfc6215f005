"""Official download URLs (issue #11): every declared file downloads from its producer or says why
not; a producer's full file parses like the row extract of the mirror (the scope is applied when
reading); the sha256 of a producer's file is recorded at first download and a change is reported."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

from etl import fetch
from etl.config import Settings
from etl.registry import FileSpec, sources

#: The producers' own hosts (Insee, data.gouv.fr, SDES, Urssaf, ARCEP, IGN, Etalab's npm package).
OFFICIAL_HOSTS = {
    "www.insee.fr",
    "www.data.gouv.fr",
    "static.data.gouv.fr",
    "www.statistiques.developpement-durable.gouv.fr",
    "data.statistiques.developpement-durable.gouv.fr",
    "open.urssaf.fr",
    "www.arcep.fr",
    "geoservices.ign.fr",
    "etalab-datasets.geo.data.gouv.fr",
    "opendata.paris.fr",
    "registry.npmjs.org",
}


def test_every_file_downloads_from_its_producer_or_says_why_not() -> None:
    declared = [(s.id, f) for s in sources().values() for f in s.files]
    assert len(declared) > 60
    for source_id, spec in declared:
        if spec.url is None:
            assert len(spec.url_note) > 40, f"{source_id}/{spec.key}: no URL and no url_note"
            continue
        host = urlparse(spec.url).hostname
        assert host in OFFICIAL_HOSTS, f"{source_id}/{spec.key}: {spec.url} is not the producer's"
        assert "github" not in spec.url and "jsdelivr" not in spec.url


# -- checksum lock -------------------------------------------------------------------------------


def _zip(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


@pytest.fixture()
def fake_producer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A fake downloader serving the next bytes of a list, and a private lock file."""
    served: list[bytes] = []

    def download(url: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(served.pop(0))

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    return served


def test_a_changed_producer_file_is_reported_not_accepted(fake_producer, tmp_path: Path) -> None:
    url = "https://www.insee.fr/fr/statistiques/fichier/2521169/base_cc_comparateur_csv.zip"
    spec = FileSpec(key="main", path="stats/x.csv", url=url, extract=True, member="base_cc_comparateur.CSV")
    first = _zip("base_cc_comparateur.CSV", b"CODGEO;P22_POP\n94081;95282\n")
    changed = _zip("base_cc_comparateur.CSV", b"CODGEO;P22_POP\n94081;95300\n")
    fake_producer += [first, first, changed]

    got = fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path / "a"))
    assert got.origin == "download" and got.path.read_bytes().endswith(b"95282\n")
    lock = fetch._lock_entries(fetch.LOCK_PATH)
    assert set(lock) == {url} and lock[url]["size"] == len(first)  # recorded at first download
    # the same bytes again (another machine, an emptied cache): accepted
    fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path / "b"))
    # other bytes at the same address: a clear error naming the file, nothing replaced
    with pytest.raises(fetch.ChecksumChanged, match="changed since its first download") as err:
        fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path / "c"))
    assert url in str(err.value) and "checksums.lock" in str(err.value)
    assert not (tmp_path / "c" / "raw" / "stats" / "x.csv").exists()
    assert fetch._lock_entries(fetch.LOCK_PATH)[url]["sha256"] == lock[url]["sha256"]


def test_a_downloaded_full_file_is_reused_from_the_cache(fake_producer, tmp_path: Path) -> None:
    """An extract's declared sha256 cannot match the producer's full file: the next run reuses the
    download from the cache (its origin is recorded beside it) instead of fetching it again, and a
    cached file changed since is fetched anew."""
    url = "https://www.insee.fr/fr/statistiques/fichier/2521169/base_cc_comparateur_csv.zip"
    spec = FileSpec(
        key="main",
        path="stats/x.csv",
        url=url,
        extract=True,
        member="base_cc_comparateur.CSV",
        sha256="0" * 64,
    )
    full = _zip("base_cc_comparateur.CSV", b"CODGEO;P22_POP\n94081;95282\n13055;873076\n")
    fake_producer += [full]  # served once: a second download would fail (empty list)
    settings = Settings(database_url="sqlite://", data_dir=tmp_path / "d")
    first = fetch.fetch(spec, settings)
    again = fetch.fetch(spec, settings)
    assert (first.origin, again.origin) == ("download", "cache") and again.sha256 == first.sha256
    again.path.write_bytes(b"CODGEO;P22_POP\n94081;1\n")  # tampered with: not reused
    fake_producer += [full]
    assert fetch.fetch(spec, settings).origin == "download"


def test_a_file_without_url_says_why(tmp_path: Path) -> None:
    spec = next(f for f in sources()["france_travail_defm"].files if f.key == "main")
    with pytest.raises(fetch.RawDataError, match="no official download URL.*France Travail"):
        fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path))


# -- the producer's full file parses like the extract ----------------------------------------------


def test_full_file_with_rows_outside_ile_de_france_parses_like_the_extract(
    raw_dir: Path, tmp_path: Path
) -> None:
    """The logement 2021 extract (departments 75, 91-95) plus rows of other departments, as in
    Insee's national file: the Île-de-France observations are the same, the others are emitted
    under their own codes (the observatory's scope is applied when reading the store)."""
    src = sources()["insee_logement_2021"]
    extract = raw_dir / src.files[0].path
    raw = extract.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    header, body = lines[0], [line for line in lines[1:] if line]
    # rows outside the scope: real rows of the file with the department part of the code changed
    outside = [b"13" + row[2:] for row in body if row[:2] == b"94"][:40]
    assert outside
    full = tmp_path / "base-cc-logement-2021.CSV"
    full.write_bytes(newline.join([header, *outside[:20], *body, *outside[20:]]) + newline)

    parse = src.parser()
    small = parse({"main": extract}, src)
    large = parse({"main": full}, src)
    obs_small, obs_large = small.observations, large.observations
    idf = obs_large[obs_large["code"].str[:2].isin(["75", "91", "92", "93", "94", "95"])]
    key = ["code", "variable", "year", "month"]
    left = obs_small.sort_values(key).reset_index(drop=True)
    right = idf.sort_values(key).reset_index(drop=True)[left.columns]
    assert left.equals(right)
    assert set(obs_large["code"]) - set(obs_small["code"]) == {b.split(b";")[0].decode() for b in outside}
