"""The observatory's one configuration (issue #11): ``observatoire.yaml`` at the repository root.

Every layer may import this module (it depends on nothing of the project), so the layer direction
``layouts → callbacks → indicators ← etl`` holds: the configuration sits beside them, not in one.
What needs the store (the home's name, members, departments, region) is resolved by
``indicators.home``; this module only reads and validates the file.

- ``OBSERVATOIRE_CONFIG=path``: another configuration file instead of ``observatoire.yaml``;
- ``OBSERVATOIRE_HOME=<code>``: switch the home territory alone (e.g. ``T6``); the file's title,
  short name and references then no longer apply (they describe the file's home) and are derived.

Fields (all but ``home.code`` optional)::

    home:
      code: T6             # a territory of the metropolis (T1, T2 …) or the SIREN of an EPCI
      name: …              # default: the reference name of the store (COG/EPT/EPCI name)
      title: …             # default: « Observatoire de <name> » (« du », « de la », « d' » …)
      short: …             # default: the name, or its initials when longer than 20 characters
      references: [MGP, D94, D91]   # default: its departments and the metropolis
                                    # (outside the metropolis: its department(s) and its region)
    headlines: [population, jobs]   # default: the catalogue's ``headline:`` ranks
    public_url: https://observatoire.example.org/   # the app's public address (links printed in
                                    # PDF/PPTX files, embed codes); default: the request's host.
                                    # ``OBSERVATOIRE_PUBLIC_URL`` overrides it.

Errors are ``ConfigError`` naming the file and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_DIR / "observatoire.yaml"
ENV_CONFIG, ENV_HOME = "OBSERVATOIRE_CONFIG", "OBSERVATOIRE_HOME"
ENV_PUBLIC_URL = "OBSERVATOIRE_PUBLIC_URL"
#: A public address: http(s), a host, an optional path; no query or fragment.
URL_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s?#]*)?$")

#: A territory of the metropolis (T1 = Paris, then the 11 EPTs in their conventional numbering).
EPT_RE = re.compile(r"^T(?:[1-9]|1[0-2])$")
#: An EPCI by its SIREN (9 digits), e.g. a communauté d'agglomération outside the metropolis.
SIREN_RE = re.compile(r"^\d{9}$")
#: Codes a reference area may have: a territory, the metropolis, a department, a region, an EPCI, France.
REFERENCE_RE = re.compile(r"^(?:T(?:[1-9]|1[0-2])|MGP|D(?:\d{2}|2[AB]|97\d)|R\d{2}|\d{9}|FRM?)$")
_HOME_KEYS = {"code", "name", "title", "short", "references"}
_TOP_KEYS = {"home", "headlines", "public_url"}


class ConfigError(ValueError):
    """The configuration file is missing, malformed or has an invalid field."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        where = f"{path}" + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
        self.path, self.field = str(path), field


@dataclass(frozen=True)
class HomeConfig:
    """The home territory as configured (``None`` = derived by ``indicators.home``)."""

    code: str
    name: str | None = None
    title: str | None = None
    short: str | None = None
    references: tuple[str, ...] | None = None

    @property
    def in_metropolis(self) -> bool:
        """True for T1, T2 … (a territory of the Métropole du Grand Paris), False for an EPCI."""
        return bool(EPT_RE.match(self.code))


@dataclass(frozen=True)
class Settings:
    """The whole configuration: where it was read from, the home, the headline presets."""

    path: str
    home: HomeConfig
    headlines: tuple[str, ...] | None = None
    public_url: str | None = None  # ends with "/"


def normalise_code(code: str) -> str:
    """``t6`` → ``T6``; a SIREN is kept; spaces dropped."""
    return str(code).strip().upper().replace(" ", "")


def _text(path: Path, field: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, field, f"expected a non-empty text, got {value!r}")
    return value.strip()


