"""One translation catalogue (issue #12): ``config/texts/*.yaml`` read by ``config.texts`` from every
layer. Static checks: no store, no app. (Every key has French and English with the same
placeholders: ``tests/app/test_state.py::test_every_text_has_french_and_english``.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config import texts

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "etl", "indicators", "figures", "layouts", "callbacks", "exports", "workspace")
#: Tables by language that are not phrases, kept with their code (grammar of numbers and dates).
NOT_PHRASES = {
    ("figures/base.py", "SEPARATORS"),  # decimal and thousands separators of plotly
    ("figures/series.py", "MONTHS"),  # month abbreviations of the time axes (date grammar)
    ("indicators/formatting.py", "UNIT_LABELS"),  # unit signs after numbers (some empty)
}
#: Tables still to move into the catalogue (their owners are changing them): the list only shrinks.
PENDING = {
    ("indicators/credits.py", "WORDS"),  # source lines (issue #9.10), being reworked
    ("figures/roles.py", "ROLE_LABELS"),  # legend labels of the figures' roles
}


def _lang_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Dict) and {getattr(k, "value", None) for k in node.keys} == {"fr", "en"}


def _pair(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
    )


def _string_tables() -> set[tuple[str, str]]:
    """Module-level tables of strings by language: ``{"fr": …, "en": …}``, ``{name: {"fr", "en"}}``
    or ``{key: ("French", "English"), …}``."""
    found = set()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                    continue
                value = node.value
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                table = _lang_dict(value) or (
                    isinstance(value, ast.Dict)
                    and len(value.values) >= 2
                    and (all(_lang_dict(v) for v in value.values) or all(_pair(v) for v in value.values))
                )
                if table:
                    found.add((path.relative_to(ROOT).as_posix(), ast.unparse(target)))
    return found


def test_no_string_table_outside_the_catalogue() -> None:
    tables = _string_tables()
    extra = tables - NOT_PHRASES - PENDING
    assert not extra, f"user-facing strings belong in config/texts/*.yaml: {sorted(extra)}"
    assert not PENDING - tables, f"moved: remove from PENDING {sorted(PENDING - tables)}"


def _literal_keys() -> list[tuple[str, str]]:
    """``t("key", …)`` / ``tr("key", …)`` calls with a literal key, anywhere in the code."""
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                key = node.args[0].value
                if name in ("t", "tr") and isinstance(key, str) and "." in key or name == "tr":
                    out.append(
                        (path.relative_to(ROOT).as_posix(), ("wsp." if name == "tr" else "") + str(key))
                    )
    return out


def test_every_literal_key_is_in_the_catalogue() -> None:
    known = texts.catalogue()
    missing = sorted({f"{where}: {key}" for where, key in _literal_keys() if key not in known})
    assert not missing, "unknown text keys:\n" + "\n".join(missing)


def test_catalogue_helpers() -> None:
    assert texts.t("nav.map", "en") == "Map" and texts.t("nav.map") == "Carte"
    assert texts.words("dlcol.")["en"]["name"] == "area"
    assert texts.by_name("fmt.status.")["secret"] == {"fr": "secret stat.", "en": "secret"}
    from layouts import i18n

    assert i18n.t is texts.t and i18n.TEXT["nav.map"] == ("Carte", "Map")
    with pytest.raises(KeyError):
        texts.t("no.such.key")


def test_a_key_declared_twice_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text("x.y:\n  fr: un\n  en: one\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("x.y:\n  fr: deux\n  en: two\n", encoding="utf-8")
    monkeypatch.setattr(texts, "FOLDER", tmp_path)
    texts.catalogue.cache_clear()
    try:
        with pytest.raises(texts.TextError, match="twice"):
            texts.catalogue()
    finally:
        monkeypatch.undo()
        texts.catalogue.cache_clear()
