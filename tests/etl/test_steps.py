"""Issue #12: one per-source step for the pipeline and the uploads, and no import cycle in the ETL.

The imports are read with ``ast`` (every ``import``, at module level or inside a function: the
former cycle was an import inside ``etl.uploads.check``), not by importing the modules.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from etl import pipeline, steps, uploads

ETL = Path(__file__).resolve().parents[2] / "etl"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ETL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The etl modules ``path`` imports (``from etl import x`` is module ``etl.x`` when it is one)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in modules else base)
    return {m for m in out if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    files = sorted(ETL.rglob("*.py"))
    modules = {_module_name(p) for p in files}
    return {_module_name(p): _imports(p, modules) for p in files}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each reported once per entry point)."""
    found, state = [], dict.fromkeys(graph, 0)  # 0 new, 1 on the current path, 2 done

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif state[nxt] == 0:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if state[node] == 0:
            walk(node, [node])
    return found


def test_no_import_cycle_between_etl_modules() -> None:
    graph = _graph()
    assert "etl.steps" in graph["etl.pipeline"] and "etl.steps" in graph["etl.uploads"]
    assert "etl.pipeline" not in graph["etl.uploads"]
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_uploads_are_passed_to_run_explicitly() -> None:
    """No ContextVar deciding silently what a run reads: the uploads are a parameter of ``run``."""
    assert "uploads" in inspect.signature(pipeline.run).parameters
    assert "include" in inspect.signature(uploads.with_uploads).parameters
    for module in (pipeline, uploads, steps):
        assert "ContextVar" not in inspect.getsource(module)


@pytest.fixture(scope="module")
def settings(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from etl.config import Settings

    return Settings(database_url="sqlite://", data_dir=tmp_path_factory.mktemp("data"), raw_dir=raw_dir)


def test_upload_check_goes_through_the_step(settings, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """An upload is checked by the very step a run uses (fetch → parse → validate → harmonise):
    a bad upload fails there with its file, line and field named."""
    from etl import registry
    from etl.contract import RawDataError

    calls = []
    real = steps.run_source

    def spy(spec, *args, **kwargs):
        calls.append(spec.id)
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(steps, "run_source", spy)
    source = registry.sources()["insee_logement_2021"]
    declared = settings.raw_dir / source.files[0].path
    lines = declared.read_text(encoding="utf-8").split("\n")
    lines[3] = "99999" + lines[3][5:]
    bad = tmp_path / "logement.csv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RawDataError) as err:
        uploads.check(source.id, source.files[0].key, bad, settings, "2022")
    assert calls == [uploads.upload_source_id(source.id, uploads.sha256_of(bad))]
    assert (err.value.file, err.value.line, err.value.field) == (str(bad), 4, "code")
