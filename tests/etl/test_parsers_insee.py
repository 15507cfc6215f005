"""Tests of the INSEE parsers on the real raw files, plus bad-input cases on small files.

Expected figures are computed independently of the parsers (plain ``csv``/``zipfile`` reads in the
test) or quoted from ``raw/stats/PROVENANCE.md``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from etl.contract import FLAG_COLUMNS, OBS_COLUMNS, STATUSES, RawDataError
from etl.registry import sources, variables

MGP_91 = ["91027", "91326", "91432", "91479", "91589", "91687"]
#: The 24 GOSB communes (PROVENANCE "Perimeters").
GOSB = [
    *("94001", "94003", "94016", "94021", "94022", "94034", "94037", "94038", "94041", "94043"),
    *("94054", "94065", "94073", "94074", "94076", "94077", "94078", "94081"),
    *MGP_91,
]
INSEE_SOURCES = (
    "insee_comparateur_rp2018",
    "insee_comparateur_rp2022",
    "insee_dossier_complet_rp2022",
    "insee_logement_2021",
    "insee_population",
    "insee_filosofi",
)


def _files(raw_dir: Path, source_id: str) -> dict[str, Path]:
    return {f.key: raw_dir / f.path for f in sources()[source_id].files}


def _parse(raw_dir: Path, source_id: str):
    spec = sources()[source_id]
    return spec.parser()(_files(raw_dir, source_id), spec)


def _in_mgp(code: pd.Series) -> pd.Series:
    """MGP on the map before 2025 (131 communes) or after (130): PROVENANCE "Perimeters"."""
    return code.str[:2].isin(["92", "93", "94"]) | code.isin(["75056", "95018", *MGP_91])


def _value(obs: pd.DataFrame, code: str, var: str, year: int) -> float:
    row = obs[(obs["code"] == code) & (obs["variable"] == var) & (obs["year"] == year)]
    assert len(row) == 1, (code, var, year, len(row))
    return float(row["value"].iloc[0])


def _total(obs: pd.DataFrame, codes, var: str, year: int) -> float:
    sel = obs[obs["code"].isin(codes) & (obs["variable"] == var) & (obs["year"] == year)]
    assert sel["code"].nunique() == len(set(codes)), (var, year)
    return float(sel["value"].sum())


def _csv_rows(text: str, sep: str = ";") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=sep))


@pytest.fixture(scope="module")
def results(raw_dir: Path) -> dict:
    return {sid: _parse(raw_dir, sid) for sid in INSEE_SOURCES}


# --------------------------------------------------------------------------------------------
# contract checks shared by every source
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source_id", INSEE_SOURCES)
def test_contract(results, source_id):
    res = results[source_id]
    obs = res.observations
    assert list(obs.columns) == OBS_COLUMNS
    assert list(res.flags.columns) == FLAG_COLUMNS
    assert set(obs["variable"]) <= set(variables()), set(obs["variable"]) - set(variables())
    assert obs["status"].isin(STATUSES).all()
    assert obs["code"].str.fullmatch(r"\d{5}|2[AB]\d{3}|D\d{2}|MGP|FRM").all()
    assert not obs.duplicated(["code", "variable", "year", "month"]).any()
    # value is NaN exactly when the status says there is no value
    nan = obs["value"].isna()
    assert (nan == obs["status"].isin(["secret", "missing"])).all()
    assert (obs["month"] == 0).all()
    assert set(res.rows_read) == {f.key for f in sources()[source_id].files}


def test_declared_checksums_match_raw_files(raw_dir):
    for sid in INSEE_SOURCES:
        for f in sources()[sid].files:
            # a producer's URL (issue #11), or no URL and a note saying why
            assert (f.url and not f.url.startswith("https://raw.githubusercontent.com/")) or f.url_note, f.key
            assert hashlib.sha256((raw_dir / f.path).read_bytes()).hexdigest() == f.sha256, (sid, f.key)


# --------------------------------------------------------------------------------------------
# 1. comparateur RP2018 (national zip)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rp2018_rows(raw_dir) -> list[dict[str, str]]:
    path = _files(raw_dir, "insee_comparateur_rp2018")["main"]
    with zipfile.ZipFile(path) as zf:
        text = zf.read("base_cc_comparateur.CSV").decode("utf-8")
    return _csv_rows(text)


def test_rp2018_national_and_figures(results, rp2018_rows):
    res = results["insee_comparateur_rp2018"]
    obs = res.observations
    assert res.rows_read == {"main": len(rp2018_rows)} and len(rp2018_rows) == 35010
    assert obs["code"].nunique() == 35010
    assert (obs["cog"] == 2021).all()
    some = obs[obs["code"].isin(["94081", "75056", "75101", "93059"])]
    assert _value(some, "94081", "pop", 2018) == 94649
    assert _value(some, "94081", "pop", 2013) == 90075
    assert _value(some, "75056", "pop", 2018) == 2175601
    assert _value(some, "75101", "pop", 2018) == 16093  # arrondissements kept as published
    assert _value(some, "93059", "nais_5y", 2018) == 3060
    assert _value(some, "94081", "naisd", 2020) == 1366
    assert _value(some, "94081", "med_uc", 2019) == 18880
    assert _total(obs, GOSB, "pop", 2018) == 710962
    mgp = obs.loc[_in_mgp(obs["code"]), "code"].unique()
    assert len(mgp) == 131
    assert _total(obs, mgp, "pop", 2018) == 7075028
    # same national total as a plain csv read
    expected = sum(float(r["P18_EMPLT"]) for r in rp2018_rows if r["P18_EMPLT"])
    got = obs.loc[(obs["variable"] == "emplt") & (obs["year"] == 2018), "value"].sum()
    assert math.isclose(got, expected, rel_tol=1e-12)


def test_rp2018_empty_cells(results, rp2018_rows):
    obs = results["insee_comparateur_rp2018"].observations.set_index(["code", "variable", "year"])
    # a metropolitan commune with an empty MED19: Filosofi secret
    small = next(r["CODGEO"] for r in rp2018_rows if r["MED19"] == "" and r["CODGEO"].startswith("01"))
    assert obs.loc[(small, "med_uc", 2019), "status"] == "secret"
    assert math.isnan(obs.loc[(small, "med_uc", 2019), "value"])
    # Guadeloupe is not covered by Filosofi 2019, Mayotte has no census values: missing, not secret
    assert obs.loc[("97101", "med_uc", 2019), "status"] == "missing"
    mayotte = next(r["CODGEO"] for r in rp2018_rows if r["CODGEO"].startswith("976"))
    assert obs.loc[(mayotte, "pop", 2018), "status"] == "missing"
    n_empty_tp60 = sum(1 for r in rp2018_rows if r["TP6019"] == "")
    tp60 = obs.xs(("tp60", 2019), level=("variable", "year"))
    assert tp60["value"].isna().sum() == n_empty_tp60


# --------------------------------------------------------------------------------------------
# 2. comparateur RP2022 (MGP extract)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rp2022_rows(raw_dir) -> list[dict[str, str]]:
    path = _files(raw_dir, "insee_comparateur_rp2022")["main"]
    return _csv_rows(path.read_text(encoding="utf-8"))


def test_rp2022_figures(results, rp2022_rows):
    res = results["insee_comparateur_rp2022"]
    obs = res.observations
    assert res.rows_read == {"main": 131}
    assert _value(obs, "94081", "pop", 2022) == 95282
    assert _value(obs, "94081", "pop", 2016) == 92755
    assert _value(obs, "75056", "pop", 2022) == 2113705
    assert _value(obs, "93066", "pop", 2022) == 148907
    assert _total(obs, GOSB, "pop", 2022) == 725207
    assert round(_total(obs, GOSB, "emplt", 2022)) == 285552
    codes = [r["CODGEO"] for r in rp2022_rows if r["P22_POP"]]
    assert len(codes) == 130 and _total(obs, codes, "pop", 2022) == 7115576
    chom, act = _total(obs, GOSB, "chom1564", 2022), _total(obs, GOSB, "act1564", 2022)
    assert round(100 * chom / act, 1) == 12.8
    assert set(obs.loc[obs["variable"] == "pop", "cog"]) == {2025}
    assert set(obs.loc[obs["variable"] == "med_uc", "cog"]) == {2024}


def test_rp2022_decimal_comma_and_secrets(results, rp2022_rows):
    obs = results["insee_comparateur_rp2022"].observations
    for row in rp2022_rows:
        for col, var in (("PIMP21", "pimp"), ("TP6021", "tp60")):
            sel = obs[(obs["code"] == row["CODGEO"]) & (obs["variable"] == var)].iloc[0]
            if row[col] == "s":
                assert sel["status"] == "secret" and math.isnan(sel["value"])
            else:
                assert sel["value"] == float(row[col].replace(",", "."))
    n_secret = sum(1 for r in rp2022_rows for v in r.values() if v == "s")
    assert n_secret == 4 and (obs["status"] == "secret").sum() == n_secret
    assert _value(obs, "94081", "pimp", 2021) == 51.0
    assert _value(obs, "94081", "med_uc", 2021) == 19490


def test_rp2022_filosofi_only_row(results):
    res = results["insee_comparateur_rp2022"]
    p = res.observations[res.observations["code"] == "93059"]
    assert set(p["variable"]) == {"nbmenfisc", "pimp", "med_uc", "tp60"}
    assert set(p["cog"]) == {2024}
    assert _value(p, "93059", "med_uc", 2021) == 16080
    kinds = res.flags.loc[res.flags["code"] == "93059", "kind"].tolist()
    assert kinds == ["filosofi_only_row"]


# --------------------------------------------------------------------------------------------
# 3. dossier complet
# --------------------------------------------------------------------------------------------


def test_dossier_complet(results, raw_dir):
    res = results["insee_dossier_complet_rp2022"]
    obs = res.observations
    rows = _csv_rows(_files(raw_dir, "insee_dossier_complet_rp2022")["main"].read_text(encoding="utf-8"))
    assert len(rows) == 130 and res.rows_read == {"main": 130}
    assert (obs["cog"] == 2025).all()
    assert _value(obs, "75056", "pop", 2011) == 2249975
    for year, expected in ((2022, 14228), (2023, 14819), (2024, 15815), (2025, 15778)):
        assert _total(obs, GOSB, "enctot", year) == expected
    # the seven age groups add up to the comparateur's P22_POP (PROVENANCE section 3)
    ages = obs[obs["variable"].str.fullmatch(r"pop\d{4}|pop90p")].groupby("code")["value"].sum()
    rp = results["insee_comparateur_rp2022"].observations
    p22 = rp[(rp["variable"] == "pop") & (rp["year"] == 2022)].set_index("code")["value"]
    assert len(ages) == 130
    assert (ages - p22.reindex(ages.index)).abs().max() < 0.01
    secret = [r["CODGEO"] for r in rows if r["SNEMM_23"] == ""]
    got = obs[(obs["variable"] == "snemm") & (obs["status"] == "secret")]["code"].tolist()
    assert got == secret and len(secret) == 1
    # documented defect: 93066 P16_POP is not a whole number
    p16 = obs[(obs["code"] == "93066") & (obs["variable"] == "pop") & (obs["year"] == 2016)]
    assert p16["status"].item() == "suspect"
    assert res.flags["kind"].tolist() == ["non_integer_population"]


# --------------------------------------------------------------------------------------------
# 4. logement 2021
# --------------------------------------------------------------------------------------------


def test_logement_2021(results, raw_dir):
    res = results["insee_logement_2021"]
    obs = res.observations
    text = _files(raw_dir, "insee_logement_2021")["main"].read_bytes().decode("utf-8").replace("\r\n", "\n")
    rows = _csv_rows(text)
    assert res.rows_read == {"main": len(rows)} and len(rows) == 521
    vitry = next(r for r in rows if r["CODGEO"] == "94081")
    assert _value(obs, "94081", "log", 2021) == float(vitry["P21_LOG"])
    assert _value(obs, "94081", "rp_1p", 2021) == float(vitry["P21_RP_1P"])
    assert {"75056", "75101", "93059", "93066"} <= set(obs["code"])
    assert (obs["cog"] == 2024).all()
    assert set(obs["variable"]) == {"log", "rp", "rsecocc", "logvac", "maison", "appart", "rp_1p"}
    assert sorted(res.flags["kind"]) == ["empty_column"] * 4
    # exact identity of the source: log = rp + rsecocc + logvac
    w = obs.pivot(index="code", columns="variable", values="value")
    assert ((w["rp"] + w["rsecocc"] + w["logvac"] - w["log"]).abs() < 1e-6).all()


# --------------------------------------------------------------------------------------------
# 5. population series
# --------------------------------------------------------------------------------------------


def test_population(results, raw_dir):
    res = results["insee_population"]
    obs = res.observations
    assert res.rows_read == {"main": 34995}
    assert _value(obs, "94081", "pop", 2021) == 96205
    assert _value(obs, "94081", "pop", 2013) == 90075
    arr = [f"751{i:02d}" for i in range(1, 21)]
    assert _total(obs, arr, "pop", 2021) == 2133111
    assert "75056" not in set(obs["code"])
    # every year on the map of year + 2
    assert (obs["cog"] == obs["year"] + 2).all()
    # overseas codes rewritten to the INSEE code, each flagged
    assert "97102" in set(obs["code"]) and "971102" not in set(obs["code"])
    flags = res.flags
    assert (flags["kind"] == "nonstandard_code").sum() == 112
    evry = flags[(flags["code"] == "91228") & (flags["kind"] == "series_break")]
    assert evry["year"].tolist() == [2017]
    assert not flags.loc[flags["kind"] == "series_break", "code"].pipe(_in_mgp).any()


def test_population_matches_rp2018_in_mgp(results):
    """PROVENANCE section 5: p13 and p18 equal the comparateur's P13/P18 for 130 MGP communes."""
    pop = results["insee_population"].observations
    rp = results["insee_comparateur_rp2018"].observations
    for year in (2013, 2018):
        a = pop[(pop["variable"] == "pop") & (pop["year"] == year) & _in_mgp(pop["code"])]
        b = rp[(rp["variable"] == "pop") & (rp["year"] == year)].set_index("code")["value"]
        assert len(a) == 130
        assert (a.set_index("code")["value"] == b.reindex(a["code"])).all()


