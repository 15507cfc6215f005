"""The real pipeline on the real raw files: figures checked against independent computations,
idempotence, provenance; the bad-input cases, each on the per-source step that reads the damaged
file (``etl.steps``, seconds), and one failed full run that must leave the store as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl import registry, steps
from etl.config import Settings
from etl.contract import RawDataError
from etl.store import schema

REPO = Path(__file__).resolve().parents[2]
GOSB = [
    "94001",
    "94003",
    "94016",
    "94021",
    "94022",
    "94034",
    "94037",
    "94038",
    "94041",
    "94043",
    "94054",
    "94065",
    "94073",
    "94074",
    "94076",
    "94077",
    "94078",
    "94081",
    "91027",
    "91326",
    "91432",
    "91479",
    "91589",
    "91687",
]


def _rp2022(raw_dir: Path) -> dict[str, dict[str, str]]:
    """The RP2022 comparateur rows, read with the csv module (independent of the ETL)."""
    path = raw_dir / "stats/insee_comparateur/base_cc_comparateur_RP2022_MGP131.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["CODGEO"]: r for r in csv.DictReader(fh, delimiter=";")}


def _value(engine: sa.Engine, code: str, variable: str, year: int, month: int = 0) -> float | None:
    o = schema.observation.c
    with engine.connect() as conn:
        return conn.execute(
            sa.select(o.value).where(o.code == code, o.variable == variable, o.year == year, o.month == month)
        ).scalar()


def _members(engine: sa.Engine, group: str, vintage: int = 2025) -> list[str]:
    m = schema.territory_member.c
    with engine.connect() as conn:
        return list(
            conn.execute(
                sa.select(m.member_code).where(m.group_code == group, m.geo_vintage == vintage)
            ).scalars()
        )


def _fingerprint(url: str) -> str:
    """A digest of every ETL table's content, to prove a failed run changed nothing."""
    engine = sa.create_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in schema.ETL_TABLES:
            cols = [c for c in table.columns]
            for row in conn.execute(sa.select(*cols).order_by(*cols)):
                digest.update(repr(tuple(row)).encode())
    engine.dispose()
    return digest.hexdigest()


def test_territory_counts(store_engine: sa.Engine) -> None:
    assert len(_members(store_engine, "MGP", 2025)) == 130
    assert len(_members(store_engine, "MGP", 2024)) == 131
    assert sorted(_members(store_engine, "T12")) == sorted(GOSB)
    counts = {f"T{i}": len(_members(store_engine, f"T{i}")) for i in range(1, 13)}
    assert counts == {
        "T1": 1,
        "T2": 11,
        "T3": 8,
        "T4": 11,
        "T5": 7,
        "T6": 8,
        "T7": 8,
        "T8": 9,
        "T9": 14,
        "T10": 13,
        "T11": 16,
        "T12": 24,
    }


def test_gosb_population_and_jobs_2022(store_engine: sa.Engine, raw_dir: Path) -> None:
    rows = _rp2022(raw_dir)
    expected_pop = sum(float(rows[c]["P22_POP"]) for c in GOSB)
    expected_jobs = sum(float(rows[c]["P22_EMPLT"]) for c in GOSB)
    got_pop = sum(_value(store_engine, c, "pop", 2022) for c in GOSB)
    got_jobs = sum(_value(store_engine, c, "emplt", 2022) for c in GOSB)
    assert round(got_pop) == round(expected_pop) == 725207
    assert round(got_jobs) == round(expected_jobs) == 285552


