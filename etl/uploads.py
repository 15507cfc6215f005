"""Officer uploads of new official raw files, read by the ETL's own parsers.

An officer uploads a new release of a declared source's file (e.g. next year's France Travail
extract). The upload becomes a *layer* over that source, ``<source>__u<sha>``:

* it is read by the declared source's parser, with the uploaded file in place of the declared
  one (the source's other files unchanged), so the ETL's schemas validate it;
* only the slices (variable, year, month) that are new or different from what the declared file
  gives are emitted, so the layer brings the new vintage and the revisions and nothing else, and
  each slice stays whole (sums such as Paris = 20 arrondissements are never half-updated);
* its priority is the declared source's plus one: where both give a value, the newer file wins
  (the disagreement is recorded as a quality flag by the core).

Published uploads are stored under ``<data dir>/uploads/<source>/<sha256><ext>``, recorded in the
``data_upload`` table, and re-read by every later ETL run through ``with_uploads`` (the hook the
pipeline calls), so they survive reloads; the upload being published is passed to the run
explicitly (``etl.pipeline.run(settings, uploads={id})``). ``check`` validates a file without
writing anything, through the ETL's per-source step (``etl.steps``), as a run would read it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from etl import registry, steps
from etl.config import Settings
from etl.contract import FLAG_COLUMNS, ParseResult, RawDataError
from etl.fetch import FetchedFile, fetch, sha256_of
from etl.registry import FileSpec, SourceSpec
from etl.steps import is_geography

log = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"
PUBLISHED, PUBLISHING, FAILED, WITHDRAWN = "published", "publishing", "failed", "withdrawn"
SLICE = ["variable", "year", "month"]


def uploads_root(settings: Settings) -> Path:
    """``<data dir>/uploads``: the only folder uploads are written to."""
    return (settings.data_dir / UPLOADS_DIR).resolve()


def upload_source_id(template_id: str, sha: str) -> str:
    """Id of the layer source (fits ``source.id``, 60 characters)."""
    return f"{template_id[:44]}__u{sha[:12]}"


def statistical_sources() -> dict[str, SourceSpec]:
    """Declared sources an upload may renew (not the map)."""
    return {sid: s for sid, s in registry.sources().items() if not is_geography(s)}


@dataclass(frozen=True)
class UploadSpec(SourceSpec):
    """A declared source with one file replaced by an officer's upload (see the module doc)."""

    template_id: str = ""
    upload_key: str = ""
    settings: Settings | None = field(default=None, compare=False, repr=False)

    def parser(self) -> Any:
        return partial(_layered_parse, self)


def make_spec(
    template: SourceSpec,
    file_key: str,
    path: Path,
    sha: str,
    vintage: str,
    uploaded_at: datetime,
    settings: Settings,
) -> UploadSpec:
    """The layer source of an upload of ``file_key`` of ``template``."""
    if file_key not in {f.key for f in template.files}:
        raise RawDataError(path, f"source {template.id} has no file {file_key!r}")
    day = uploaded_at.date().isoformat()
    files = tuple(
        FileSpec(key=f.key, path=str(path), url=None, sha256=sha, description=f"officer upload of {day}")
        if f.key == file_key
        else f
        for f in template.files
    )
    return UploadSpec(
        id=upload_source_id(template.id, sha),
        title_fr=f"{template.title_fr} — millésime {vintage} (fichier importé le {day})",
        title_en=f"{template.title_en} — {vintage} release (file imported on {day})",
        producer=template.producer,
        dataset=template.dataset,
        vintage=vintage,
        licence=template.licence,
        licence_url=template.licence_url,
        page_url=template.page_url,
        credit_fr=f"{template.credit_fr} (millésime {vintage})",
        credit_en=f"{template.credit_en} ({vintage} release)",
        files=files,
        priority=template.priority + 1,
        notes=(
            f"Official file imported through the officers' workspace on {day} (sha256 {sha}), "
            f"read by the parser of {template.id}; only what differs from {template.id} is kept."
        ),
        extra=dict(template.extra),
        template_id=template.id,
        upload_key=file_key,
        settings=settings,
    )


def _slice_signature(obs: pd.DataFrame) -> pd.DataFrame:
    cols = ["code", *SLICE, "value", "status", "cog"]
    frame = obs[[c for c in cols if c in obs.columns]].reset_index(drop=True)
    hashed = pd.util.hash_pandas_object(frame, index=False)
    return (
        frame[SLICE]
        .assign(_h=hashed.to_numpy())
        .groupby(SLICE, as_index=False)
        .agg(_sum=("_h", "sum"), _n=("_h", "size"))
    )


def changed_slices(new: pd.DataFrame, old: pd.DataFrame) -> pd.Series:
    """Mask of ``new`` rows whose whole (variable, year, month) slice is absent from or differs in ``old``."""
    if new.empty:
        return pd.Series(False, index=new.index)
    sig = _slice_signature(new).merge(_slice_signature(old), on=SLICE, how="left", suffixes=("", "_old"))
    changed = sig.loc[(sig["_sum"] != sig["_sum_old"]) | (sig["_n"] != sig["_n_old"]), SLICE]
    keys = pd.MultiIndex.from_frame(changed)
    return pd.Series(new.set_index(SLICE).index.isin(keys), index=new.index)


