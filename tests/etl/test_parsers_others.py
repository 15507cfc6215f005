"""Non-INSEE parsers (RPLS, France Travail, URSSAF, Sitadel, DVF, ARCEP) on the real raw files.

Every expected figure is either quoted in ``stats/PROVENANCE.md`` or recomputed here with plain
``csv`` / ``pyarrow`` code, independently of ``etl.readers`` and of the parsers. The bad-input
tests build small files in ``tmp_path``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import statistics
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl import registry
from etl.contract import OBS_COLUMNS, STATUSES, RawDataError

GOSB = [
    *("94001", "94003", "94016", "94021", "94022", "94034", "94037", "94038", "94041", "94043", "94054"),
    *("94065", "94073", "94074", "94076", "94077", "94078", "94081"),
    *("91027", "91326", "91432", "91479", "91589", "91687"),
]
SCOPE = ("75", "91", "92", "93", "94", "95")
SOURCES = (
    "sdes_rpls_2024",
    "france_travail_defm",
    "urssaf_effectifs",
    "sdes_sitadel",
    "dvf_communes",
    "arcep_ftth",
)
_CACHE: dict[str, object] = {}


def spec(sid: str) -> registry.SourceSpec:
    return registry._load_source(registry.SOURCES_DIR / f"{sid}.yaml")


def files_of(sid: str, raw_dir: Path) -> dict[str, Path]:
    return {f.key: raw_dir / f.path for f in spec(sid).files}


def run(sid: str, raw_dir: Path):
    if sid not in _CACHE:
        _CACHE[sid] = spec(sid).parser()(files_of(sid, raw_dir), spec(sid))
    return _CACHE[sid]


def value(res, code: str, var: str, year: int, month: int = 0) -> float:
    o = res.observations
    row = o.loc[(o["code"] == code) & (o["variable"] == var) & (o["year"] == year) & (o["month"] == month)]
    assert len(row) == 1, (code, var, year, month)
    return float(row["value"].iloc[0])


def total(res, codes, var: str, year: int, month: int = 0) -> float:
    o = res.observations
    sel = o.loc[o["code"].isin(codes) & (o["variable"] == var) & (o["year"] == year) & (o["month"] == month)]
    assert sel["code"].nunique() == len(set(codes)) and len(sel) == len(set(codes))
    return float(sel["value"].sum())


def rows(path: Path, skip: int = 0) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()[skip:]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


# ----------------------------------------------------------------------------- contract, all sources


@pytest.mark.parametrize("sid", SOURCES)
def test_contract_and_declarations(sid: str, raw_dir: Path) -> None:
    res = run(sid, raw_dir)
    o = res.observations
    assert list(o.columns) == OBS_COLUMNS and not o.empty
    assert set(o["variable"]) <= set(registry.variables()), "every variable is declared"
    assert set(o["status"]) <= set(STATUSES)
    assert o.duplicated(["code", "variable", "year", "month"]).sum() == 0
    nan_ok = o["status"].isin(["secret", "missing"])
    assert o.loc[nan_ok, "value"].isna().all() and o.loc[~nan_ok, "value"].notna().all()
    communes = o.loc[o["code"].str.fullmatch(r"\d{5}"), "code"]
    assert communes.str[:2].isin(SCOPE).all()
    assert set(res.rows_read) == {f.key for f in spec(sid).files}
    for f in spec(sid).files:  # declared checksums are those of the mirror
        assert hashlib.sha256((raw_dir / f.path).read_bytes()).hexdigest() == f.sha256
        # issue #11: a producer's URL, or no URL and a note saying why (never a third-party copy)
        assert (f.url and not f.url.startswith("https://raw.githubusercontent.com/")) or f.url_note


# ----------------------------------------------------------------------------- RPLS


def test_rpls_stock_and_vacancy_formula(raw_dir: Path) -> None:
    res = run("sdes_rpls_2024", raw_dir)
    f = files_of("sdes_rpls_2024", raw_dir)
    main = {r["DEPCOM_ARM"]: r for r in rows(f["main"])}
    det = {r["DEPCOM_ARM"]: r for r in rows(f["detail"])}
    assert value(res, "94081", "ls_nb", 2024) == 13895 == int(main["94081"]["nb_ls"])
    assert value(res, "94041", "ls_nb", 2024) == 11948
    assert total(res, GOSB, "ls_nb", 2024) == 105868 == sum(int(main[c]["nb_ls"]) for c in GOSB)
    arr = [f"751{i:02d}" for i in range(1, 21)]
    assert total(res, arr, "ls_nb", 2024) == 245752
    assert "75056" not in set(res.observations["code"])
    assert set(res.observations["cog"]) == {2024}
    # vacancy aggregates exactly from the counts: GOSB rate recomputed from the raw detail file
    v = sum(int(det[c]["nb_vacants"]) for c in GOSB)
    lv = sum(int(det[c]["nb_loues"]) + int(det[c]["nb_vacants"]) for c in GOSB)
    assert total(res, GOSB, "ls_vacants", 2024) / (
        total(res, GOSB, "ls_loues", 2024) + total(res, GOSB, "ls_vacants", 2024)
    ) == pytest.approx(v / lv)
    vitry = det["94081"]
    expected = 100 * int(vitry["nb_vacants"]) / (int(vitry["nb_loues"]) + int(vitry["nb_vacants"]))
    assert value(res, "94081", "ls_tx_vac", 2024) == pytest.approx(expected, abs=1e-4)
    assert "rate_formula_mismatch" not in set(res.flags["kind"])


def test_rpls_unpublished_detail_is_missing_not_zero(raw_dir: Path) -> None:
    res = run("sdes_rpls_2024", raw_dir)
    det = {r["DEPCOM_ARM"]: r for r in rows(files_of("sdes_rpls_2024", raw_dir)["detail"])}
    empty = sorted(c for c, r in det.items() if c[:2] in SCOPE and r["nb_loues"] == "")
    assert empty and "91035" in empty
    o = res.observations
    sel = o.loc[o["code"].isin(empty) & (o["variable"] == "ls_loues")]
    assert (sel["status"] == "missing").all() and sel["value"].isna().all()
    assert set(res.flags.loc[res.flags["kind"] == "detail_not_published", "code"]) == set(empty)


# ----------------------------------------------------------------------------- France Travail


def test_defm_gosb_and_saint_denis_split(raw_dir: Path) -> None:
    res = run("france_travail_defm", raw_dir)
    raw = rows(files_of("france_travail_defm", raw_dir)["main"])
    dec24 = [r for r in raw if r["YEAR"] == "decembre_2024"]
    assert total(res, GOSB, "defm_abc", 2024, 12) == 69180 == total(res, GOSB, "defm_abc_dec", 2024)
    sd = sorted({int(r["Demandeurs_Emploi"]) for r in dec24 if r["codgeo"] == "93066"})
    assert len(sd) == 2
    assert value(res, "93066", "defm_abc", 2024, 12) == sd[1]
    assert value(res, "93059", "defm_abc", 2024, 12) == sd[0]
    # the department-93 row = all 40 communes of 93 (to the rounding to tens)
    c93 = res.observations.query(
        "variable == 'defm_abc' and year == 2024 and month == 12 and code.str.startswith('93')"
    )
    assert c93["code"].nunique() == 40
    assert abs(c93["value"].sum() - value(res, "D93", "defm_abc", 2024, 12)) <= 200
    assert "miscoded_commune" in set(res.flags["kind"])
    assert set(res.observations["cog"]) == {2024}


def test_defm_duplicates_absent_communes_and_annual_mean(raw_dir: Path) -> None:
    res = run("france_travail_defm", raw_dir)
    raw = rows(files_of("france_travail_defm", raw_dir)["main"])
    vitry24 = [
        int(r["Demandeurs_Emploi"]) for r in raw if r["codgeo"] == "94081" and r["YEAR"].endswith("2024")
    ]
    assert len(vitry24) == 12
    assert value(res, "94081", "defm_abc_moy", 2024) == pytest.approx(statistics.mean(vitry24))
    o = res.observations
    assert len(o.loc[(o["code"] == "92060") & (o["variable"] == "defm_abc")]) == 60
    assert res.flags.loc[res.flags["kind"] == "duplicate_rows", "code"].tolist() == ["92060"]
    for absent in ("92047", "94047", "94048", "94053", "94056", "94070"):  # < 5 000 inhabitants
        assert absent not in set(o["code"])
    assert value(res, "D75", "defm_abc", 2024, 12) == value(res, "75056", "defm_abc", 2024, 12)
    assert (o.loc[o["variable"] == "defm_abc_moy", "status"] == "derived").all()


# ----------------------------------------------------------------------------- URSSAF


def test_urssaf_figures_and_supra_rows(raw_dir: Path) -> None:
    res = run("urssaf_effectifs", raw_dir)
    t = pq.read_table(files_of("urssaf_effectifs", raw_dir)["main"]).to_pylist()
    com = {(r["code"], r["year"]): r["eff_total"] for r in t if r["echelon"] == "communes"}
    pub = {(r["echelon"], r["code"], r["year"]): r["eff_total"] for r in t if r["echelon"] != "communes"}
    assert value(res, "94081", "eff_sal_priv", 2014) == 22460
    assert value(res, "94081", "eff_sal_priv", 2024) == 21693
    assert total(res, GOSB, "eff_sal_priv", 2024) == 241938 == sum(com[(c, 2024)] for c in GOSB)
    for year in range(2014, 2025):
        d94 = sum(v for (c, y), v in com.items() if c.startswith("94") and y == year)
        assert d94 == pub[("dep", "94", year)] == value(res, "D94", "eff_sal_priv", year)
        # Paris = 20 arrondissements + residual 75056 row; D75 says the same
        paris = sum(v for (c, y), v in com.items() if c.startswith("75") and y == year)
        assert value(res, "75056", "eff_sal_priv", year) == paris == pub[("dep", "75", year)]
        # D93 / MGP rows of the file miss 93059: emitted corrected
        d93 = sum(v for (c, y), v in com.items() if c.startswith("93") and y == year)
        assert (
            value(res, "D93", "eff_sal_priv", year) == d93 == pub[("dep", "93", year)] + com[("93059", year)]
        )
    assert value(res, "MGP", "eff_sal_priv", 2014) == 3181974
    assert value(res, "FR", "eff_sal_priv", 2024) == 19995376
    o = res.observations
    assert (o.loc[o["code"] == "75056", "status"] == "derived").all()
    assert o.loc[o["code"] == "MGP", "status"].eq("derived").all()
    assert {"paris_residual_added", "supra_missing_merged_commune"} <= set(res.flags["kind"])


# ----------------------------------------------------------------------------- Sitadel


def test_sitadel_gosb_paris_and_missing_2024(raw_dir: Path) -> None:
    res = run("sdes_sitadel", raw_dir)
    t = pq.read_table(files_of("sdes_sitadel", raw_dir)["main"]).to_pylist()
    tous = {(r["code_com"], r["annee"]): r for r in t if r["type_lgt"] == "Tous"}
    assert total(res, GOSB, "log_aut", 2022) == 7550 == sum(tous[(c, 2022)]["log_aut"] for c in GOSB)
    assert total(res, GOSB, "log_com", 2023) == sum(tous[(c, 2023)]["log_com"] for c in GOSB) == 4457
    assert value(res, "94041", "log_aut", 2022) == 1898  # PROVENANCE
    types = ("indiv_pur", "indiv_groupe", "collectif", "residence")
    assert sum(value(res, "94041", f"log_aut_{t}", 2022) for t in types) == 1898
    o = res.observations
    com24 = o.loc[o["variable"].str.startswith(("log_com", "sdp_com")) & (o["year"] == 2024)]
    assert not com24.empty and (com24["status"] == "missing").all() and com24["value"].isna().all()
    assert (o.loc[(o["variable"] == "log_aut") & (o["year"] == 2024), "status"] == "ok").all()
    assert "zero_as_missing" in set(res.flags["kind"])
    arr = [f"751{i:02d}" for i in range(1, 21)]
    for year in (2011, 2017, 2024):
        assert total(res, arr, "log_aut", year) == value(res, "75056", "log_aut", year)
    assert "paris_mismatch" not in set(res.flags["kind"])
    assert not o["code"].str[:2].isin(["77", "78"]).any()
    assert dict(o.groupby("year")["cog"].first()) == {
        y: 2017 if y <= 2018 else 2018 if y == 2019 else 2023 for y in range(2011, 2025)
    }


# ----------------------------------------------------------------------------- DVF


def test_dvf_prices_and_sales_weighted_mean(raw_dir: Path) -> None:
    res = run("dvf_communes", raw_dir)
    f = files_of("dvf_communes", raw_dir)
    assert round(value(res, "94081", "dvf_prixm2_moyen", 2014)) == 3773
    assert round(value(res, "75056", "dvf_prixm2_moyen", 2014)) == 8180
    for year, expected in ((2014, 3753), (2019, 4023), (2023, 4452), (2024, 4178)):
        raw = [r for r in rows(f[f"y{year}"]) if r["INSEE_COM"] in GOSB]
        n_col = "Nb_mutations" if "Nb_mutations" in raw[0] else "nb_mutations"
        n = sum(int(r[n_col]) for r in raw)
        indep = sum(float(r["Prixm2Moyen"]) * int(r[n_col]) for r in raw) / n
        got = total(res, GOSB, "dvf_prixm2_pond", year) / total(res, GOSB, "dvf_mutations", year)
        assert got == pytest.approx(indep) and round(got) == expected
    assert total(res, GOSB, "dvf_mutations", 2014) == 4833
    o = res.observations
    vol = o.loc[o["variable"].isin(["dvf_mutations", "dvf_maisons", "dvf_apparts"])]
    assert set(vol.loc[vol["year"].isin([2014, 2017, 2018]), "status"]) == {"suspect"}
    assert set(vol.loc[~vol["year"].isin([2014, 2017, 2018]), "status"]) == {"ok"}
    assert "swapped_columns" in set(res.flags.loc[res.flags["year"] == 2024, "kind"])
    assert dict(o.groupby("year")["cog"].first()) == {**{y: 2023 for y in range(2014, 2024)}, 2024: 2024}


# ----------------------------------------------------------------------------- ARCEP


def _arcep_number(text: str) -> int:
    text = text.replace("\u00a0", "").strip()
    return 0 if text == "-" else int(text)


def test_arcep_coverage(raw_dir: Path) -> None:
    res = run("arcep_ftth", raw_dir)
    f = files_of("arcep_ftth", raw_dir)
    com = {r["Code commune"]: r for r in rows(f["communes"], skip=4)}
    denom = sum(_arcep_number(com[c]["Logements"]) + _arcep_number(com[c]["Établissements"]) for c in GOSB)
    assert denom == 318342
    assert (
        total(res, GOSB, "arcep_logements", 2018, 3) + total(res, GOSB, "arcep_etablissements", 2018, 3)
        == denom
    )
    assert total(res, GOSB, "ftth_locaux", 2018, 3) == 112674
    assert total(res, GOSB, "ftth_locaux", 2017, 9) == 88027
    assert value(res, "75056", "ftth_locaux", 2018, 3) == 1484108
    assert value(res, "94081", "ftth_locaux", 2018, 3) == 1979
    o = res.observations
    assert set(o.loc[o["variable"] == "ftth_categorie", "value"]) <= {0, 5, 10, 25, 50, 80}
    assert set(zip(o["year"], o["month"], strict=True)) == {(2017, 9), (2017, 12), (2018, 3)}
    assert set(o["cog"]) == {2018}


# ----------------------------------------------------------------------------- bad input


def _write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def test_missing_column_is_named(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.csv",
        "REG,DEP,DEPCOM_ARM,LIBCOM,densite,nb_ls,tx_mob\n11,94,94081,Vitry,36.07,13895,5.2\n",
    )
    det = _write(tmp_path / "det.csv", "DEPCOM_ARM,nb_ls\n94081,13895\n", bom=True)
    with pytest.raises(RawDataError) as exc:
        spec("sdes_rpls_2024").parser()({"main": main, "detail": det}, spec("sdes_rpls_2024"))
    assert exc.value.field == "tx_vac" and exc.value.file.endswith("main.csv")


def test_non_numeric_value_names_file_line_field(tmp_path: Path) -> None:
    text = "codgeo,YEAR,Demandeurs_Emploi\n94081,janvier_2024,9400\n94081,fevrier_2024,94OO\n"
    path = _write(tmp_path / "defm.csv", text)
    with pytest.raises(RawDataError) as exc:
        spec("france_travail_defm").parser()({"main": path}, spec("france_travail_defm"))
    err = exc.value
    assert err.file.endswith("defm.csv") and err.line == 3 and err.field == "Demandeurs_Emploi"


def test_unexplained_conflicting_values_are_an_error(tmp_path: Path) -> None:
    text = "codgeo,YEAR,Demandeurs_Emploi\n94081,janvier_2024,9400\n94041,janvier_2024,6000\n94081,janvier_2024,9410\n"
    path = _write(tmp_path / "defm.csv", text)
    with pytest.raises(RawDataError) as exc:
        spec("france_travail_defm").parser()({"main": path}, spec("france_travail_defm"))
    assert exc.value.line == 4 and exc.value.field == "codgeo"


def test_wrong_parquet_column_type(tmp_path: Path) -> None:
    table = pa.table(
        {
            "code": ["94081"],
            "echelon": ["communes"],
            "year": ["2014"],
            "eff_total": pa.array([22460], pa.int32()),
        }
    )
    path = tmp_path / "urssaf.parquet"
    pq.write_table(table, path)
    with pytest.raises(RawDataError) as exc:
        spec("urssaf_effectifs").parser()({"main": path}, spec("urssaf_effectifs"))
    assert exc.value.field == "year" and exc.value.file.endswith("urssaf.parquet")


def test_parquet_bad_value_names_row(tmp_path: Path) -> None:
    table = pa.table(
        {
            "code": ["94081", "9408"],
            "echelon": ["communes", "communes"],
            "year": pa.array([2014, 2014], pa.int32()),
            "eff_total": pa.array([22460, 5], pa.int32()),
        }
    )
    path = tmp_path / "urssaf.parquet"
    pq.write_table(table, path)
    with pytest.raises(RawDataError) as exc:
        spec("urssaf_effectifs").parser()({"main": path}, spec("urssaf_effectifs"))
    assert exc.value.line == 2 and exc.value.field == "code"


@pytest.mark.parametrize("content", [b"", b"\n\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    ftth = tmp_path / "ftth.csv"
    ftth.write_bytes(content)
    with pytest.raises(RawDataError, match="empty"):
        spec("arcep_ftth").parser()({"ftth": ftth, "communes": ftth}, spec("arcep_ftth"))
    empty_pq = tmp_path / "empty.parquet"
    empty_pq.write_bytes(b"")
    with pytest.raises(RawDataError):
        spec("sdes_sitadel").parser()({"main": empty_pq}, spec("sdes_sitadel"))


def test_dvf_superset_and_layouts(tmp_path: Path, raw_dir: Path) -> None:
    """A national-style file (extra department, empty code row) is accepted; a bad number is not."""
    real = files_of("dvf_communes", raw_dir)
    files = dict(real)
    text = real["y2024"].read_text(encoding="utf-8")
    extra = "01001,2024,4,4,0,0,100,234500,1242,172\n,2024,1,1,0,100,0,1000,10,100\n"
    files["y2024"] = _write(tmp_path / "dvf2024.csv", text + extra)
    res = spec("dvf_communes").parser()(files, spec("dvf_communes"))
    assert "01001" not in set(res.observations["code"])
    assert "empty_code" in set(res.flags["kind"])
    bad = text.replace("75056,2024,24246", "75056,2024,24x46", 1)
    files["y2024"] = _write(tmp_path / "dvf2024.csv", bad)
    with pytest.raises(RawDataError) as exc:
        spec("dvf_communes").parser()(files, spec("dvf_communes"))
    assert (
        exc.value.line == 2 and exc.value.field == "nb_mutations" and exc.value.file.endswith("dvf2024.csv")
    )


def test_rpls_files_must_agree_on_the_stock(tmp_path: Path) -> None:
    main = _write(
        tmp_path / "main.csv",
        "REG,DEP,DEPCOM_ARM,LIBCOM,densite,nb_ls,tx_vac,tx_mob\n11,94,94081,Vitry,36.07,13895,4.0659,5.214\n",
    )
    det = _write(
        tmp_path / "det.csv",
        "DEPCOM_ARM,LIBCOM_DEP,LIBCOM,nb_loues,nb_vacants,nb_vides,nb_asso,nb_occup_finan,nb_occup_temp,nb_ls\r\n"
        "94081,Vitry (94),Vitry,13000,500,95,100,100,99,13894\r\n",
        bom=True,
    )
    with pytest.raises(RawDataError) as exc:
        spec("sdes_rpls_2024").parser()({"main": main, "detail": det}, spec("sdes_rpls_2024"))
    assert exc.value.file.endswith("det.csv") and exc.value.line == 2 and exc.value.field == "nb_ls"


def test_urssaf_accepts_a_superset(tmp_path: Path, raw_dir: Path) -> None:
    """Other departments and echelons of the national file are ignored."""
    real = pq.read_table(files_of("urssaf_effectifs", raw_dir)["main"])
    extra = pa.table(
        {
            "code": ["01001", "13", "T12"],
            "echelon": ["communes", "dep", "ept"],
            "year": pa.array([2014] * 3, pa.int32()),
            "eff_total": pa.array([10, 20, 30], pa.int32()),
            "indice_fr_2014": [0.0, 0.0, 0.0],
        }
    )
    path = tmp_path / "national.parquet"
    pq.write_table(pa.concat_tables([real, extra.cast(real.schema)]), path)
    res = spec("urssaf_effectifs").parser()({"main": path}, spec("urssaf_effectifs"))
    assert res.rows_read == {"main": real.num_rows + 3}
    assert res.observations.equals(run("urssaf_effectifs", raw_dir).observations)
