"""The ETL run: snapshot (fetch) -> clean (parse, validate, harmonise) -> publish (one transaction).

Nothing is written to the store until every source has been fetched, validated and harmonised:
a bad file stops the run with a message naming file, line and field, and the store keeps the
data it had.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine

from etl import harmonise, registry, uploads
from etl.config import Settings
from etl.contract import FLAG_COLUMNS, OBS_COLUMNS, ParseResult, RawDataError
from etl.fetch import FetchedFile, fetch
from etl.store import db, load
from etl.store.lock import recover_interrupted, writer_lock

#: How long a run waits for another writer (a publication, another run) before giving up.
LOCK_WAIT_SECONDS = 900.0


def is_geography(spec: registry.SourceSpec) -> bool:
    """Sources that describe the map (``kind: geography``), built by etl.geography / etl.geometry."""
    return spec.extra.get("kind") == "geography"


@dataclass
class SourceReport:
    """What one source contributed to a run."""

    source_id: str
    rows_read: int = 0
    observations: int = 0
    flags: int = 0
    seconds: float = 0.0


@dataclass
class RunSummary:
    """The one-screen summary of a run."""

    database: str
    started_at: datetime
    seconds: float = 0.0
    sources: list[SourceReport] = field(default_factory=list)
    observations: int = 0
    flags: int = 0
    territories: int = 0
    geometries: int = 0

    def as_dict(self) -> dict:
        return {
            "database": self.database,
            "started_at": self.started_at.isoformat(),
            "seconds": round(self.seconds, 2),
            "observations": self.observations,
            "flags": self.flags,
            "territories": self.territories,
            "geometries": self.geometries,
            "sources": [s.__dict__ for s in self.sources],
        }


def _fetch_all(specs: dict[str, registry.SourceSpec], settings: Settings, progress: Progress) -> dict:
    total = sum(len(s.files) for s in specs.values())
    task = progress.add_task("Récupération des fichiers", total=total)
    fetched: dict[str, dict[str, FetchedFile]] = {}
    for sid, spec in specs.items():
        fetched[sid] = {}
        for f in spec.files:
            progress.update(task, description=f"Récupération {sid}:{f.key}")
            fetched[sid][f.key] = fetch(f, settings)
            progress.advance(task)
    return fetched


def _geo_files(fetched: dict[str, dict[str, FetchedFile]], geo_ids: list[str]) -> dict[str, Path]:
    """All geography files, keyed ``<source_id>.<key>`` and by bare key when unambiguous."""
    out: dict[str, Path] = {}
    for sid in geo_ids:
        for key, ff in fetched.get(sid, {}).items():
            out[f"{sid}.{key}"] = ff.path
            out.setdefault(key, ff.path)
    return out


def _validate(
    result: ParseResult,
    spec: registry.SourceSpec,
    files: dict[str, FetchedFile],
    variables: dict[str, registry.VariableSpec],
    known: set[str],
    merges: dict[str, str],
) -> None:
    obs = result.observations
    label = ", ".join(str(f.path) for f in files.values())
    missing_cols = [c for c in OBS_COLUMNS if c not in obs.columns]
    if missing_cols:
        raise RawDataError(label, f"parser of {spec.id} returned no column(s) {missing_cols}")
    unknown_vars = sorted(set(obs["variable"]) - set(variables))
    if unknown_vars:
        raise RawDataError(
            label, f"variables not declared in etl/variables: {unknown_vars[:5]}", field="variable"
        )
    bad_status = harmonise.check_statuses(obs)
    if bad_status.any():
        raise RawDataError(label, f"invalid status {obs.loc[bad_status, 'status'].iloc[0]!r}", field="status")
    unknown = harmonise.check_codes(obs, known, merges)
    if unknown.any():
        code = obs.loc[unknown, "code"].iloc[0]
        path, line = _locate(code, files)
        n = obs.loc[unknown, "code"].nunique()
        if spec.extra.get("allow_unknown_codes"):
            result.flags = pd.concat(
                [
                    result.flags,
                    obs.loc[unknown, ["code", "variable", "year"]]
                    .drop_duplicates("code")
                    .assign(kind="unknown_code", message="code absent from COG 2025: row dropped"),
                ]
            )
            result.observations = obs.loc[~unknown]
            return
        raise RawDataError(
            path, f"unknown commune code {code!r} ({n} unknown code(s) in all)", line=line, field="code"
        )


def _checksum_flags(files: dict[str, FetchedFile]) -> pd.DataFrame:
    """Flag raw-dir files whose checksum differs from the declared one (a new release?)."""
    rows = [
        {
            "code": None,
            "variable": None,
            "year": None,
            "kind": "checksum_changed",
            "message": f"{ff.spec.path}: sha256 {ff.sha256} differs from the declared {ff.spec.sha256}",
        }
        for ff in files.values()
        if ff.spec.sha256 and ff.sha256 != ff.spec.sha256
    ]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


def _locate(code: str, files: dict[str, FetchedFile]) -> tuple[str, int | None]:
    """Find the first line of a text raw file where a code appears (for error messages)."""
    for ff in files.values():
        if ff.path.suffix.lower() not in {".csv", ".txt"}:
            continue
        with ff.path.open("rb") as fh:
            for i, line in enumerate(fh, start=1):
                if code.encode() in line:
                    return str(ff.path), i
    return ", ".join(str(f.path) for f in files.values()), None


def run(
    settings: Settings, console: Console | None = None, *, lock_timeout: float = LOCK_WAIT_SECONDS
) -> RunSummary:
    """Run the whole ETL into ``settings.database_url``; raise on the first bad input.

    The run holds the store's writer lock (``etl.store.lock``) from before it reads the list of
    published uploads until its transaction commits: a concurrent publication or run waits for
    it (up to ``lock_timeout`` s, then ``LockBusy``) and never overwrites it.
    """
    engine = db.make_engine(settings.database_url)
    try:
        with writer_lock(settings.database_url, "an ETL run", lock_timeout):
            db.migrate(engine)
            # a run or publication left "running" by a killed process: failed, not running forever
            recover_interrupted(engine, uploads.pending())
            return _run_locked(settings, console or Console(stderr=True), engine)
    finally:
        engine.dispose()


def _run_locked(settings: Settings, console: Console, engine: Engine) -> RunSummary:
    from etl import geography, geometry  # imported here: heavy (geopandas)

    t0 = time.perf_counter()
    summary = RunSummary(database=_safe_url(settings.database_url), started_at=datetime.now(UTC))
    run_id = load.start_run(engine)
    try:
        # declared sources, plus a layer per officer upload published through the workspace
        specs = uploads.with_uploads(registry.sources(), engine, settings)
        variables = registry.variables()
        additive = {v.id: v.additive for v in variables.values()}
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            fetched = _fetch_all(specs, settings, progress)
            task = progress.add_task("Géographie", total=None)
            geo_ids = [sid for sid, spec in specs.items() if is_geography(spec)]
            geo_files = _geo_files(fetched, geo_ids)
            ref = geography.build_reference(geo_files)
            geoms = geometry.build_geometries(geo_files, ref)
            progress.remove_task(task)
            known = set(ref.territories["code"])
            merges = ref.to_current()  # codes of older maps -> COG 2025 (93059 -> 93066 …)
            # smallest sources first: a bad small file fails the run in seconds, not after the big ones
            stat_ids = sorted(
                (sid for sid in specs if sid not in geo_ids),
                key=lambda sid: sum(f.size for f in fetched[sid].values()),
            )
            task = progress.add_task("Lecture et validation", total=len(stat_ids))
            frames, flags, rows_by_file = [], [], {}
            for sid in stat_ids:
                progress.update(task, description=f"Lecture {sid}")
                spec, t1 = specs[sid], time.perf_counter()
                files = fetched[sid]
                result = spec.parser()({k: f.path for k, f in files.items()}, spec)
                _validate(result, spec, files, variables, known, merges)
                rows_by_file.update({(sid, k): n for k, n in result.rows_read.items()})
                obs, f1 = harmonise.fold_merged_communes(result.observations, merges, additive)
                obs, f2 = harmonise.derive_paris(obs, additive)
                src_flags = pd.concat([result.flags, f1, f2, _checksum_flags(files)], ignore_index=True)
                src_flags = src_flags.assign(source_id=sid)
                frames.append((sid, spec.priority, obs))
                flags.append(src_flags)
                summary.sources.append(
                    SourceReport(
                        sid,
                        sum(result.rows_read.values()),
                        len(obs),
                        len(src_flags),
                        round(time.perf_counter() - t1, 2),
                    )
                )
                progress.advance(task)
            observations, f3 = harmonise.dedupe_by_priority(frames)
            flags.append(f3.assign(source_id="etl"))
            all_flags = pd.concat(flags, ignore_index=True)[[*FLAG_COLUMNS, "source_id"]]
            tables = _tables(specs, fetched, variables, ref, geoms, observations, all_flags, rows_by_file)
            task = progress.add_task("Écriture (une transaction)", total=None)
            load.replace_etl_tables(engine, tables)
            progress.remove_task(task)
        summary.observations, summary.flags = len(observations), len(all_flags)
        summary.territories, summary.geometries = len(ref.territories), len(geoms)
        summary.seconds = time.perf_counter() - t0
        load.finish_run(engine, run_id, "ok", summary.as_dict())
        return summary
    except BaseException as exc:
        load.finish_run(engine, run_id, "failed", {**summary.as_dict(), "error": str(exc)})
        raise


def _tables(
    specs, fetched, variables, ref, geoms, observations, flags, rows_by_file
) -> dict[str, pd.DataFrame]:  # noqa: ANN001
    now = datetime.now(UTC)
    sources = pd.DataFrame(
        [
            {
                k: getattr(s, k)
                for k in (
                    "id",
                    "title_fr",
                    "title_en",
                    "producer",
                    "dataset",
                    "vintage",
                    "licence",
                    "licence_url",
                    "page_url",
                    "credit_fr",
                    "credit_en",
                    "notes",
                )
            }
            for s in specs.values()
        ]
    )
    raw_files = pd.DataFrame(
        [
            {
                "source_id": sid,
                "file_key": key,
                "path": ff.spec.path,
                "url": ff.spec.url,
                "sha256": ff.sha256,
                "size": ff.size,
                "rows": rows_by_file.get((sid, key)),
                "origin": ff.origin,
                "loaded_at": now,
            }
            for sid, files in fetched.items()
            for key, ff in files.items()
        ]
    )
    variables_df = pd.DataFrame([v.__dict__ for v in variables.values()])
    return {
        "territory": ref.territories,
        "territory_member": ref.members,
        "territory_geometry": geoms,
        "variable": variables_df,
        "source": sources,
        "raw_file": raw_files,
        "observation": observations,
        "quality_flag": flags,
    }


def _safe_url(url: str) -> str:
    """The database URL without its password, for logs and summaries."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