# --------------------------------------------------------------------------------------------
# 6. Filosofi
# --------------------------------------------------------------------------------------------


def test_filosofi_medians(results):
    obs = results["insee_filosofi"].observations
    vitry = {2014: 17915, 2015: 17861, 2016: 17943, 2018: 18710, 2019: 18880, 2020: 19100}
    for year, expected in vitry.items():
        # PROVENANCE rounds half up (17 860.5 -> 17 861)
        assert abs(_value(obs, "94081", "med_uc", year) - expected) <= 0.5
    assert _value(obs, "94081", "med_uc", 2014) == 17915.2  # decimal comma read exactly
    assert _value(obs, "MGP", "med_uc", 2019) == 23790
    assert _value(obs, "FRM", "med_uc", 2019) == 21930
    assert _value(obs, "D94", "med_uc", 2017) == 22290
    assert _value(obs, "94081", "tp60", 2020) == 25
    assert _value(obs, "75056", "pimpot", 2014) == -27.1
    supra = set(obs.loc[~obs["code"].str.fullmatch(r"\d{5}"), "code"])
    assert supra == {"D75", "D91", "D92", "D93", "D94", "D95", "MGP", "FRM"}
    assert not ((obs["code"] == "MGP") & (obs["year"] == 2014)).any()
    cog = obs.groupby("year")["cog"].unique().map(list).to_dict()
    assert cog == {
        2014: [2016],
        2015: [2017],
        2016: [2018],
        2017: [2019],
        2018: [2020],
        2019: [2021],
        2020: [2023],
    }
    assert "ptsac" in set(obs.loc[obs["year"] == 2014, "variable"])
    assert "pact" not in set(obs.loc[obs["year"] == 2014, "variable"])