def _codes(path: Path, field: str, value: Any, pattern: re.Pattern[str], what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ConfigError(path, field, f"expected a non-empty list of {what}, got {value!r}")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise ConfigError(path, f"{field}[{i}]", f"expected {what}, got {item!r}")
        code = normalise_code(item) if pattern is not _ID_RE else str(item).strip()
        if not pattern.match(code):
            raise ConfigError(path, f"{field}[{i}]", f"{item!r} is not {what}")
        out.append(code)
    if len(set(out)) != len(out):
        raise ConfigError(path, field, "duplicate entries")
    return tuple(out)


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def check_home_code(path: Path | str, code: Any, field: str = "home.code") -> str:
    """The normalised home code, or ``ConfigError`` (a T-code of the metropolis or a 9-digit SIREN)."""
    if not isinstance(code, (str, int)) or isinstance(code, bool) or not str(code).strip():
        raise ConfigError(
            path, field, f"expected a territory code (T1 … T6 …) or an EPCI SIREN, got {code!r}"
        )
    norm = normalise_code(code)
    if not (EPT_RE.match(norm) or SIREN_RE.match(norm)):
        raise ConfigError(
            path,
            field,
            f"{code!r} is neither a territory of the metropolis (T1, T2 …) nor an EPCI SIREN (9 digits)",
        )
    return norm


def _public_url(path: Path | str, field: str, value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str) or not URL_RE.match(value.strip()):
        raise ConfigError(path, field, f"expected an http(s) address such as https://host/, got {value!r}")
    return value.strip().rstrip("/") + "/"


def parse(
    raw: Any, path: Path | str, env_home: str | None = None, env_public_url: str | None = None
) -> Settings:
    """Validate a parsed YAML document; ``env_home`` (``OBSERVATOIRE_HOME``) replaces the home alone,
    ``env_public_url`` (``OBSERVATOIRE_PUBLIC_URL``) the public address."""
    path = Path(path)
    if not isinstance(raw, Mapping):
        raise ConfigError(path, None, "expected a mapping with a 'home' section")
    if extra := sorted(set(raw) - _TOP_KEYS):
        raise ConfigError(path, extra[0], f"unknown field (known: {', '.join(sorted(_TOP_KEYS))})")
    section = raw.get("home")
    if not isinstance(section, Mapping):
        raise ConfigError(path, "home", "missing or not a mapping (expected home: {code: …})")
    if extra := sorted(set(section) - _HOME_KEYS):
        raise ConfigError(path, f"home.{extra[0]}", f"unknown field (known: {', '.join(sorted(_HOME_KEYS))})")
    code = check_home_code(path, section.get("code"))
    home = HomeConfig(
        code=code,
        name=_text(path, "home.name", section.get("name")),
        title=_text(path, "home.title", section.get("title")),
        short=_text(path, "home.short", section.get("short")),
        references=_codes(
            path, "home.references", section.get("references"), REFERENCE_RE, "a territory code"
        ),
    )
    if env_home and env_home.strip():
        new = check_home_code(ENV_HOME, env_home, field=ENV_HOME)
        if new != code:  # the file's title, short name and references describe its own home
            home = HomeConfig(code=new)
    headlines = _codes(path, "headlines", raw.get("headlines"), _ID_RE, "an indicator id")
    public_url = _public_url(path, "public_url", raw.get("public_url"))
    if env_public_url and env_public_url.strip():
        public_url = _public_url(ENV_PUBLIC_URL, ENV_PUBLIC_URL, env_public_url)
    return Settings(path=str(path), home=home, headlines=headlines, public_url=public_url)


def load(path: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the configuration (``OBSERVATOIRE_CONFIG`` / ``OBSERVATOIRE_HOME`` apply)."""
    env = os.environ if environ is None else environ
    path = Path(path or env.get(ENV_CONFIG) or DEFAULT_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, None, f"cannot read the file ({exc})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(path, None, f"not valid YAML ({exc})") from None
    return parse(raw, path, env.get(ENV_HOME), env.get(ENV_PUBLIC_URL))


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The configuration of this process (read once; ``settings.cache_clear()`` re-reads it)."""
    return load()


def home() -> HomeConfig:
    """The configured home territory (code, and the optional name, title, short name, references)."""
    return settings().home


def public_root(request_root: str = "") -> str:
    """The app's address for links printed in files and embed codes: the configured ``public_url``
    (trusted, one cache entry for every request), else the request's (``request.url_root``)."""
    return settings().public_url or request_root
