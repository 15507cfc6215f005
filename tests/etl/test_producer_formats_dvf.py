"""DVF indicators per commune (``dvf_communes``): the producer's national yearly files, as
data.gouv.fr serves them, parse like the mirror's row extracts (departments 75, 91-95).

The national files are built here FROM the real extracts: the same lines, plus real lines moved to
other departments (the rest of France, Corsica), a row without a code and a row with "NA" cells
outside the scope, as a national file may hold. No figure is invented: the rows in scope are the
extract's own lines."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from etl import fetch
from etl.config import Settings
from etl.contract import RawDataError
from etl.registry import SourceSpec, sources

YEARS = range(2014, 2025)
SLUG = "indicateurs-immobiliers-par-commune-et-par-annee-prix-et-volumes-sur-la-periode-"


@pytest.fixture(scope="module")
def source() -> SourceSpec:
    return sources()["dvf_communes"]


def _national(extract: Path, dest: Path) -> tuple[Path, set[str]]:
    """A national-style file from an extract: its header and lines, with out-of-scope lines mixed in.

    Returns the file and the codes given to the out-of-scope lines."""
    raw = extract.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in raw else "\n"
    header, *body = [line for line in raw.split(newline) if line]
    names = [name.strip('"') for name in header.split(",")]  # numbers and codes only: no comma inside
    at, mean = names.index("INSEE_COM"), names.index("Prixm2Moyen")

    def moved(line: str, code: str, **cells: str) -> str:
        fields = line.split(",")
        quote = '"' if fields[at].startswith('"') else ""
        fields[at] = f"{quote}{code}{quote}"
        for index, value in cells.items():
            fields[int(index)] = value
        return ",".join(fields)

    in_94 = [line for line in body if line.split(",")[at].strip('"').startswith("94")]
    assert len(in_94) > 20
    outside = [moved(line, "13" + line.split(",")[at].strip('"')[2:]) for line in in_94[:15]]
    outside.append(moved(in_94[15], "2A004"))  # a Corsican code
    outside.append(moved(in_94[16], "01001", **{str(mean): "NA"}))  # a cell the schema refuses
    outside.append(moved(in_94[17], ""))  # the national files' row without a code
    lines = [header, *outside[:8], *body[: len(body) // 2], *outside[8:], *body[len(body) // 2 :]]
    dest.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    codes = {line.split(",")[at].strip('"') for line in outside} - {""}
    return dest, codes


def test_every_file_declares_the_producers_static_address(source: SourceSpec) -> None:
    by_key = {f.key: f for f in source.files}
    assert set(by_key) == {f"y{year}" for year in YEARS}
    for year in YEARS:
        spec = by_key[f"y{year}"]
        url = urlparse(spec.url or "")
        # data.gouv.fr's own file storage: the upload of the dataset's resource, never a copy
        assert url.scheme == "https" and url.hostname == "static.data.gouv.fr", spec.url
        assert url.path.startswith(f"/resources/{SLUG}"), spec.url
        assert url.path.endswith(f"dvf{year}.csv"), spec.url
        # the mirror holds a row extract: the download is the full national file, checked by the lock
        assert spec.extract and spec.member is None
        assert "data.gouv.fr" in spec.url_note and "public code" in spec.url_note


def test_national_files_parse_like_the_extracts(source: SourceSpec, raw_dir: Path, tmp_path: Path) -> None:
    extracts = {f.key: raw_dir / f.path for f in source.files}
    national, outside = {}, set()
    for key, path in extracts.items():
        national[key], codes = _national(path, tmp_path / f"{key}.csv")
        outside |= codes
    parse = source.parser()
    small, large = parse(extracts, source), parse(national, source)

    key = ["code", "variable", "year", "month"]
    left = small.observations.sort_values(key).reset_index(drop=True)
    right = large.observations.sort_values(key).reset_index(drop=True)[left.columns]
    assert len(left) > 10_000
    assert left.equals(right)  # same rows in scope, same values, statuses and geography
    assert not outside & set(large.observations["code"])
    # every line of the national file is read; the row without a code is flagged, not hidden
    assert all(large.rows_read[k] == small.rows_read[k] + 18 for k in extracts)
    empty = large.flags.loc[large.flags["kind"] == "empty_code"]
    assert sorted(empty["year"]) == list(YEARS)
    # the extract's own flags (partial volumes, swapped 2024 shares) are the same
    for kind in ("partial_volumes", "swapped_columns"):
        assert (small.flags["kind"] == kind).sum() == (large.flags["kind"] == kind).sum() > 0


def test_a_defect_in_scope_still_stops_the_run(source: SourceSpec, raw_dir: Path, tmp_path: Path) -> None:
    """Only rows outside the scope are left unvalidated: an "NA" in Vitry's row is an error that
    names the file, the line and the raw field."""
    files = {f.key: raw_dir / f.path for f in source.files}
    text = files["y2024"].read_text(encoding="utf-8")
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("94081,"))
    fields = lines[row].split(",")
    fields[8] = "NA"  # Prixm2Moyen
    lines[row] = ",".join(fields)
    bad = tmp_path / "communesdvf2024.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    files["y2024"] = bad
    with pytest.raises(RawDataError) as err:
        source.parser()(files, source)
    assert err.value.line == row + 1 and err.value.field == "Prixm2Moyen"
    assert str(err.value.file).endswith("communesdvf2024.csv")


def test_a_download_is_cached_under_the_declared_path_and_parsed(
    source: SourceSpec, raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The producer's national file, as a download would bring it: kept under the spec's path (its
    checksum recorded in the lock, not compared with the extract's), then parsed like the extract."""
    spec = next(f for f in source.files if f.key == "y2024")
    national, _ = _national(raw_dir / spec.path, tmp_path / "communesdvf2024.csv")
    served: list[str] = []

    def download(url: str, dest: Path) -> None:
        served.append(url)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(national.read_bytes())

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    got = fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path / "data"))
    assert served == [spec.url] and got.origin == "download"
    assert got.path.name == Path(spec.path).name and got.sha256 != spec.sha256
    assert fetch._lock_entries(fetch.LOCK_PATH)[spec.url]["sha256"] == got.sha256

    files = {f.key: raw_dir / f.path for f in source.files}
    small = source.parser()(files, source).observations
    large = source.parser()({**files, "y2024": got.path}, source).observations
    key = ["code", "variable", "year", "month"]
    assert small.sort_values(key).reset_index(drop=True).equals(large.sort_values(key).reset_index(drop=True))
