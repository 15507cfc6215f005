"""Deployment settings of the public view and of the officers' workspace, from the environment.

- ``OBSERVATOIRE_MODE``: ``public`` (default: read-only, anonymous, no write endpoint at all) or
  ``workspace`` (officers log in to annotate, set targets, save views and bring in new data).
- ``OBSERVATOIRE_SECRET_KEY``: signs the session cookie. Required in workspace mode (at least 32
  characters, e.g. ``python -c "import secrets; print(secrets.token_urlsafe(48))"``); there is no
  default, and the workspace refuses to start without it.
- ``OBSERVATOIRE_COOKIE_SECURE``: ``1`` (default) marks cookies ``Secure`` (HTTPS only; browsers
  also accept them on http://localhost). ``0`` only for a plain-HTTP test set-up.
- ``OBSERVATOIRE_TRUSTED_PROXIES``: number of reverse proxies in front of the app (default 0).
  When set, ``X-Forwarded-For/-Proto/-Host`` are trusted that many hops deep, so that the rate
  limit sees the client's address and HTTPS is detected (HSTS).
- ``OBSERVATOIRE_UPLOAD_MAX_MB``: largest raw file an officer may upload (default 50).
- ``OBSERVATOIRE_RAW_DIR``: when the ETL reads raw files in place (``--raw-dir``), the same folder,
  so that a publication from the workspace re-runs the ETL the same way.
- ``DATABASE_URL``, ``OBSERVATOIRE_DATA_DIR``, ``OBSERVATOIRE_MIRROR``: as for the ETL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from etl.config import Settings

MODE_PUBLIC = "public"
MODE_WORKSPACE = "workspace"
MODES = (MODE_PUBLIC, MODE_WORKSPACE)
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """The deployment is misconfigured: the app must not start."""


def mode_from_env(value: str | None = None) -> str:
    """The deployment mode (``public`` unless ``OBSERVATOIRE_MODE=workspace``)."""
    mode = (value if value is not None else os.environ.get("OBSERVATOIRE_MODE", MODE_PUBLIC)).strip().lower()
    if mode not in MODES:
        raise ConfigError(f"OBSERVATOIRE_MODE must be one of {MODES}, not {mode!r}")
    return mode


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything the workspace needs to know about its deployment."""

    mode: str
    etl: Settings
    secret_key: str | None = None
    cookie_secure: bool = True
    trusted_proxies: int = 0
    upload_max_bytes: int = 50 * 1024 * 1024

    @property
    def workspace(self) -> bool:
        return self.mode == MODE_WORKSPACE

    @property
    def data_dir(self) -> Path:
        return self.etl.data_dir

    @classmethod
    def from_env(cls, mode: str | None = None, database_url: str | None = None) -> WorkspaceConfig:
        """Read the environment; in workspace mode, refuse a missing or short secret key."""
        mode = mode_from_env(mode)
        secret = os.environ.get("OBSERVATOIRE_SECRET_KEY") or None
        if mode == MODE_WORKSPACE:
            if not secret:
                raise ConfigError(
                    "OBSERVATOIRE_SECRET_KEY is not set: the workspace does not start without a secret key "
                    '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))")'
                )
            if len(secret) < MIN_SECRET_LENGTH:
                raise ConfigError(
                    f"OBSERVATOIRE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters long"
                )
        etl = Settings.from_env(
            database_url=database_url, raw_dir=os.environ.get("OBSERVATOIRE_RAW_DIR") or None
        )
        try:
            max_mb = float(os.environ.get("OBSERVATOIRE_UPLOAD_MAX_MB", "50"))
            proxies = int(os.environ.get("OBSERVATOIRE_TRUSTED_PROXIES", "0"))
        except ValueError as exc:
            raise ConfigError(f"bad numeric setting: {exc}") from exc
        return cls(
            mode=mode,
            etl=etl,
            secret_key=secret if mode == MODE_WORKSPACE else None,
            cookie_secure=_flag("OBSERVATOIRE_COOKIE_SECURE", True),
            trusted_proxies=max(proxies, 0),
            upload_max_bytes=int(max_mb * 1024 * 1024),
        )