def _layered_parse(
    spec: UploadSpec, files: Mapping[str, Path], _source: SourceSpec | None = None
) -> ParseResult:
    """Parse the upload and the declared file with the declared parser; keep what changed."""
    template = registry.sources()[spec.template_id]
    parse = template.parser()
    new = parse(dict(files), template)
    declared = next(f for f in template.files if f.key == spec.upload_key)
    settings = spec.settings or Settings.from_env()
    old = parse({**files, spec.upload_key: fetch(declared, settings).path}, template)
    keep = changed_slices(new.observations, old.observations)
    old_flags = set(map(tuple, old.flags.reindex(columns=FLAG_COLUMNS).astype(str).to_numpy()))
    new_flags = new.flags.reindex(columns=FLAG_COLUMNS)
    fresh = [tuple(r) not in old_flags for r in new_flags.astype(str).to_numpy()]
    return ParseResult(
        observations=new.observations.loc[keep].reset_index(drop=True),
        flags=new_flags.loc[fresh].reset_index(drop=True),
        rows_read={spec.upload_key: new.rows_read.get(spec.upload_key, sum(new.rows_read.values()))},
        extra={**new.extra, "slices_total": int(new.observations[SLICE].drop_duplicates().shape[0])},
    )


# -- the pipeline hook -----------------------------------------------------------------------------
def with_uploads(
    specs: Mapping[str, SourceSpec],
    engine: sa.Engine,
    settings: Settings,
    include: Collection[int] = (),
) -> dict[str, SourceSpec]:
    """The declared sources plus one layer source per published upload (newest first), and per
    upload of ``include`` (those a publication is publishing, given to ``run`` explicitly).

    The pipeline calls this right after ``registry.sources()``. A published upload whose file is
    missing stops the run (figures must not silently change): restore ``data/uploads`` from the
    backup or withdraw the upload (``python -m workspace uploads withdraw ID``).
    """
    from etl.store.schema import data_upload

    out = dict(specs)
    if not sa.inspect(engine).has_table("data_upload"):
        return out
    u = data_upload.c
    wanted = sa.or_(u.status == PUBLISHED, u.id.in_(sorted(include) or [-1]))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(data_upload).where(wanted).order_by(u.uploaded_at.desc(), u.id.desc())
        ).all()
    root = uploads_root(settings)
    for row in rows:
        template = specs.get(row.source_id)
        if template is None or is_geography(template):
            log.warning("upload %s: source %s is no longer declared; skipped", row.id, row.source_id)
            continue
        path = (settings.data_dir / row.stored_path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise RawDataError(
                path,
                f"published upload #{row.id} ({row.source_id}) is missing: restore "
                f"{UPLOADS_DIR}/ from the backup or run: python -m workspace uploads withdraw {row.id}",
            )
        uploaded = row.uploaded_at if row.uploaded_at.tzinfo else row.uploaded_at.replace(tzinfo=UTC)
        spec = make_spec(template, row.file_key, path, row.sha256, row.vintage, uploaded, settings)
        out[spec.id] = spec
    return out


# -- validation without writing --------------------------------------------------------------------
@dataclass
class Checked:
    """A validated upload: its layer's observations on the current map, ready to compare."""

    spec: UploadSpec
    sha256: str
    size: int
    rows_read: int
    observations: pd.DataFrame  # harmonised (COG 2025), as the pipeline would load them
    flags: pd.DataFrame
    slices_total: int


def check(template_id: str, file_key: str, path: Path, settings: Settings, vintage: str = "") -> Checked:
    """Validate an uploaded file exactly as an ETL run would, without writing anything.

    Raises ``RawDataError`` naming the file, line and field when the file does not match the
    declared source's schema, or when it brings nothing new.
    """
    sources = statistical_sources()
    if template_id not in sources:
        raise RawDataError(path, f"{template_id!r} is not a declared statistical source")
    template = sources[template_id]
    sha = sha256_of(path)
    declared = {f.key: f for f in template.files}
    if file_key not in declared:
        raise RawDataError(path, f"source {template_id} has no file {file_key!r}")
    if declared[file_key].sha256 == sha:
        raise RawDataError(path, "this file is the one already declared for this source: nothing new")
    spec = make_spec(template, file_key, path, sha, vintage or "?", datetime.now(UTC), settings)
    fetched = {
        f.key: (
            FetchedFile(f, path, sha, path.stat().st_size, "upload")
            if f.key == file_key
            else fetch(f, settings)
        )
        for f in spec.files
    }
    out = steps.run_source(spec, settings, steps.reference(settings), files=fetched)
    if out.observations.empty:
        raise RawDataError(
            path, "the file gives exactly the same figures as the declared one: nothing to publish"
        )
    return Checked(
        spec,
        sha,
        path.stat().st_size,
        sum(out.rows_read.values()),
        out.observations.reset_index(drop=True),
        out.flags,
        int(out.extra.get("slices_total", 0)),
    )