def test_merger_and_paris_rules(store_engine: sa.Engine, raw_dir: Path) -> None:
    # 2018 census (COG 2021): Pierrefitte 93059 is folded into Saint-Denis 93066
    with zipfile.ZipFile(raw_dir / "stats/insee_comparateur/base_cc_comparateur_RP2018_csv.zip") as zf:
        text = zf.read("base_cc_comparateur.CSV").decode("utf-8")
    rows = {r["CODGEO"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    expected = float(rows["93059"]["P18_POP"]) + float(rows["93066"]["P18_POP"])
    assert _value(store_engine, "93066", "pop", 2018) == pytest.approx(expected)
    assert _value(store_engine, "93059", "pop", 2018) is None
    # Paris is 75056, never 75056 + arrondissements
    assert _value(store_engine, "75056", "pop", 2018) == pytest.approx(float(rows["75056"]["P18_POP"]))
    assert _value(store_engine, "75056", "pop", 2021) == pytest.approx(2133111)  # sum of arrondissements


def test_provenance_recorded(store_engine: sa.Engine, raw_dir: Path) -> None:
    rf = schema.raw_file.c
    with store_engine.connect() as conn:
        files = conn.execute(sa.select(rf.path, rf.sha256, rf.size, rf.origin)).all()
        sources = conn.execute(sa.select(schema.source.c.id, schema.source.c.credit_fr)).all()
    assert len(files) >= 20
    for path, sha, size, origin in files:
        data = (raw_dir / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size and origin == "raw-dir"
    assert all(credit.startswith("Source :") for _, credit in sources)


def _copy_raw(raw_dir: Path, dest: Path) -> Path:
    shutil.copytree(raw_dir, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest


def _loaded_store(store_url: str, tmp_path: Path) -> str:
    src = Path(store_url[len("sqlite:///") :])
    dst = tmp_path / "observatoire.sqlite"
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:  # checkpoint the WAL so the copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    engine.dispose()
    shutil.copy(src, dst)
    return f"sqlite:///{dst}"


POP = "stats/insee_population/insee-estimation-population-2024.csv"
LOGT = "stats/insee_logement/base-cc-logement-2021_colsubset_dep75-91-92-93-94-95.CSV"


def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])  # cut in the middle of a line


def _drop_column(p: Path) -> None:
    p.write_text(p.read_text(encoding="utf-8").replace("P21_RP;", "P21_XX;", 1), encoding="utf-8")


def _non_numeric(p: Path) -> None:
    lines = p.read_text(encoding="utf-8").split("\n")
    fields = lines[5].split(";")
    fields[1] = "12a4"
    lines[5] = ";".join(fields)
    p.write_text("\n".join(lines), encoding="utf-8")


def _unknown_code(p: Path) -> None:
    lines = p.read_text(encoding="utf-8").split("\n")
    lines[5] = "99999" + lines[5][5:]
    p.write_text("\n".join(lines), encoding="utf-8")


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _latin1(p: Path) -> None:
    p.write_bytes(p.read_text(encoding="utf-8").replace("\n", " é\n", 3).encode("latin-1", "replace"))


@pytest.fixture(scope="module")
def step_ref(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> steps.Reference:
    """The current map and the declared variables, built once (the reference of every step)."""
    data = tmp_path_factory.mktemp("data")
    return steps.reference(Settings(database_url="sqlite://", data_dir=data, raw_dir=raw_dir))


def _with_file(raw_dir: Path, rel: str, dest: Path) -> tuple[registry.SourceSpec, Settings]:
    """The source reading ``rel``, and settings on a raw folder holding a copy of its files only."""
    spec = next(s for s in registry.sources().values() if rel in {f.path for f in s.files})
    for f in spec.files:
        (dest / f.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(raw_dir / f.path, dest / f.path)
    return spec, Settings(database_url="sqlite://", data_dir=dest.parent / "data", raw_dir=dest)


@pytest.mark.parametrize("rel", [POP, LOGT])
def test_step_reads_the_intact_files(raw_dir, tmp_path, step_ref, rel) -> None:
    spec, settings = _with_file(raw_dir, rel, tmp_path / "raw")
    out = steps.run_source(spec, settings, step_ref)
    assert len(out.observations) > 1000 and out.observations["code"].isin(GOSB).any()


@pytest.mark.parametrize(
    ("rel", "damage", "expect", "line", "field"),
    [
        (POP, _truncate, r"insee-estimation-population-2024\.csv", None, None),
        (LOGT, _drop_column, r"P21_RP", 1, "P21_RP"),
        (LOGT, _non_numeric, r"line 6", 6, "P21_LOG"),
        (LOGT, _unknown_code, r"99999", 6, "code"),
        (LOGT, _empty, r"empty", None, None),
        (LOGT, _latin1, r"utf-8|UTF-8", 1, None),
    ],
    ids=["truncated", "missing-column", "non-numeric", "unknown-code", "empty", "wrong-encoding"],
)
def test_bad_input_is_named_by_its_step(
    raw_dir, tmp_path, step_ref, rel, damage, expect, line, field
) -> None:
    """Each damaged file fails the step that reads it, with a message naming the file, and the
    line and the field where they are known."""
    spec, settings = _with_file(raw_dir, rel, tmp_path / "raw")
    damage(settings.raw_dir / rel)
    with pytest.raises(RawDataError, match=expect) as info:
        steps.run_source(spec, settings, step_ref)
    assert Path(rel).name in str(info.value)
    if line is not None:
        assert info.value.line == line
    if field is not None:
        assert info.value.field == field


def test_failed_full_run_changes_nothing(raw_dir: Path, store_url: str, tmp_path: Path) -> None:
    """End to end, once: ``etl run`` on a damaged file exits 2 with the file and field named (no
    traceback), records the run as failed and leaves every ETL table as it was."""
    url = _loaded_store(store_url, tmp_path)
    before = _fingerprint(url)
    bad_raw = _copy_raw(raw_dir, tmp_path / "raw")
    _drop_column(bad_raw / LOGT)
    out = subprocess.run(
        [sys.executable, "-m", "etl", "run", "--raw-dir", str(bad_raw)],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 2
    assert "P21_RP" in out.stderr and Path(LOGT).name in out.stderr and "Traceback" not in out.stderr
    assert _fingerprint(url) == before
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        status = conn.execute(
            sa.select(schema.load_run.c.status).order_by(schema.load_run.c.id.desc()).limit(1)
        ).scalar()
    engine.dispose()
    assert status == "failed"


def test_rerun_is_idempotent_and_cli_reports(raw_dir: Path, store_url: str, tmp_path: Path) -> None:
    url = _loaded_store(store_url, tmp_path)
    before = _strip_dates(url)
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert "observations" in out.stdout
    # a second run on the same files gives the same store (only load dates and run ids differ)
    assert _strip_dates(url) == before
    status = subprocess.run(
        [sys.executable, "-m", "etl", "status"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert status.returncode == 0 and "insee_comparateur_rp2022" in status.stdout


def _strip_dates(url: str) -> str:
    engine = sa.create_engine(url)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in schema.ETL_TABLES:
            cols = [c for c in table.columns if c.name not in {"loaded_at", "id"}]
            for row in conn.execute(sa.select(*cols).order_by(*cols)):
                digest.update(repr(tuple(row)).encode())
    engine.dispose()
    return digest.hexdigest()