def test_filosofi_equals_comparateur_2019(results):
    """PROVENANCE section 13: Q219 = MED19 and NBMEN19 = NBMENFISC19 for the 131 MGP communes."""
    filo = results["insee_filosofi"].observations
    rp = results["insee_comparateur_rp2018"].observations
    for var in ("med_uc", "nbmenfisc"):
        a = filo[(filo["variable"] == var) & (filo["year"] == 2019) & _in_mgp(filo["code"])].set_index("code")
        b = rp[(rp["variable"] == var) & (rp["year"] == 2019)].set_index("code")["value"]
        assert len(a) == 131
        assert (a["value"] == b.reindex(a.index)).all()


def test_filosofi_secrets_and_flags(results, raw_dir):
    res = results["insee_filosofi"]
    obs = res.observations
    files = _files(raw_dir, "insee_filosofi")
    rows14 = _csv_rows(files["com2014"].read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
    n_empty = sum(1 for r in rows14 if r["Q114"] == "")
    q1 = obs[(obs["variable"] == "q1_uc") & (obs["year"] == 2014)]
    assert n_empty == 190 and (q1["status"] == "secret").sum() == n_empty
    rows20 = _csv_rows(files["com2020"].read_text(encoding="utf-8"))
    n_s = sum(1 for r in rows20 for k, v in r.items() if v == "s" and k != "CODGEO")
    assert ((obs["year"] == 2020) & (obs["status"] == "secret")).sum() == n_s
    assert res.rows_read["com2020"] == len(rows20) == 522
    assert res.rows_read["frm2019"] == 1 and res.rows_read["dep2017"] == 6
    trailing = res.flags[res.flags["kind"] == "trailing_empty_columns"]
    assert trailing["year"].tolist() == [2017, 2017, 2017]


# --------------------------------------------------------------------------------------------
# bad inputs (small files built in tmp_path)
# --------------------------------------------------------------------------------------------


@pytest.fixture()
def rp2022_small(raw_dir, tmp_path) -> tuple[list[str], Path]:
    """Header and two real rows of the RP2022 comparateur, to be altered by each test."""
    lines = _files(raw_dir, "insee_comparateur_rp2022")["main"].read_text(encoding="utf-8").splitlines()
    return lines[:3], tmp_path / "rp2022.csv"


def _run(source_id: str, path: Path, key: str = "main"):
    spec = sources()[source_id]
    return spec.parser()({key: path}, spec)


def test_bad_missing_column(rp2022_small):
    lines, path = rp2022_small
    path.write_text("\n".join(line.replace("P22_EMPLT;", "P22_EMPLOI;", 1) for line in lines) + "\n")
    with pytest.raises(RawDataError) as err:
        _run("insee_comparateur_rp2022", path)
    assert err.value.field == "P22_EMPLT" and err.value.line == 1
    assert str(path) in str(err.value)


def test_bad_non_numeric_value(rp2022_small):
    lines, path = rp2022_small
    fields = lines[2].split(";")
    fields[1] = "12O5"  # letter O in P22_POP
    path.write_text("\n".join([lines[0], lines[1], ";".join(fields)]) + "\n")
    with pytest.raises(RawDataError) as err:
        _run("insee_comparateur_rp2022", path)
    assert (err.value.file, err.value.line, err.value.field) == (str(path), 3, "P22_POP")


def test_bad_encoding(rp2022_small):
    lines, path = rp2022_small
    path.write_bytes(
        ("\n".join(lines) + "\n").encode("utf-8") + "99999;Vitry-sur-Seine é\n".encode("latin-1")
    )
    with pytest.raises(RawDataError) as err:
        _run("insee_comparateur_rp2022", path)
    assert err.value.line == 4 and "utf-8" in str(err.value)


def test_bad_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(RawDataError, match="empty"):
        _run("insee_logement_2021", path)
    path.write_text("CODGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;P21_MAISON;P21_APPART;P21_RP_1P\n")
    with pytest.raises(RawDataError, match="no data rows"):
        _run("insee_logement_2021", path)


def test_bad_duplicate_and_code(rp2022_small):
    lines, path = rp2022_small
    path.write_text("\n".join([lines[0], lines[1], lines[1]]) + "\n")
    with pytest.raises(RawDataError, match="duplicate") as err:
        _run("insee_comparateur_rp2022", path)
    assert err.value.line == 3
    path.write_text("\n".join([lines[0], lines[1], "9408" + lines[2][5:]]) + "\n")
    with pytest.raises(RawDataError) as err:
        _run("insee_comparateur_rp2022", path)
    assert (err.value.line, err.value.field) == (3, "CODGEO")


def test_superset_accepted(rp2022_small):
    lines, path = rp2022_small
    extra = [lines[0] + ";NEWCOL", *(line + ";1" for line in lines[1:]), "01001" + ";" * 31 + ";7"]
    path.write_text("\n".join(extra) + "\n")
    res = _run("insee_comparateur_rp2022", path)
    assert res.rows_read == {"main": 3}
    assert "01001" in set(res.observations["code"])


def test_logement_pads_lost_zero(tmp_path):
    path = tmp_path / "logement.csv"
    header = "CODGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;P21_MAISON;P21_APPART;P21_RP_1P;P10_RP_CASE"
    path.write_text(f"{header}\r\n1001;10;8;1;1;9;1;0;\r\n94081;5;4;0.5;0.5;1;4;1;2\r\n")
    res = _run("insee_logement_2021", path)
    assert "01001" in set(res.observations["code"])
    kinds = sorted(res.flags["kind"])
    assert kinds == ["column_not_emitted", "lost_leading_zero"]


def test_filosofi_bad_inputs(raw_dir, tmp_path):
    src = _files(raw_dir, "insee_filosofi")
    # a value under an empty header cell cannot be interpreted
    text = src["mgp2017"].read_text(encoding="utf-8-sig").replace("\r\n", "\n").rstrip("\n")
    head, row = text.split("\n")
    path = tmp_path / "epci.csv"
    path.write_text(head + "\n" + row[:-1] + "9\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="empty header") as err:
        _run("insee_filosofi", path, "mgp2017")
    assert err.value.line == 2
    # an EPCI file without the MGP row
    path.write_text(head + "\n" + row.replace("200054781", "200054782", 1) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="no row with CODGEO 200054781"):
        _run("insee_filosofi", path, "mgp2017")
    # a file given under the wrong vintage: the expected columns are missing
    with pytest.raises(RawDataError) as err:
        _run("insee_filosofi", src["frm2018"], "frm2019")
    assert err.value.field == "NBMEN19"
    with pytest.raises(ValueError, match="file key"):
        _run("insee_filosofi", src["frm2018"], "france2018")


def test_population_bad_code(raw_dir, tmp_path):
    lines = _files(raw_dir, "insee_population")["main"].read_text(encoding="utf-8-sig").splitlines()[:3]
    fields = lines[2].split(",")
    fields[4] = "583000"  # 6 characters but not an overseas code
    path = tmp_path / "pop.csv"
    path.write_text("\n".join([lines[0], lines[1], ",".join(fields)]) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError) as err:
        _run("insee_population", path)
    assert (err.value.line, err.value.field) == (3, "codgeo")
