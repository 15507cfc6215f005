"""User-facing strings of the workspace in French and English (``tr("notes", "en")``): the
``wsp.*`` keys of the one catalogue (``config/texts/workspace.yaml``)."""

from __future__ import annotations

from typing import Any

from config.texts import t


def tr(key: str, lang: str, **kw: Any) -> str:
    return t("wsp." + key, lang, **kw)
