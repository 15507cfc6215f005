"""The producers' own formats (issue #11) for URSSAF, ARCEP and France Travail.

Each test builds a small file in the producer's layout FROM the real mirror file (the same rows and
values rearranged into the producer's columns or sheets, plus a few rows outside the scope) and
checks that the parser gives the same observations as on the mirror's copy. Nothing here is a
figure shown to users: the files live in ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlparse

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from etl import fetch, registry
from etl.config import Settings
from etl.contract import RawDataError

KEY = ["code", "variable", "year", "month"]
URSSAF_YEARS = range(2014, 2025)
# producers' hosts for these three sources (a declared URL must be on one of them)
PRODUCER_HOSTS = {
    "open.urssaf.fr",
    "www.data.gouv.fr",
    "static.data.gouv.fr",
    "www.arcep.fr",
    "data.arcep.fr",
}


def spec(sid: str) -> registry.SourceSpec:
    return registry._load_source(registry.SOURCES_DIR / f"{sid}.yaml")


def parse(sid: str, files: dict[str, Path]):
    return spec(sid).parser()(files, spec(sid))


def mirror(sid: str, raw_dir: Path) -> dict[str, Path]:
    return {f.key: raw_dir / f.path for f in spec(sid).files}


def same(left: pd.DataFrame, right: pd.DataFrame, cols: list[str]) -> None:
    a = left.sort_values(KEY).reset_index(drop=True)[cols]
    b = right.sort_values(KEY).reset_index(drop=True)[cols]
    pd.testing.assert_frame_equal(a, b)


# -- URSSAF: the commune × APE CSV of open.urssaf.fr -------------------------------------------


def _urssaf_csv(raw_dir: Path, labels: bool = False) -> tuple[str, pd.DataFrame]:
    """The mirror's commune totals laid out as Urssaf's export: one row per commune × APE code,
    wide by year, ``;``-separated. Each total is split over two APE rows (so the parser must sum);
    a year without a row in the mirror is an empty cell; two communes of department 13 are added."""
    table = pq.read_table(mirror("urssaf_effectifs", raw_dir)["main"]).to_pandas()
    com = table.loc[table["echelon"] == "communes"]
    wide = com.pivot(index="code", columns="year", values="eff_total")
    eff = [f"Effectifs salariés {y}" if labels else f"effectifs_salaries_{y}" for y in URSSAF_YEARS]
    nb = [f"Nombre d'établissements {y}" if labels else f"nombre_d_etablissements_{y}" for y in URSSAF_YEARS]
    head = ["Code commune", "Code APE"] if labels else ["code_commune", "intitule_commune", "code_ape"]
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow([*head, *[c for pair in zip(nb, eff, strict=True) for c in pair]])
    outside = {"13055": [1000 + y for y in URSSAF_YEARS], "13001": [7] * len(URSSAF_YEARS)}
    rows = [(code, list(wide.loc[code])) for code in wide.index] + list(outside.items())
    for code, values in rows:
        for part, ape in ((0, "4711D"), (1, "6201Z")):
            cells = []
            for v in values:
                if pd.isna(v):
                    cells += ["", ""]
                    continue
                v = int(v)
                share = v // 2 if part == 0 else v - v // 2
                cells += ["1", "" if (v == 0 and part == 1) else str(share)]
            name = [] if labels else [f"{code} Commune"]
            w.writerow([code, *name, ape, *cells])
    return out.getvalue(), table


@pytest.mark.parametrize("labels", [False, True], ids=["field-names", "labels"])
def test_urssaf_producer_csv_gives_the_mirror_observations(
    raw_dir: Path, tmp_path: Path, labels: bool
) -> None:
    text, _ = _urssaf_csv(raw_dir, labels)
    path = tmp_path / "urssaf_serie.parquet"  # the cache keeps the download under the spec's name
    path.write_text(("\ufeff" if labels else "") + text, encoding="utf-8")
    got = parse("urssaf_effectifs", {"main": path})
    want = parse("urssaf_effectifs", mirror("urssaf_effectifs", raw_dir))
    obs, ref = got.observations, want.observations
    assert set(obs["code"]) - set(ref["code"]) == set()  # department 13 cut while reading
    communes = ref["code"].str.fullmatch(r"\d{5}")
    same(obs.loc[obs["code"].str.fullmatch(r"\d{5}")], ref.loc[communes], [*KEY, "value", "status", "cog"])
    # departments and MGP: the sums of their communes, which is what the mirror's rows are once
    # corrected; R11 and FR need the whole country, absent from this file
    deps = [f"D{d}" for d in ("75", "91", "92", "93", "94", "95")]
    for target in [*deps, "MGP"]:
        same(obs.loc[obs["code"] == target], ref.loc[ref["code"] == target], [*KEY, "value"])
        assert set(obs.loc[obs["code"] == target, "status"]) == {"derived"}
    assert not obs["code"].isin(["R11", "FR"]).any()
    assert set(got.flags.loc[got.flags["kind"] == "supra_not_derived", "code"]) == {"R11", "FR"}
    assert got.rows_read["main"] == len(text.splitlines()) - 1


def test_urssaf_producer_csv_errors_name_the_line(raw_dir: Path, tmp_path: Path) -> None:
    text, _ = _urssaf_csv(raw_dir)
    lines = text.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("94081;"))
    cells = lines[i].split(";")
    cells[-1] = "12x"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:i], ";".join(cells), *lines[i + 1 :]]) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError) as exc:
        parse("urssaf_effectifs", {"main": bad})
    assert exc.value.line == i + 1 and exc.value.field == "effectifs_salaries_2024"
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join([*lines, lines[i]]) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="same commune and APE") as exc:
        parse("urssaf_effectifs", {"main": dup})
    assert exc.value.line == len(lines) + 1
    nocol = tmp_path / "nocol.csv"
    nocol.write_text(text.replace("code_ape", "ape", 1), encoding="utf-8")
    with pytest.raises(RawDataError) as exc:
        parse("urssaf_effectifs", {"main": nocol})
    assert exc.value.field == "code_ape"


# -- ARCEP: the T1 2018 "déploiements" workbook ------------------------------------------------


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _count(text: str) -> int | str:
    """A padded count of the CSV export (" 37 855    ", "-") as the workbook's cell."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits and int(digits) or text.strip()


