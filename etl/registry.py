"""Source and variable registry: reads the YAML declarations beside the code.

``etl/sources/<id>.yaml`` declares one source (producer, licence, credit line, files with
their official URL and checksum, priority); ``etl/parsers/<id>.py`` holds its ``parse``.
``etl/variables/*.yaml`` declares every variable the parsers may emit, once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ETL_DIR = Path(__file__).resolve().parent
SOURCES_DIR = ETL_DIR / "sources"
VARIABLES_DIR = ETL_DIR / "variables"


@dataclass(frozen=True)
class FileSpec:
    """One raw file of a source."""

    key: str  # name the parser uses, e.g. "main"
    path: str  # path relative to the raw-data folder, e.g. "stats/insee_population/x.csv"
    url: str | None = None  # where the exact bytes can be downloaded
    sha256: str | None = None  # expected checksum of those bytes (None: record, don't check)
    description: str = ""
    extract: bool = False  # the mirror holds a row extract; a download gives the full upstream file
    member: str | None = None  # the file inside the producer's archive (zip, tar.gz) the URL serves
    url_note: str = ""  # why there is no official URL, or how the producer's file differs


@dataclass(frozen=True)
class SourceSpec:
    """A declared source (see ``etl/sources/*.yaml``)."""

    id: str
    title_fr: str
    title_en: str
    producer: str
    dataset: str
    vintage: str
    licence: str
    licence_url: str
    page_url: str
    credit_fr: str
    credit_en: str
    files: tuple[FileSpec, ...]
    priority: int = 50  # higher wins when two sources give the same (code, variable, year, month)
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def parser(self) -> Callable[..., Any]:
        """The source's ``parse`` function (``etl.parsers.<id>.parse``)."""
        module = importlib.import_module(f"etl.parsers.{self.id}")
        return module.parse


@dataclass(frozen=True)
class VariableSpec:
    """A declared variable (see ``etl/variables/*.yaml``)."""

    id: str
    label_fr: str
    label_en: str
    unit: str
    additive: bool  # True for counts that can be summed across communes
    description: str = ""


_SOURCE_KEYS = {f for f in SourceSpec.__dataclass_fields__} - {"files", "extra"}


def _load_source(path: Path) -> SourceSpec:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = tuple(FileSpec(**f) for f in raw.pop("files"))
    known = {k: v for k, v in raw.items() if k in _SOURCE_KEYS}
    extra = {k: v for k, v in raw.items() if k not in _SOURCE_KEYS}
    spec = SourceSpec(files=files, extra=extra, **known)
    if spec.id != path.stem:
        raise ValueError(f"{path}: id {spec.id!r} must equal the file name")
    return spec


@cache
def sources() -> dict[str, SourceSpec]:
    """All declared sources, by id, in file-name order."""
    return {p.stem: _load_source(p) for p in sorted(SOURCES_DIR.glob("*.yaml"))}


@cache
def variables() -> dict[str, VariableSpec]:
    """All declared variables, by id. A variable declared twice is an error."""
    out: dict[str, VariableSpec] = {}
    for path in sorted(VARIABLES_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            spec = VariableSpec(**item)
            if spec.id in out:
                raise ValueError(f"{path}: variable {spec.id!r} is declared twice")
            out[spec.id] = spec
    return out
