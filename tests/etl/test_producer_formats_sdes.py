"""The SDES producers' own files parse like the mirror's copies (issue #11).

Sitadel: the DiDo CSV export of "Données annuelles communales - Logements" (``;``, quoted text,
``ANNEE;COMM;TYPE_LGT;LOG_AUT;LOG_COM;SDP_AUT;SDP_COM``, empty = not available yet) against the
mirror's long Parquet reshaping. RPLS 2024: the SDES workbook (sheet ``COMMUNES``, column names on
row 6 under four rows of headings and an empty row) against the mirror's two CSV exports of it.
Each producer-format file is built here from the real mirror rows (same communes, same values,
rearranged into the producer's layout, with rows outside the app's departments) and stored under
the mirror's file name, as the download cache does: the format is told from the content.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pandas as pd
import pytest

from etl import fetch
from etl.config import Settings
from etl.contract import RawDataError
from etl.registry import sources

TYPE_LABELS = {
    "Tous": "Tous Logements",
    "Indiv_pur": "Individuel pur",
    "Indiv_groupe": "Individuel groupe",
    "Collectif": "Collectif",
    "Residence": "Residence",
}
KEY = ["code", "variable", "year", "month"]


def _sorted(obs: pd.DataFrame) -> pd.DataFrame:
    return obs.sort_values(KEY).reset_index(drop=True)


def test_declared_urls_are_the_producers() -> None:
    sitadel = sources()["sdes_sitadel"].files[0]
    assert urlparse(sitadel.url).hostname == "data.statistiques.developpement-durable.gouv.fr"
    assert "/dido/api/v1/datafiles/9c90a880-4ba0-49b4-b99d-d7dd6c810dd0/csv" in sitadel.url
    rpls = sources()["sdes_rpls_2024"].files
    assert {f.url for f in rpls} == {
        "https://www.statistiques.developpement-durable.gouv.fr/media/7970/download?inline"
    }
    assert all(f.extract for f in [sitadel, *rpls])


# -- Sitadel ------------------------------------------------------------------------------------------


def _dido_csv(mirror: Path, dest: Path, *, empty_unavailable: bool) -> None:
    """The mirror's rows (Île-de-France: 77 and 78 are outside the scope) in the DiDo layout;
    the 2024 starts, 0 in the mirror, written empty as the producer does when asked."""
    df = pd.read_parquet(mirror)
    lines = ['"ANNEE";"COMM";"TYPE_LGT";"LOG_AUT";"LOG_COM";"SDP_AUT";"SDP_COM"']
    for r in df.itertuples(index=False):
        started = [f"{r.log_com}", f"{r.sdp_com:g}"]
        if empty_unavailable and r.annee == 2024:
            started = ["", ""]
        lines.append(
            f'"{r.annee}";"{r.code_com}";"{TYPE_LABELS[r.type_lgt]}";{r.log_aut};{started[0]};{r.sdp_aut};{started[1]}'
        )
    dest.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("empty_unavailable", [True, False], ids=["empty-2024-starts", "zero-2024-starts"])
def test_sitadel_dido_csv_parses_like_the_mirror(
    raw_dir: Path, tmp_path: Path, empty_unavailable: bool
) -> None:
    src = sources()["sdes_sitadel"]
    mirror = raw_dir / src.files[0].path
    producer = tmp_path / "sitadel_idf_communes.parquet"  # the cache keeps the spec's file name
    _dido_csv(mirror, producer, empty_unavailable=empty_unavailable)
    parse = src.parser()
    expected, got = parse({"main": mirror}, src), parse({"main": producer}, src)

    assert _sorted(got.observations).equals(_sorted(expected.observations))
    assert got.rows_read == expected.rows_read
    assert set(got.observations["code"].str[:2]) == {"75", "91", "92", "93", "94", "95"}
    started_2024 = expected.observations.query("year == 2024 and variable in ('log_com', 'sdp_com')")
    assert len(started_2024) and (started_2024["status"] == "missing").all()
    if empty_unavailable:  # the same gap, told as "not published" rather than "0 everywhere"
        kinds = got.flags.groupby("kind")["variable"].apply(set).to_dict()
        assert "zero_as_missing" not in kinds and {"log_com", "sdp_com"} <= kinds["not_published"]
    else:
        assert got.flags.equals(expected.flags)


def test_sitadel_truncated_or_foreign_csv_is_an_error(raw_dir: Path, tmp_path: Path) -> None:
    src = sources()["sdes_sitadel"]
    full = tmp_path / "full.csv"
    _dido_csv(raw_dir / src.files[0].path, full, empty_unavailable=True)
    lines = full.read_text(encoding="utf-8").splitlines()
    truncated = tmp_path / "truncated.csv"
    truncated.write_text("\n".join([*lines[:-1], lines[-1].rsplit(";", 2)[0]]) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="truncated") as err:
        src.parser()({"main": truncated}, src)
    assert err.value.line == len(lines)
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("CODGEO;P22_POP\n94081;95282\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="neither a Parquet file nor the SDES CSV"):
        src.parser()({"main": foreign}, src)


# -- RPLS 2024 ----------------------------------------------------------------------------------------

RPLS_COLUMNS = [
    *["REG", "DEP", "DEPCOM_ARM", "LIBCOM_DEP", "LIBCOM", "densite", "nb_ls"],
    *["nb_loues", "nb_vacants", "nb_vides", "nb_asso", "nb_occup_finan", "nb_occup_temp", "tx_vac", "tx_mob"],
]
TEXT = {"REG", "DEPCOM_ARM", "LIBCOM_DEP", "LIBCOM"}


def _cell(column: str, text: str) -> object:
    """A CSV cell as the workbook holds it: text, whole numbers, decimals, empty cells."""
    if text == "":
        return None
    if column in TEXT:
        return text
    if column == "DEP":  # a number without its leading zero in the workbook; 2A/2B stay text
        return int(text) if text.isdigit() else text
    return int(text) if column.startswith("nb_") else float(text)


def _sdes_workbook(main: Path, detail: Path, dest: Path) -> int:
    """The rows of departments 75, 91-95 of both CSVs, plus 40 communes of other departments,
    in the layout of the SDES workbook; returns the sheet row of the first data row."""
    m = pd.read_csv(main, dtype=str, keep_default_na=False)
    d = pd.read_csv(detail, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sheet = m.merge(d.drop(columns=["LIBCOM", "nb_ls"]), on="DEPCOM_ARM", validate="1:1")
    scope = sheet["DEPCOM_ARM"].str[:2].isin(["75", "91", "92", "93", "94", "95"])
    outside = sheet.loc[~scope]
    rows = pd.concat([outside.head(20), sheet.loc[scope], outside.tail(20)])
    book = openpyxl.Workbook()
    book.active.title = "INFORMATIONS"
    book.active["A1"] = "Le parc locatif social au 1er janvier 2024"
    book.create_sheet("REGION").append(["REG", "LIBREG", "nb_ls"])
    ws = book.create_sheet("COMMUNES")
    # four rows of headings and an empty row above the column names (their words do not matter)
    ws.append(["Ensemble du parc"])
    ws.append([None, None, None, None, None, "Densité", "Parc"])
    ws.append([None, None, None, None, None, "pour 100 RP", "total"])
    ws.append(["Région", "Département", "Commune"])
    ws.append([])
    ws.append(RPLS_COLUMNS)
    for row in rows[RPLS_COLUMNS].itertuples(index=False):
        ws.append([_cell(c, v) for c, v in zip(RPLS_COLUMNS, row, strict=True)])
    book.save(dest)
    return 7


def test_rpls_workbook_parses_like_the_mirror_csvs(raw_dir: Path, tmp_path: Path) -> None:
    src = sources()["sdes_rpls_2024"]
    files = {f.key: raw_dir / f.path for f in src.files}
    workbook = tmp_path / "lgt_soc_2024_extracted.csv"  # the cache keeps the spec's file name
    _sdes_workbook(files["main"], files["detail"], workbook)
    parse = src.parser()
    expected = parse(files, src)
    got = parse({"main": workbook, "detail": workbook}, src)
    assert got.observations.equals(expected.observations)
    assert got.flags.equals(expected.flags)
    # one file of each form gives the same observations too
    mixed = parse({"main": files["main"], "detail": workbook}, src)
    assert mixed.observations.equals(expected.observations)


def test_rpls_workbook_error_names_the_sheet_row(raw_dir: Path, tmp_path: Path) -> None:
    src = sources()["sdes_rpls_2024"]
    files = {f.key: raw_dir / f.path for f in src.files}
    workbook = tmp_path / "rpls.xlsx"
    first = _sdes_workbook(files["main"], files["detail"], workbook)
    book = openpyxl.load_workbook(workbook)
    book["COMMUNES"].cell(row=first + 3, column=RPLS_COLUMNS.index("nb_ls") + 1, value="n.d.")
    book.save(workbook)
    with pytest.raises(RawDataError, match="not a count") as err:
        src.parser()({"main": workbook, "detail": workbook}, src)
    assert err.value.line == first + 3 and err.value.field == "nb_ls"


def test_rpls_download_is_kept_under_both_paths_and_parsed(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both files of the source come from one address: the workbook is downloaded for each,
    kept under each spec's .csv path, accepted by the checksum lock (same bytes) and parsed."""
    src = sources()["sdes_rpls_2024"]
    mirror = {f.key: raw_dir / f.path for f in src.files}
    workbook = tmp_path / "served.xlsx"
    _sdes_workbook(mirror["main"], mirror["detail"], workbook)

    def download(url: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(workbook.read_bytes())

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    settings = Settings(database_url="sqlite://", data_dir=tmp_path / "data")
    got = {f.key: fetch.fetch(f, settings) for f in src.files}
    assert {g.origin for g in got.values()} == {"download"}
    assert all(g.path.suffix == ".csv" and g.path.read_bytes()[:2] == b"PK" for g in got.values())
    assert len(fetch._lock_entries(fetch.LOCK_PATH)) == 1
    parse = src.parser()
    observations = parse({k: g.path for k, g in got.items()}, src).observations
    assert observations.equals(parse(mirror, src).observations)