def _arcep_workbook(raw_dir: Path, path: Path) -> None:
    """ARCEP's xlsx rebuilt from the two mirror sheets: title lines, header, numbers as numbers,
    a department sheet with the same "Champ" layout, a commune of department 13 in both sheets
    (and a code typed as a number, "1001" for 01001, as spreadsheets do)."""
    files = mirror("arcep_ftth", raw_dir)
    ftth, com = _csv_rows(files["ftth"]), _csv_rows(files["communes"])
    book = openpyxl.Workbook()
    book.active.title = "Sommaire"
    book.active.append(["Observatoire du haut et très haut débit : déploiements"])
    dep = book.create_sheet("Déploiement par Département")
    dep.append(["Code département", "Champ", "T3 2017", "T4 2017", "T1 2018"])
    dep.append(["94", "Locaux Raccordables", 1, 2, 3])
    sheet = book.create_sheet("Déploiement par Commune")
    for row in ftth[:4]:
        sheet.append([c or None for c in row])
    sheet.append(ftth[4])
    sheet.append([])  # a blank spacing row
    for code in ("13055", 1001):
        sheet.append([code, "Locaux Raccordables", 10, 20, 30])
        sheet.append([code, "Catégorie", 5, 5, 10])
    for row in ftth[5:]:
        sheet.append([row[0], row[1], *(int(v) for v in row[2:])])
    info = book.create_sheet("Informations communes")  # Excel: ≤ 31 characters
    for row in com[:5]:
        info.append([c or None for c in row])
    wanted = {com[4].index(c) for c in ("Logements", "Établissements")}
    for row in [
        ["13055", "Marseille", "93", "13", "200054807", " 100 ", "-", *row[7:]] for row in com[5:6]
    ] + com[5:]:
        info.append([_count(v) if i in wanted else v for i, v in enumerate(row)])
    info.append(["1001", "L'Abergement", "84", "1", "200069193", 300, 20, *com[5][7:]])
    book.save(path)


