"""Producers' formats of the Filosofi and population files (issue #11): Insee's national CSV inside
its zip, its xlsx workbooks, a whole archive downloaded without a declared member, give the same
observations as the mirror's extract. Every file below is built from the real mirror file (the
same rows and values rearranged into Insee's layout) plus rows outside the scope; no figure is
invented."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pandas as pd
import pytest

from etl import fetch
from etl.config import Settings
from etl.contract import RawDataError
from etl.registry import sources
from tests.etl.test_official_downloads import OFFICIAL_HOSTS

KEY = ["code", "variable", "year", "month"]
SOURCES = ("insee_filosofi", "insee_population")


def _spec(key: str):
    return next(f for f in sources()["insee_filosofi"].files if f.key == key)


def _parse(path: Path, key: str) -> pd.DataFrame:
    src = sources()["insee_filosofi"]
    return src.parser()({key: path}, src).observations


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    a = left.sort_values(KEY).reset_index(drop=True)
    b = right.sort_values(KEY).reset_index(drop=True)[a.columns]
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)


def _lines(path: Path) -> list[str]:
    """The mirror file's lines (BOM and CRLF removed), blank lines dropped."""
    return [line for line in path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n") if line]


def _outside(rows: list[str], codes: list[str]) -> list[str]:
    """Real rows given codes outside the scope (another department, Lyon's districts, Corsica)."""
    return [code + row[row.index(";") :] for row, code in zip(rows, codes, strict=False)]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_declared_urls_are_the_producers() -> None:
    for source_id in SOURCES:
        for spec in sources()[source_id].files:
            if spec.url is None:
                assert len(spec.url_note) > 40, (source_id, spec.key)
                continue
            assert urlparse(spec.url).hostname in OFFICIAL_HOSTS, (source_id, spec.key)
            assert spec.url.startswith("https://www.insee.fr/fr/statistiques/fichier/")
            assert spec.extract, f"{spec.key}: the mirror is not the producer's file"


# -- Insee's national CSV, as extracted from its zip ----------------------------------------------


@pytest.mark.parametrize("key", ["com2018", "com2019", "com2020"])
def test_national_commune_csv_parses_like_the_extract(raw_dir: Path, tmp_path: Path, key: str) -> None:
    spec = _spec(key)
    mirror = raw_dir / spec.path
    lines = _lines(mirror)
    header, body = lines[0], lines[1:]
    outside = _outside(body[:4], ["13055", "69381", "2A004", "01001"])
    national = "\r\n".join([header, *outside[:2], *body, *outside[2:]]) + "\r\n"
    archive = tmp_path / "served.zip"
    archive.write_bytes(_zip({spec.member: national.encode("utf-8-sig"), "other.csv": b"x"}))
    # what the download step leaves at the spec's path: the member, extracted
    extracted = tmp_path / "member.csv"
    fetch._extract_member(archive, spec.member, extracted)
    _same(_parse(mirror, key), _parse(extracted, key))
    # Insee's other encoding (Windows-1252) reads the same
    latin = tmp_path / "latin.csv"
    latin.write_bytes(national.encode("cp1252"))
    _same(_parse(mirror, key), _parse(latin, key))
    # the whole archive, downloaded without a member, is looked into
    _same(_parse(mirror, key), _parse(archive, key))


@pytest.mark.parametrize("key", ["dep2019", "mgp2019", "frm2019"])
def test_national_supra_csv_parses_like_the_extract(raw_dir: Path, tmp_path: Path, key: str) -> None:
    spec = _spec(key)
    mirror = raw_dir / spec.path
    lines = _lines(mirror)
    header, body = lines[0], lines[1:]
    codes = {"dep": ["13", "2A", "971"], "mgp": ["200046977", "243100518"], "frm": ["2"]}[key[:3]]
    national = "\r\n".join([header, *_outside(body * 3, codes), *body]) + "\r\n"
    path = tmp_path / "national.csv"
    path.write_bytes(national.encode("utf-8-sig"))
    _same(_parse(mirror, key), _parse(path, key))


# -- Insee's xlsx workbooks (2017 supra-communal archive, downloaded whole) -------------------------


def _cell(text: str) -> object:
    """A mirror cell as the workbook holds it: numbers as numbers, 's' and empty kept."""
    if text in ("", "s"):
        return text or None
    number = float(text.replace(",", "."))
    return int(number) if "," not in text else number


def _workbook(lines: list[str], outside: list[str]) -> bytes:
    """An Insee-like workbook: a summary sheet, then ENSEMBLE with title lines, the labels row,
    the header row (CODGEO …) and the rows (trailing empty header cells of the CSV dropped)."""
    header = [c for c in lines[0].split(";") if c]
    wb = openpyxl.Workbook()
    wb.active.title = "Sommaire"
    wb.active.append(["Sommaire"])
    ws = wb.create_sheet("ENSEMBLE")
    for title in ("Structure et distribution des revenus", "Millésime 2017", "Géographie", "Source : Insee"):
        ws.append([title])
    ws.append([f"Libellé de {name}" for name in header])
    ws.append(header)
    for row in [*outside, *lines[1:]]:
        cells = row.split(";")[: len(header)]
        ws.append([cells[0], cells[1], *(_cell(c) for c in cells[2:])])
    ws.append([])
    ws.append(["Note : champ, ménages fiscaux"])  # a note below the table has no code
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture()
def supra_2017(raw_dir: Path) -> dict[str, bytes]:
    """Insee's 2017 SUPRA archive rebuilt from the mirror: one workbook per level."""
    out = {}
    for key, level, codes in (
        ("dep2017", "DEP", ["13", "2A"]),
        ("mgp2017", "EPCI", ["200046977"]),
        ("frm2017", "METROPOLE", []),
    ):
        lines = _lines(raw_dir / _spec(key).path)
        out[f"FILO2017_DISP_{level}.xlsx"] = _workbook(lines, _outside(lines[1:] * 2, codes))
    return out


@pytest.mark.parametrize("key", ["dep2017", "mgp2017", "frm2017"])
def test_workbook_archive_parses_like_the_extract(
    raw_dir: Path, tmp_path: Path, supra_2017: dict[str, bytes], key: str
) -> None:
    mirror = _parse(raw_dir / _spec(key).path, key)
    # the workbook itself, under any name
    level = {"dep": "DEP", "mgp": "EPCI", "frm": "METROPOLE"}[key[:3]]
    book = tmp_path / "book.csv"
    book.write_bytes(supra_2017[f"FILO2017_DISP_{level}.xlsx"])
    _same(mirror, _parse(book, key))
    # the archive, as the declared URL serves it, with the Pauvres workbooks beside
    members = {f"indic-struct-distrib-revenu-2017-SUPRA/{n}": d for n, d in supra_2017.items()}
    members["indic-struct-distrib-revenu-2017-SUPRA/FILO2017_DISP_Pauvres_DEP.xlsx"] = b"not this one"
    archive = tmp_path / "supra.zip"
    archive.write_bytes(_zip(members))
    _same(mirror, _parse(archive, key))
    # one zip per level inside the archive (Insee's 2015 layout)
    nested = tmp_path / "nested.zip"
    nested.write_bytes(_zip({f"x-{n}.zip": _zip({n: d}) for n, d in supra_2017.items()}))
    _same(mirror, _parse(nested, key))


def test_workbook_archive_through_the_download_step(
    raw_dir: Path, tmp_path: Path, supra_2017: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """dep2017 declares the archive without a member: the cache keeps it under the spec's path
    (a .csv name) and the parser recognises it by its content."""
    spec = _spec("dep2017")
    served = _zip(supra_2017)

    def download(url: str, dest: Path) -> None:
        assert url == spec.url
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(served)

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    got = fetch.fetch(spec, Settings(database_url="sqlite://", data_dir=tmp_path / "data"))
    assert got.origin == "download" and got.path.name.endswith(".csv")
    _same(_parse(raw_dir / spec.path, "dep2017"), _parse(got.path, "dep2017"))


def _xls(lines: list[str], outside: list[str]) -> bytes:
    """An Insee-like Excel 97-2003 workbook (the 2014-2016 editions): title lines, the labels row,
    the header row and the rows on sheet ENSEMBLE, numbers as numbers (xlwt writes them)."""
    import xlwt

    header = [c for c in lines[0].split(";") if c]
    book = xlwt.Workbook()
    book.add_sheet("Sommaire").write(0, 0, "Sommaire")
    ws = book.add_sheet("ENSEMBLE")
    table = [
        ["Structure et distribution des revenus"],
        ["Millésime 2015"],
        [],
        [f"Libellé {h}" for h in header],
    ]
    table += [header] + [row.split(";")[: len(header)] for row in [*outside, *lines[1:]]]
    for i, row in enumerate(table):
        for j, text in enumerate(row):
            ws.write(i, j, text if i <= len(table) - len(lines) - len(outside) or j < 2 else _cell(text))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("key", ["com2015", "com2016"])
def test_excel_97_workbook_parses_like_the_extract(raw_dir: Path, tmp_path: Path, key: str) -> None:
    """Insee served the 2014-2016 commune files as .xls inside a zip (declared member): the
    workbook, alone or in its zip, gives the mirror's observations (rows outside the scope dropped)."""
    spec = _spec(key)
    lines = _lines(raw_dir / spec.path)
    data = _xls(lines, _outside(lines[1:40], ["13055", "69381", "2A004"] * 13))
    mirror = _parse(raw_dir / spec.path, key)
    book = tmp_path / "book.csv"  # the cache keeps the declared (.csv) name
    book.write_bytes(data)
    _same(mirror, _parse(book, key))
    archive = tmp_path / "archive.zip"
    archive.write_bytes(_zip({spec.member or f"FILO{key[3:]}_DISP_COM.xls": data}))
    _same(mirror, _parse(archive, key))


def test_unreadable_producer_files_are_clear_errors(tmp_path: Path) -> None:
    xls = tmp_path / "FILO_DISP_COM.csv"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(RawDataError, match="cannot read as an xls workbook"):
        _parse(xls, "com2015")
    archive = tmp_path / "a.zip"
    archive.write_bytes(_zip({"FILO2016_DISP_COM.xls": xls.read_bytes()}))
    with pytest.raises(RawDataError, match="cannot read as an xls workbook"):
        _parse(archive, "com2016")
    with pytest.raises(RawDataError, match="no EPCI file of Filosofi 2017"):
        _parse(archive, "mgp2017")


# -- population ------------------------------------------------------------------------------------


def test_population_has_no_producer_url_and_says_why() -> None:
    (spec,) = sources()["insee_population"].files
    assert spec.url is None and "single" in spec.url_note and "mirror" in spec.url_note
