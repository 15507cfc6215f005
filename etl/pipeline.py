"""The ETL run: snapshot (fetch) -> clean (parse, validate, harmonise) -> publish (one transaction).

Nothing is written to the store until every source has been fetched, validated and harmonised:
a bad file stops the run with a message naming file, line and field, and the store keeps the
data it had.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine

from etl import harmonise, registry, steps
from etl import uploads as etl_uploads
from etl.config import Settings
from etl.contract import FLAG_COLUMNS
from etl.fetch import FetchedFile
from etl.steps import is_geography
from etl.store import db, load
from etl.store.lock import recover_interrupted, writer_lock

#: How long a run waits for another writer (a publication, another run) before giving up.
LOCK_WAIT_SECONDS = 900.0


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
    """The fetch part of every source's step, first: nothing is parsed until every file is here."""
    task = progress.add_task("Récupération des fichiers", total=len(specs))
    fetched: dict[str, dict[str, FetchedFile]] = {}
    for sid, spec in specs.items():
        progress.update(task, description=f"Récupération {sid}")
        fetched[sid] = steps.fetch_files(spec, settings)
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


def run(
    settings: Settings,
    console: Console | None = None,
    *,
    uploads: Collection[int] = (),
    lock_timeout: float = LOCK_WAIT_SECONDS,
) -> RunSummary:
    """Run the whole ETL into ``settings.database_url``; raise on the first bad input.

    Besides the published officer uploads, the run reads the ``uploads`` given (ids of
    ``data_upload`` rows a publication is publishing, not yet marked published).

    The run holds the store's writer lock (``etl.store.lock``) from before it reads the list of
    published uploads until its transaction commits: a concurrent publication or run waits for
    it (up to ``lock_timeout`` s, then ``LockBusy``) and never overwrites it.
    """
    engine = db.make_engine(settings.database_url)
    try:
        with writer_lock(settings.database_url, "an ETL run", lock_timeout):
            db.migrate(engine)
            # a run or publication left "running" by a killed process: failed, not running forever
            recover_interrupted(engine, frozenset(uploads))
            return _run_locked(settings, console or Console(stderr=True), engine, frozenset(uploads))
    finally:
        engine.dispose()


def _run_locked(settings: Settings, console: Console, engine: Engine, uploads: frozenset[int]) -> RunSummary:
    from etl import geography, geometry  # imported here: heavy (geopandas)

    t0 = time.perf_counter()
    summary = RunSummary(database=_safe_url(settings.database_url), started_at=datetime.now(UTC))
    run_id = load.start_run(engine)
    try:
        # declared sources, plus a layer per officer upload published through the workspace
        specs = etl_uploads.with_uploads(registry.sources(), engine, settings, include=uploads)
        variables = registry.variables()
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
            # codes of the current map, codes of older maps -> COG 2025 (93059 -> 93066 …)
            step_ref = steps.Reference(frozenset(ref.territories["code"]), ref.to_current(), variables)
            # smallest sources first: a bad small file fails the run in seconds, not after the big ones
            stat_ids = sorted(
                (sid for sid in specs if sid not in geo_ids),
                key=lambda sid: sum(f.size for f in fetched[sid].values()),
            )
            task = progress.add_task("Lecture et validation", total=len(stat_ids))
            frames, flags, rows_by_file = [], [], {}
            for sid in stat_ids:
                progress.update(task, description=f"Lecture {sid}")
                out = steps.run_source(specs[sid], settings, step_ref, files=fetched[sid])
                rows_by_file.update({(sid, k): n for k, n in out.rows_read.items()})
                src_flags = out.flags.assign(source_id=sid)
                frames.append((sid, specs[sid].priority, out.observations))
                flags.append(src_flags)
                summary.sources.append(
                    SourceReport(
                        sid, sum(out.rows_read.values()), len(out.observations), len(src_flags), out.seconds
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
