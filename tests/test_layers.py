"""The layers of ``docs/ARCHITECTURE.md``, checked on the code (issue #12): who imports whom, and
who issues SQL. Static (``ast``): no store, no app, runs in a second."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "etl", "indicators", "figures", "layouts", "callbacks", "exports", "workspace")

#: package → imports it must not make (a module path: the package or one of its modules).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "config": tuple(p for p in PACKAGES if p != "config"),
    "etl": ("indicators", "figures", "layouts", "callbacks", "exports", "workspace"),
    "indicators": ("figures", "layouts", "callbacks", "exports", "workspace"),
    # pure figure builders: formatting and declarations, never the store or the pages
    "figures": (
        "etl",
        "layouts",
        "callbacks",
        "exports",
        "workspace",
        "indicators.query",
        "indicators.service",
    ),
    # layouts build components: no data, no callbacks; the workspace's texts only
    "layouts": ("etl", "indicators", "figures", "callbacks", "exports", "workspace.store", "workspace.api"),
    "exports": ("callbacks", "workspace"),
    "workspace": ("exports", "figures"),
}
#: ``workspace/__init__.py`` plugs the officers' pages into the app (its callbacks and layouts).
ALLOWED = {("workspace", "callbacks"): ("workspace/__init__.py", "workspace/components.py")}

#: Tables of statistical data: read through ``indicators`` only.
STATISTICAL = {
    "observation",
    "territory",
    "territory_member",
    "territory_geometry",
    "variable",
    "source",
    "raw_file",
    "quality_flag",
    "load_run",
}
#: Calls that issue SQL.
SQL_CALLS = {"connect", "begin", "execute", "exec_driver_sql", "select", "text", "read_sql", "read_sql_query"}
#: Where SQL is issued: the data provider, the ETL (it writes the store), and the officers' data.
SQL_HOMES = ("indicators/", "etl/", "workspace/")
#: Workspace modules that may touch statistical tables: publication writes an upload into the store
#: (the ETL's job, under its lock).
WORKSPACE_STATISTICAL = {"workspace/publication.py"}


def _modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            yield from ((node.lineno, f"{node.module}.{a.name}") for a in node.names)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_layers_import_one_way(package: str) -> None:
    wrong = []
    for path in _modules(package):
        for line, name in _imports(path):
            for banned in FORBIDDEN[package]:
                top = banned.split(".")[0]
                if (name == banned or name.startswith(banned + ".")) and _rel(path) not in ALLOWED.get(
                    (package, top), ()
                ):
                    wrong.append(f"{_rel(path)}:{line} imports {name}")
    assert not wrong, "imports against docs/ARCHITECTURE.md:\n" + "\n".join(sorted(set(wrong)))


def _sql_uses(path: Path) -> Iterator[str]:
    """What in a module issues SQL: SQL calls on an engine/connection or SQLAlchemy, statistical
    tables imported from the schema."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "etl.store.schema":
            for alias in node.names:
                if alias.name in STATISTICAL:
                    yield f"{node.lineno}: imports the table {alias.name}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, owner = node.func.attr, node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if name in ("connect", "begin", "exec_driver_sql", "read_sql", "read_sql_query"):
                if name in ("connect", "begin") and node.args:  # e.g. socket.connect(addr)
                    continue
                if owner_name not in ("pd", "pandas") or name.startswith("read_sql"):
                    yield f"{node.lineno}: .{name}()"
            elif name in ("select", "text") and owner_name in ("sa", "sqlalchemy"):
                yield f"{node.lineno}: sa.{name}()"


def _outside_sql_homes() -> Iterator[Path]:
    for package in ("callbacks", "layouts", "exports", "figures", "config"):
        yield from _modules(package)
    yield ROOT / "app.py"


def test_no_reader_outside_the_data_provider_issues_sql() -> None:
    """Issue #12: only ``indicators`` reads the statistical store; the ETL writes it; the workspace
    keeps its own officer data (notes, targets, users, audit log, uploads)."""
    wrong = [f"{_rel(p)}:{use}" for p in _outside_sql_homes() for use in _sql_uses(p)]
    assert not wrong, "SQL outside indicators/, etl/ and the workspace's officer data:\n" + "\n".join(wrong)


#: Workspace modules still reading statistical tables themselves (owner: the workspace; to move to
#: ``indicators.query``): the test fails when one no longer does, so that the list only shrinks.
PENDING: set[str] = set()


def test_the_workspace_reads_statistics_through_the_data_provider() -> None:
    reading = {
        _rel(p)
        for p in _modules("workspace")
        if _rel(p) not in WORKSPACE_STATISTICAL and any("imports the table" in u for u in _sql_uses(p))
    }
    assert reading <= PENDING, f"workspace modules reading statistical tables: {sorted(reading - PENDING)}"
    assert reading >= PENDING, (
        f"no longer reading statistical tables (remove from PENDING): {PENDING - reading}"
    )


def test_the_sql_check_sees_sql(tmp_path: Path) -> None:
    """The checker itself: a module issuing SQL is caught (so that an empty result means something)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import sqlalchemy as sa\nfrom etl.store.schema import observation\n"
        "def f(engine):\n    with engine.connect() as conn:\n        return conn.execute(sa.select(observation))\n"
    )
    uses = list(_sql_uses(sample))
    assert any("observation" in u for u in uses) and any(".connect()" in u for u in uses)
    assert any("sa.select()" in u for u in uses)
