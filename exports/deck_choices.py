"""The deck's choices, as the URL query carries them (pure): the place, the indicators (listed, or
a theme's ready-made set), the slide shown and the language.

URL state (shared by ``/presentation`` and the ``/export/presentation.*`` links, so a link to a
deck can be re-generated after a data update)::

    ?territoire=94081&indicateurs=unemployment_rate,jobs&slide=3
    ?territoire=HOME&theme=emploi
    ?territoire=group:94054+94065+91479&theme=logement
    ?territoire=94081&theme=emploi&lang=en      (the deck in English, as every page of the app)

``exports.deck`` builds the slides of these choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from indicators.catalogue import catalogue, headline_themes, headlines, themes
from indicators.geo import TerritoryError, parse_territory
from layouts.i18n import norm_lang

MAX_INDICATORS = 20
PRESET_SIZE = 8  # indicator slides of a theme's ready-made deck


def _presets() -> dict[str, tuple[str, ...]]:
    """Ready-made sets per theme, from the catalogue's headline declaration: the theme's headline
    indicators in their order, then its other annual indicators, ``PRESET_SIZE`` at most."""
    known = catalogue()
    out: dict[str, tuple[str, ...]] = {}
    for theme in headline_themes():
        rest = [i for i in themes()[theme].indicators if not known[i].months]
        out[theme] = tuple(dict.fromkeys([*headlines(theme), *rest]))[:PRESET_SIZE]
    return out


#: Themes in headline order (employment first), each with its ready-made set.
PRESETS: dict[str, tuple[str, ...]] = _presets()


class ChoiceError(ValueError):
    """The deck's query is malformed (HTTP 400) or names something unknown (404, ``unknown``)."""

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown


@dataclass(frozen=True)
class Choices:
    """What the deck shows; ``query()`` writes it back into a URL query string."""

    territory: str
    indicators: tuple[str, ...]
    theme: str | None = None
    slide: int = 1
    lang: str = "fr"  # « en »: every text of the deck in English (``?lang=en``)

    @property
    def preset(self) -> bool:
        """A theme's ready-made set (its indicators without a value for the place are left out)."""
        return bool(self.theme) and self.theme in PRESETS and self.indicators == PRESETS[self.theme]

    def query(self, slide: int | None = None) -> str:
        params = {"territoire": self.territory}
        if self.theme and self.indicators == theme_indicators(self.theme):
            params["theme"] = self.theme
        else:
            params["indicateurs"] = ",".join(self.indicators)
        if slide is not None:
            params["slide"] = str(slide)
        if self.lang == "en":
            params["lang"] = "en"
        return urlencode(params, safe=",:+")


def theme_indicators(theme: str) -> tuple[str, ...]:
    """The ready-made indicator set of a theme (``ChoiceError`` if the theme is unknown)."""
    if theme in PRESETS and PRESETS[theme]:
        return PRESETS[theme]
    raise ChoiceError(
        f"thème inconnu : {theme!r} (thèmes : {', '.join(sorted(set(PRESETS) | set(themes())))})",
        unknown=True,
    )


def _one(args: Mapping[str, object], key: str) -> str:
    value = args.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def parse_choices(args: Mapping[str, object]) -> Choices:
    """Read ``territoire``, ``indicateurs`` or ``theme``, and ``slide`` from a query mapping."""
    raw = _one(args, "territoire")
    if not raw:
        raise ChoiceError("paramètre « territoire » manquant (ex. territoire=94081, HOME, T5, MGP)")
    try:
        territory = parse_territory(raw).code
    except TerritoryError as exc:
        raise ChoiceError(str(exc), unknown=exc.unknown) from None
    theme = _one(args, "theme") or None
    listed = [i.strip() for i in _one(args, "indicateurs").split(",") if i.strip()]
    if listed:
        unknown = [i for i in listed if i not in catalogue()]
        if unknown:
            raise ChoiceError(f"indicateur(s) inconnu(s) : {', '.join(unknown[:5])}", unknown=True)
        indicators = tuple(dict.fromkeys(listed))
    elif theme:
        indicators = theme_indicators(theme)
    else:
        raise ChoiceError("choisissez des indicateurs (indicateurs=a,b,c) ou un thème (theme=emploi)")
    if len(indicators) > MAX_INDICATORS:
        raise ChoiceError(f"au plus {MAX_INDICATORS} indicateurs par présentation")
    slide = _one(args, "slide")
    try:
        number = max(1, int(slide)) if slide else 1
    except ValueError:
        raise ChoiceError(f"numéro de diapositive invalide : {slide!r}") from None
    return Choices(territory, indicators, theme, number, norm_lang(_one(args, "lang")))