def test_arcep_workbook_gives_the_mirror_observations(raw_dir: Path, tmp_path: Path) -> None:
    # the cache keeps a download under the spec's path: a ".csv" name holding the xlsx
    book = tmp_path / "ftthCommunes_2018T1.csv"
    _arcep_workbook(raw_dir, book)
    got = parse("arcep_ftth", {"ftth": book, "communes": book})
    want = parse("arcep_ftth", mirror("arcep_ftth", raw_dir))
    same(got.observations, want.observations, [*KEY, "value", "status", "cog"])
    assert got.rows_read == {"ftth": want.rows_read["ftth"] + 4, "communes": want.rows_read["communes"] + 2}
    # either file may be the workbook while the other is still the mirror's CSV
    mixed = parse("arcep_ftth", {"ftth": mirror("arcep_ftth", raw_dir)["ftth"], "communes": book})
    same(mixed.observations, want.observations, [*KEY, "value", "status", "cog"])


def test_arcep_workbook_errors(raw_dir: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Code commune", "Champ", "T3 2017"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    with pytest.raises(RawDataError, match="no sheet of the workbook has the columns"):
        parse("arcep_ftth", {"ftth": path, "communes": mirror("arcep_ftth", raw_dir)["communes"]})
    _arcep_workbook(raw_dir, path)
    wb = openpyxl.load_workbook(path)
    sheet = wb["Déploiement par Commune"]
    sheet.cell(row=12, column=3).value = "n.d."
    wb.save(path)
    with pytest.raises(RawDataError) as exc:
        parse("arcep_ftth", {"ftth": path, "communes": path})
    assert exc.value.line == 12 and exc.value.field == "T3 2017"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(RawDataError, match="not a readable xlsx"):
        parse("arcep_ftth", {"ftth": broken, "communes": broken})


# -- declared addresses --------------------------------------------------------------------------


def test_declared_urls_are_the_producers_or_say_why_not() -> None:
    for sid in ("urssaf_effectifs", "arcep_ftth", "france_travail_defm"):
        for f in spec(sid).files:
            if f.url is None:
                assert "Read from the mirror only" in f.url_note, (sid, f.key)
                continue
            assert urlparse(f.url).hostname in PRODUCER_HOSTS, (sid, f.url)
            assert f.extract, "the download is the producer's full file, not the mirror's extract"
    url = spec("urssaf_effectifs").files[0].url
    assert url.startswith(
        "https://open.urssaf.fr/api/explore/v2.1/catalog/datasets/"
        "etablissements-et-effectifs-salaries-au-niveau-commune-x-ape-last/exports/csv"
    )


def test_urssaf_download_lands_in_the_cache_and_parses(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download (faked: the producer's layout built from the mirror) is kept under the spec's
    ".parquet" path although it is a CSV; its sha256 goes to the lock; it parses like the mirror."""
    text, _ = _urssaf_csv(raw_dir)
    served = text.encode("utf-8")

    def download(url: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(served)

    monkeypatch.setattr(fetch, "_download", download)
    monkeypatch.setattr(fetch, "LOCK_PATH", tmp_path / "checksums.lock")
    f = spec("urssaf_effectifs").files[0]
    got = fetch.fetch(f, Settings(database_url="sqlite://", data_dir=tmp_path / "data"))
    assert got.origin == "download" and got.path.name.endswith(".parquet")
    assert fetch._lock_entries(fetch.LOCK_PATH)[f.url]["size"] == len(served)
    obs = parse("urssaf_effectifs", {"main": got.path}).observations
    ref = parse("urssaf_effectifs", mirror("urssaf_effectifs", raw_dir)).observations
    same(obs.loc[obs["code"] == "94081"], ref.loc[ref["code"] == "94081"], [*KEY, "value", "status"])
