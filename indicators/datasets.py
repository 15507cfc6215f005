"""The statistical datasets and the loaded files of ``etl/datasets.yaml`` (issue #9.10).

A variable comes from exactly one dataset (the census, the état civil, Filosofi …); a source file
holds one or more datasets and has a plain name (« comparateur de territoires »). The source lines
of ``indicators.credits`` are built on these declarations, as are the numbered references of a
document. Pure functions over the declarations (no SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache

import yaml

from etl.registry import ETL_DIR
from etl.registry import sources as declared_sources
from indicators.catalogue import Indicator

DECLARATION = ETL_DIR / "datasets.yaml"


@dataclass(frozen=True)
class Dataset:
    """A statistical dataset (the census, the état civil, Filosofi …) and its variables."""

    id: str
    producer: str
    label_fr: str
    label_en: str
    variables: tuple[str, ...]  # names, or prefixes ending with « * »


@dataclass(frozen=True)
class FileName:
    """A loaded source file: the datasets it holds and its plain name (empty: the file is the dataset)."""

    id: str
    datasets: tuple[str, ...]
    name_fr: str = ""
    name_en: str = ""


@cache
def declaration() -> tuple[dict[str, Dataset], dict[str, FileName]]:
    """The datasets and files of ``etl/datasets.yaml``."""
    raw = yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))
    datasets = {
        k: Dataset(k, v["producer"], v["label_fr"], v["label_en"], tuple(v["variables"]))
        for k, v in raw["datasets"].items()
    }
    files = {
        k: FileName(k, tuple(v["datasets"]), v.get("name_fr", ""), v.get("name_en", ""))
        for k, v in raw["files"].items()
    }
    return datasets, files


def datasets_of(variable: str) -> list[str]:
    """Every dataset whose declaration names ``variable`` (exactly one for a declared variable)."""
    return [d.id for d in declaration()[0].values() if any(fnmatchcase(variable, p) for p in d.variables)]


@cache
def dataset_of(variable: str) -> str | None:
    """The dataset ``variable`` comes from (None if undeclared)."""
    found = datasets_of(variable)
    return found[0] if found else None


def template(source_id: str) -> str:
    """A workspace upload's layer source (``<template>__u<sha>``) is read as its template."""
    return source_id.split("__u", 1)[0]


def file_of(source_id: str) -> FileName | None:
    """The declared file ``source_id`` is (or is an upload of); None if undeclared."""
    return declaration()[1].get(template(source_id))


def indicator_datasets(ind: Indicator) -> list[str]:
    """The datasets an indicator reads, numerator first."""
    return list(dict.fromkeys(d for v in ind.formula.variables if (d := dataset_of(v))))


def source_vintage(source_id: str, lang: str = "fr", stored: str = "") -> str:
    """A source's vintage in ``lang``: ``vintage`` of ``etl/sources/<id>.yaml`` in French,
    ``vintage_en`` in English when the French one has words (« état civil », « géographie au
    01/01/2025 »); ``stored`` (the store's) for an undeclared source."""
    spec = declared_sources().get(template(source_id))
    if spec is None:
        return stored
    english = spec.extra.get("vintage_en") if lang == "en" else None
    return str(english or spec.vintage or stored)
