"""The one catalogue of user-facing strings, French first, English second (issue #12).

The strings live in ``config/texts/<domain>.yaml`` (``app`` for the pages, ``accessibility``,
``workspace``, ``explain``, ``formatting``, ``downloads`` …), one entry per key::

    nav.map:
      fr: Carte
      en: Map

Every layer reads them from here (``config`` imports nothing of the project):
``t("kpi.since", "en", year=2016)`` fills ``{year}``; ``layouts.i18n.t`` is the same function.
A module that keeps a table of words by language builds it with ``words("xw.")`` (language →
name → text) or ``by_name("fmt.status.")`` (name → language → text). Grammar (French
locatives, ordinals, elisions) stays code beside its users.

Texts about the home territory are templates (issue #11): ``{home_title}`` (the language's own),
``{home_title_fr}``, ``{home_title_en}``, ``{home_short}``, ``{home_name}``, ``{home_of_fr}``
(« du Grand-Orly … », « de Plaine Commune »), ``{home_code}``, ``{home_n}`` (communes),
``{home_refs}`` (reference areas), ``{home_kind_fr}``, ``{home_kind_en}``, filled by the provider
registered with ``set_home_words`` (``callbacks.data``: from the store), else from the configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from config.loader import home

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
FOLDER = Path(__file__).with_name("texts")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextError(ValueError):
    """A malformed catalogue file (a key twice, a language missing)."""


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every key → {"fr": …, "en": …}, from all the YAML files (a key declared twice is an error)."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(FOLDER.glob("*.yaml")):
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
        for key, entry in entries.items():
            if key in out:
                raise TextError(f"{path.name}: {key} is declared twice")
            if not isinstance(entry, dict) or set(entry) != set(LANGS):
                raise TextError(f"{path.name}: {key} needs fr and en, nothing else")
            out[str(key)] = {lang: str(entry[lang]) for lang in LANGS}
    return out


class Pairs(Mapping[str, tuple[str, str]]):
    """The catalogue as key → (fr, en) (read-only)."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        entry = catalogue()[key]
        return entry["fr"], entry["en"]

    def __iter__(self) -> Iterator[str]:
        return iter(catalogue())

    def __len__(self) -> int:
        return len(catalogue())


TEXT = Pairs()


def text(key: str, lang: str = DEFAULT_LANG) -> str:
    """The raw text of ``key`` (placeholders left as they are); ``KeyError`` if unknown."""
    return catalogue()[key]["en" if lang == "en" else "fr"]


def words(prefix: str) -> dict[str, dict[str, str]]:
    """language → {name → text} of the keys ``prefix + name``."""
    return {
        lang: {k[len(prefix) :]: v[lang] for k, v in catalogue().items() if k.startswith(prefix)}
        for lang in LANGS
    }


def by_name(prefix: str) -> dict[str, dict[str, str]]:
    """name → {language → text} of the keys ``prefix + name``."""
    return {k[len(prefix) :]: dict(v) for k, v in catalogue().items() if k.startswith(prefix)}


_home_provider: list[Callable[[], Mapping[str, object]]] = []


def set_home_words(provider: Callable[[], Mapping[str, object]]) -> None:
    """Register what fills the ``{home_…}`` placeholders (``callbacks.data``: from the store)."""
    _home_provider[:] = [provider]


def home_words() -> dict[str, object]:
    """The ``{home_…}`` values: from the registered provider, else from the configuration alone."""
    if _home_provider:
        try:
            return dict(_home_provider[0]())
        except Exception:  # noqa: BLE001 - an unreadable store must not break error pages
            pass
    h = home()
    name = h.name or h.code
    return {
        "home_title_fr": h.title or f"Observatoire {name}",
        "home_title_en": f"{name} Observatory",
        "home_short": h.short or name,
        "home_name": name,
        "home_of_fr": f"de {name}",
        "home_code": h.code,
        "home_n": "",
        "home_refs": ", ".join(h.references or ()),
        "home_kind_fr": "territoire de référence",
        "home_kind_en": "home territory",
    }


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of ``key`` in ``lang`` (fr/en), with ``{name}`` placeholders filled from ``values``
    (and ``{home_…}`` ones from ``home_words``). An unknown key raises ``KeyError``."""
    raw = text(key, lang)
    if "{home_" in raw:
        found = home_words()
        # ``{home_title}`` is ``home_title_fr`` or ``home_title_en``, by the language asked for
        found.update({k[: -len(lang) - 1]: v for k, v in list(found.items()) if k.endswith("_" + lang)})
        values = {**found, **values}
    return raw.format(**values) if values else raw
