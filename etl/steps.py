"""The per-source step of the ETL: fetch → parse → validate → harmonise, for one source.

The full run (``etl.pipeline``, once per statistical source) and officer uploads
(``etl.uploads.check``, a declared source with one file replaced) go through this same code, so
an upload is read, checked and harmonised exactly as a run would. Nothing here writes to the
store: a bad file raises ``RawDataError`` naming the file, the line and the field.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl import harmonise, registry
from etl.config import Settings
from etl.contract import FLAG_COLUMNS, OBS_COLUMNS, ParseResult, RawDataError
from etl.fetch import FetchedFile, fetch


def is_geography(spec: registry.SourceSpec) -> bool:
    """Sources that describe the map (``kind: geography``), built by etl.geography / etl.geometry."""
    return spec.extra.get("kind") == "geography"


@dataclass(frozen=True)
class Reference:
    """What a source is checked and harmonised against: the codes of the current map (COG 2025),
    the codes of older maps folded into them (93059 -> 93066 …) and the declared variables."""

    known: frozenset[str]
    merges: Mapping[str, str]
    variables: Mapping[str, registry.VariableSpec] = field(default_factory=registry.variables)

    @property
    def additive(self) -> dict[str, bool]:
        return {v.id: v.additive for v in self.variables.values()}


@lru_cache(maxsize=2)
def _map_codes(key: tuple[tuple[str, str, str, str], ...]) -> tuple[frozenset[str], dict[str, str]]:
    from etl import geography

    files: dict[str, Path] = {}
    for sid, fkey, path, _sha in key:
        files[f"{sid}.{fkey}"] = Path(path)
        files.setdefault(fkey, Path(path))
    ref = geography.build_reference(files)
    return frozenset(ref.territories["code"]), dict(ref.to_current())


def reference(settings: Settings) -> Reference:
    """The reference of the declared map files (built once per set of checksums, then cached):
    for a step run on its own (an upload's check, a test), outside a full run."""
    key = []
    for sid, spec in registry.sources().items():
        if is_geography(spec):
            for f in spec.files:
                ff = fetch(f, settings)
                key.append((sid, f.key, str(ff.path), ff.sha256))
    known, merges = _map_codes(tuple(key))
    return Reference(known, merges)


@dataclass
class SourceOutput:
    """What the step gives for one source: harmonised observations (COG 2025) and flags."""

    source_id: str
    files: dict[str, FetchedFile]
    observations: pd.DataFrame
    flags: pd.DataFrame
    rows_read: dict[str, int]
    extra: dict
    seconds: float = 0.0


def fetch_files(spec: registry.SourceSpec, settings: Settings) -> dict[str, FetchedFile]:
    """Fetch: every file of the source, available locally with its checksum (``etl.fetch``)."""
    return {f.key: fetch(f, settings) for f in spec.files}


def parse(spec: registry.SourceSpec, files: Mapping[str, FetchedFile]) -> ParseResult:
    """Parse: the source's parser on its files (it validates them against its schemas)."""
    return spec.parser()({k: f.path for k, f in files.items()}, spec)


def validate(
    result: ParseResult, spec: registry.SourceSpec, files: Mapping[str, FetchedFile], ref: Reference
) -> ParseResult:
    """Validate what the parser emitted: columns, declared variables, statuses, known codes.

    Unknown codes are an error naming the first line where one appears, unless the source
    allows them (``allow_unknown_codes``): then their rows are dropped with a flag."""
    obs = result.observations
    label = ", ".join(str(f.path) for f in files.values())
    missing_cols = [c for c in OBS_COLUMNS if c not in obs.columns]
    if missing_cols:
        raise RawDataError(label, f"parser of {spec.id} returned no column(s) {missing_cols}")
    unknown_vars = sorted(set(obs["variable"]) - set(ref.variables))
    if unknown_vars:
        raise RawDataError(
            label, f"variables not declared in etl/variables: {unknown_vars[:5]}", field="variable"
        )
    bad_status = harmonise.check_statuses(obs)
    if bad_status.any():
        raise RawDataError(label, f"invalid status {obs.loc[bad_status, 'status'].iloc[0]!r}", field="status")
    unknown = harmonise.check_codes(obs, set(ref.known), ref.merges)
    if not unknown.any():
        return result
    if spec.extra.get("allow_unknown_codes"):
        dropped = (
            obs.loc[unknown, ["code", "variable", "year"]]
            .drop_duplicates("code")
            .assign(kind="unknown_code", message="code absent from COG 2025: row dropped")
        )
        result.flags = pd.concat([result.flags, dropped])
        result.observations = obs.loc[~unknown]
        return result
    code = obs.loc[unknown, "code"].iloc[0]
    path, line = _locate(code, files)
    n = obs.loc[unknown, "code"].nunique()
    raise RawDataError(
        path, f"unknown commune code {code!r} ({n} unknown code(s) in all)", line=line, field="code"
    )


def harmonise_source(
    result: ParseResult, files: Mapping[str, FetchedFile], ref: Reference
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Harmonise: codes of older maps folded into COG 2025, Paris from its arrondissements;
    (observations, flags), the flags with those of the parser and of changed checksums."""
    additive = ref.additive
    obs, f1 = harmonise.fold_merged_communes(result.observations, ref.merges, additive)
    obs, f2 = harmonise.derive_paris(obs, additive)
    flags = pd.concat([result.flags, f1, f2, _checksum_flags(files)], ignore_index=True)
    return obs, flags


def run_source(
    spec: registry.SourceSpec,
    settings: Settings,
    ref: Reference,
    files: Mapping[str, FetchedFile] | None = None,
) -> SourceOutput:
    """The step: fetch (unless ``files`` were fetched already) → parse → validate → harmonise."""
    t0 = time.perf_counter()
    fetched = dict(files) if files is not None else fetch_files(spec, settings)
    result = validate(parse(spec, fetched), spec, fetched, ref)
    obs, flags = harmonise_source(result, fetched, ref)
    return SourceOutput(
        spec.id,
        fetched,
        obs,
        flags,
        dict(result.rows_read),
        dict(result.extra),
        round(time.perf_counter() - t0, 2),
    )


def _checksum_flags(files: Mapping[str, FetchedFile]) -> pd.DataFrame:
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


def _locate(code: str, files: Mapping[str, FetchedFile]) -> tuple[str, int | None]:
    """Find the first line of a text raw file where a code appears (for error messages)."""
    for ff in files.values():
        if ff.path.suffix.lower() not in {".csv", ".txt"}:
            continue
        with ff.path.open("rb") as fh:
            for i, line in enumerate(fh, start=1):
                if code.encode() in line:
                    return str(ff.path), i
    return ", ".join(str(f.path) for f in files.values()), None
