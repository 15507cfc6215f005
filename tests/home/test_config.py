"""The configuration file (issue #11): defaults, OBSERVATOIRE_HOME, clear errors naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from indicators.home import of_name, short_name


def test_default_configuration_is_valid() -> None:
    s = config.load(environ={})
    assert s.path.endswith("observatoire.yaml") and s.home.in_metropolis
    assert s.home.title and s.home.short


def test_environment_switches_the_home_alone(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("home:\n  code: T9\n  short: GPGE\nheadlines: [population]\n", encoding="utf-8")
    s = config.load(environ={"OBSERVATOIRE_CONFIG": str(path), "OBSERVATOIRE_HOME": "t6"})
    # the file's short name described its own home: the switched home derives its own
    assert s.home == config.HomeConfig(code="T6") and s.headlines == ("population",)
    siren = config.load(environ={"OBSERVATOIRE_CONFIG": str(path), "OBSERVATOIRE_HOME": "200067106"})
    assert siren.home.code == "200067106" and not siren.home.in_metropolis


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("home:\n  code: T13\n", "home.code"),
        ("home:\n  code: X\n", "home.code"),
        ("home: {}\n", "home.code"),
        ("home:\n  code: T6\n  colour: red\n", "home.colour"),
        ("home:\n  code: T6\n  references: [D94, Paris]\n", "home.references[1]"),
        ("home:\n  code: T6\n  title: ''\n", "home.title"),
        ("home:\n  code: T6\nheadlines: [Jobs]\n", "headlines[0]"),
        ("homes:\n  code: T6\n", "homes"),
    ],
)
def test_errors_name_the_file_and_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as err:
        config.load(environ={"OBSERVATOIRE_CONFIG": str(path)})
    assert err.value.field == field and str(path) in str(err.value) and repr(field) in str(err.value)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="not found"):
        config.load(environ={"OBSERVATOIRE_CONFIG": str(tmp_path / "none.yaml")})
    (tmp_path / "x.yaml").write_text("home: [\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="not valid YAML"):
        config.load(environ={"OBSERVATOIRE_CONFIG": str(tmp_path / "x.yaml")})
    with pytest.raises(config.ConfigError, match="OBSERVATOIRE_HOME"):
        config.load(environ={"OBSERVATOIRE_HOME": "Plaine Commune"})


def test_derived_names() -> None:
    assert of_name("Grand-Orly Seine Bièvre") == "du Grand-Orly Seine Bièvre"
    assert of_name("Plaine Commune") == "de Plaine Commune"
    assert of_name("Est Ensemble") == "d'Est Ensemble"
    assert short_name("Plaine Commune") == "Plaine Commune"
    assert short_name("Grand-Orly Seine Bièvre Extra") == "GOSBE"


def test_public_url_from_the_file_or_the_environment(tmp_path: Path) -> None:
    """``public_url`` (or ``OBSERVATOIRE_PUBLIC_URL``) is where printed links and embed codes point;
    without it, the request's host is used; a malformed address is an error naming the field."""
    path = tmp_path / "c.yaml"
    path.write_text("home:\n  code: T12\npublic_url: https://observatoire.example.org\n", encoding="utf-8")
    s = config.load(environ={"OBSERVATOIRE_CONFIG": str(path)})
    assert s.public_url == "https://observatoire.example.org/"
    env = {"OBSERVATOIRE_CONFIG": str(path), "OBSERVATOIRE_PUBLIC_URL": "https://data.gosb.fr/obs/"}
    assert config.load(environ=env).public_url == "https://data.gosb.fr/obs/"
    assert config.load(environ={}).public_url is None
    path.write_text("home:\n  code: T12\npublic_url: 'javascript:alert(1)'\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="public_url"):
        config.load(environ={"OBSERVATOIRE_CONFIG": str(path)})
