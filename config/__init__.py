"""The observatory's configuration (``observatoire.yaml``, read by ``config.loader``), importable by
every layer: it depends on nothing of the project. ``config.home()`` is the configured home."""

from config.loader import (
    ConfigError,
    HomeConfig,
    Settings,
    home,
    load,
    normalise_code,
    public_root,
    settings,
)

__all__ = [
    "ConfigError",
    "HomeConfig",
    "Settings",
    "home",
    "load",
    "normalise_code",
    "public_root",
    "settings",
]
