"""Territory codes: parsing (pure) and the membership table built from the store.

Codes: a commune is its 5-character INSEE code (``94081``; Paris is ``75056``); territories are
``T1``, ``T2`` … (T1 = Paris; the home territory of ``observatoire.yaml`` is also ``HOME``, and its
configured short name, e.g. ``GOSB``, an alias); the metropolis is ``MGP``; departments are ``D75``,
``D91``..``D95`` (any ``D01`` … with its members when the home is outside the metropolis); an EPCI is
its SIREN (``200067106``) and a region ``R75``; published supra values may also exist under ``FR``,
``FRM``, ``R11``. A user-defined group of communes is ``group:94054+94065+91479`` (a space is accepted as a
separator too, because ``+`` in a URL query string decodes to a space). Several territories are
separated by commas. Membership is read from ``territory_member`` for the 2025 map (COG 2025).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import config

GEO_VINTAGE = 2025
GROUP_PREFIX = "group:"
MAX_GROUP = 300  # more than the 130 MGP communes; bounds the work a single URL can ask for
MAX_TERRITORIES = 50

COMMUNE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
EPT_RE = re.compile(r"^T(?:[1-9]|1[0-2])$")
DEP_RE = re.compile(r"^D(?:\d{2}|2[AB]|97\d)$")
EPCI_RE = re.compile(r"^\d{9}$")  # an EPCI by its SIREN
REGION_RE = re.compile(r"^R\d{2}$")
SUPRA = ("MGP", "FR", "FRM", "R11")
ALIASES = {"PARIS": "75056"}
#: English names of the areas whose name is a French common noun (the store holds the French names,
#: from the COG); communes, territories, departments and regions keep their proper names.
ENGLISH_NAMES = {"MGP": "Greater Paris Metropolis", "FRM": "Metropolitan France", "FR": "France"}


def display_name(code: str, name: str, lang: str) -> str:
    """The name of area ``code`` as shown in ``lang``: « Greater Paris Metropolis » in English for
    the MGP, the store's name otherwise (the one rule for pages, charts and downloads)."""
    return ENGLISH_NAMES.get(code, name) if lang == "en" else name


SCOPE = (
    "the observatory covers the communes of Paris (75056, arrondissements 75101-75120) and of departments "
    "91 to 95 on the 2025 map, the 12 territories T1, T2 …, MGP, D75, D91..D95, FR, FRM, and the home "
    "territory of the configuration (HOME) with its reference areas"
)


def aliases() -> dict[str, str]:
    """Fixed aliases plus the home's: ``HOME`` and its configured short name (``GOSB`` by default)."""
    home = config.home()
    out = {"HOME": home.code}
    if home.short:
        out[config.normalise_code(home.short)] = home.code
    return out | ALIASES


class TerritoryError(ValueError):
    """A territory string is malformed (HTTP 400) or unknown (HTTP 404, ``unknown=True``)."""

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown


@dataclass(frozen=True)
class TerritoryRef:
    """A parsed territory: a store code, or a group (``members`` set, canonical sorted code)."""

    code: str
    is_group: bool = False
    members: tuple[str, ...] = ()


def group_code(members: Iterable[str]) -> str:
    """Canonical code of a group: members sorted and de-duplicated."""
    return GROUP_PREFIX + "+".join(sorted(set(members)))


def parse_territory(text: str) -> TerritoryRef:
    """Parse one territory string (syntax only; membership is checked by ``Territories.resolve``)."""
    if not isinstance(text, str) or not text.strip():
        raise TerritoryError("empty territory code")
    raw = text.strip()
    if raw[: len(GROUP_PREFIX)].lower() == GROUP_PREFIX:
        parts = [p for p in re.split(r"[+\s]+", raw[len(GROUP_PREFIX) :]) if p]
        if not parts:
            raise TerritoryError("empty group: expected group:CODE+CODE… (5-character INSEE commune codes)")
        bad = [p for p in parts if not COMMUNE_RE.match(p.upper())]
        if bad:
            raise TerritoryError(
                f"invalid commune code(s) in group: {', '.join(bad[:5])} "
                "(expected 5-character INSEE codes such as 94081)"
            )
        members = tuple(sorted({p.upper() for p in parts}))
        if len(members) > MAX_GROUP:
            raise TerritoryError(f"a group may have at most {MAX_GROUP} communes")
        return TerritoryRef(code=group_code(members), is_group=True, members=members)
    code = raw.upper()
    code = aliases().get(code.replace(" ", ""), code)
    if any(r.match(code) for r in (COMMUNE_RE, EPT_RE, DEP_RE, EPCI_RE, REGION_RE)) or code in SUPRA:
        return TerritoryRef(code=code)
    raise TerritoryError(
        f"invalid territory code {raw!r}: expected a commune INSEE code (94081), a territory (T1, T2 …), "
        "MGP, D75/D91..D95, an EPCI SIREN, HOME or group:CODE+CODE…"
    )


def parse_territories(text: str) -> list[TerritoryRef]:
    """Parse a comma-separated list of territories, keeping order, dropping duplicates."""
    if not isinstance(text, str) or not text.strip():
        raise TerritoryError("missing territory: give one or more codes separated by commas")
    refs = [parse_territory(part) for part in text.split(",") if part.strip()]
    if len(refs) > MAX_TERRITORIES:
        raise TerritoryError(f"at most {MAX_TERRITORIES} territories per request")
    return list({r.code: r for r in refs}.values())


@dataclass(frozen=True)
class Territory:
    """A resolved territory: name, level and member communes (a commune is its own single member)."""

    code: str
    name: str
    level: str  # commune, arrondissement, ept, mgp, departement, france, region, epci, group
    members: tuple[str, ...]


@dataclass(frozen=True)
class Territories:
    """The territory table and the 2025 membership, as plain mappings (built by ``indicators.query``)."""

    names: Mapping[str, str]
    levels: Mapping[str, str]
    members: Mapping[str, tuple[str, ...]]  # group code (T6, MGP, D94 …) -> member commune codes

    def resolve(self, ref: TerritoryRef | str) -> Territory:
        """Names, level and members of a territory; ``TerritoryError(unknown=True)`` if not in the store."""
        if isinstance(ref, str):
            ref = parse_territory(ref)
        if ref.is_group:
            unknown = [c for c in ref.members if self.levels.get(c) != "commune"]
            if unknown:
                raise TerritoryError(
                    f"not a commune in scope: {', '.join(unknown[:5])} ({SCOPE})", unknown=True
                )
            names = [self.names[c] for c in ref.members]
            name = " + ".join(names) if len(names) <= 4 else f"{len(names)} communes"
            return Territory(ref.code, name, "group", ref.members)
        if ref.code not in self.levels:
            raise TerritoryError(f"unknown territory {ref.code!r}: {SCOPE}", unknown=True)
        level = self.levels[ref.code]
        members = self.members.get(ref.code, (ref.code,) if level in ("commune", "arrondissement") else ())
        return Territory(ref.code, self.names[ref.code], level, tuple(members))

    def communes_of(self, code: str) -> tuple[str, ...]:
        """Member communes of a group code (``T6``, ``MGP`` …); empty if none."""
        return tuple(self.members.get(code, ()))

    def codes(self, level: str) -> list[str]:
        """Codes of one level, sorted (T1, T2 … T10 in numeric order)."""
        codes = [c for c, lv in self.levels.items() if lv == level]
        return sorted(codes, key=lambda c: (len(c), c))
