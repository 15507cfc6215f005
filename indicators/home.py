"""The home territory of the configuration (``observatoire.yaml``, issue #11), resolved on the store.

``config`` reads and validates the file; here the home gets what the store knows: its reference
name, its member communes (``territory_member``), its departments, its region and the default
reference areas (its departments and the metropolis; outside the metropolis: its department(s)
and its region). Every layer asks ``home(engine)`` instead of writing a territory code, and
``peers(engine)`` for the territories it is compared with (the 12 territories of the metropolis,
or the EPCIs of its region): what pages rank or list as « the territories », API ``level=peers``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

import config
from etl.store.schema import territory
from indicators.geo import Territories
from indicators.query import store

MGP = "MGP"
#: Above this many characters, the default short name is the initials of the name's words.
SHORT_MAX = 20
#: First words of territory names that take an article in speech, and the « de » form they give.
IMPLIED = {
    "Grand": "du ",
    "Vallée": "de la ",
    "Boucle": "de la ",
    "Communauté": "de la ",
    "Métropole": "de la ",
}
#: Abbreviated kinds that begin EPCI names in the reference file (communauté d'agglomération …).
EPCI_KINDS = ("CA", "CC", "CU", "Métropole")


@dataclass(frozen=True)
class Home:
    """The resolved home: code, names (FR title, EN title, short), members and reference areas."""

    code: str
    name: str
    title_fr: str
    title_en: str
    short: str
    level: str  # ept (a territory of the metropolis) or epci
    members: tuple[str, ...]
    departments: tuple[str, ...]  # D94, D91 … most members first
    region: str | None  # R11 …, outside the metropolis only
    references: tuple[str, ...]  # in display order, without the home itself

    @property
    def in_metropolis(self) -> bool:
        return self.level == "ept"

    @property
    def areas(self) -> tuple[str, ...]:
        """The home then its reference areas (the overview's key-figure columns)."""
        return (self.code, *self.references)

    @property
    def peer_level(self) -> str:
        """The territory level of its peers (``peers``): ``ept`` in the metropolis, else ``epci``."""
        return self.level

    @property
    def scope(self) -> str:
        """The larger area its communes are ranked in: the metropolis, else its region (or itself)."""
        return MGP if self.in_metropolis else (self.region or self.code)


def of_name(name: str) -> str:
    """French « de <name> » with the article contracted: « du Grand-Orly … », « de Plaine Commune ».

    Territory names carry no article but some take one in speech: « le Grand Paris … », « la
    Vallée Sud … », « la Boucle Nord … »; the first word tells (``IMPLIED``)."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article) :]
    first = name.replace("-", " ").split(" ")[0]
    if first in IMPLIED:
        return IMPLIED[first] + name
    return ("d'" if name[:1].lower() in "aeiouyéèâîh" else "de ") + name


def short_name(name: str) -> str:
    """The name itself, or the initials of its capitalised words when long (« GOSB », « POLD »)."""
    if len(name) <= SHORT_MAX:
        return name
    words = name.replace("-", " ").replace("'", " ").split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    return initials if len(initials) >= 2 else name


def resolve(terr: Territories, deps_of: dict[str, str], cfg: config.HomeConfig) -> Home:
    """The home of ``cfg`` on the territories of the store (pure; ``deps_of``: commune → department)."""
    code = cfg.code
    if code not in terr.levels or not terr.communes_of(code):
        where = "territory of the metropolis" if cfg.in_metropolis else "EPCI SIREN"
        raise config.ConfigError(
            config.settings().path, "home.code", f"{code!r}: no such {where} with communes in the store"
        )
    members = terr.communes_of(code)
    counts = Counter(deps_of.get(c) for c in members if deps_of.get(c))
    departments = tuple(f"D{d}" for d, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    region = None
    if not cfg.in_metropolis:
        region = next((g for g in terr.codes("region") if set(members) <= set(terr.communes_of(g))), None)
    if cfg.references is not None:
        references = tuple(r for r in cfg.references if r != code)
    elif cfg.in_metropolis:
        references = (MGP, *departments)
    else:
        references = (*departments, *((region,) if region else ()))
    name = cfg.name or terr.names[code]
    # « CA du Pays Basque » → « Observatoire de la CA du Pays Basque »
    title = (
        f"Observatoire de la {name}" if name.split(" ")[0] in EPCI_KINDS else f"Observatoire {of_name(name)}"
    )
    return Home(
        code=code,
        name=name,
        title_fr=cfg.title or title,
        title_en=f"{name} Observatory",
        short=cfg.short or short_name(name),
        level="ept" if cfg.in_metropolis else "epci",
        members=tuple(members),
        departments=departments,
        region=region,
        references=references,
    )


def home(engine: sa.Engine) -> Home:
    """The configured home on ``engine``'s store (cached with the store's other reference tables)."""
    st = store(engine)
    cfg = config.home()

    def build() -> Home:
        terr = st.territories()
        deps = _departments(engine, list(terr.communes_of(cfg.code)))
        return resolve(terr, deps, cfg)

    return st._cached(("home", cfg.code, cfg.name, cfg.title, cfg.short, cfg.references), build)


def _departments(engine: sa.Engine, communes: list[str]) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(territory.c.code, territory.c.dep_code).where(territory.c.code.in_(communes))
        ).all()
    return {c: d for c, d in rows if d}


# -- peers: the level the home is compared with (issue #11) --------------------------------------
def peer_codes(terr: Territories, home: Home) -> tuple[str, ...]:
    """The home's peers (pure), the home among them: the 12 territories (T1 … T12) for a territory
    of the metropolis; elsewhere, the EPCIs of its region (``territory`` level ``epci``, membership
    ``territory_member``), an EPCI straddling two regions counting in the one holding most of its
    communes (so each EPCI has one region). Without a region, the home alone."""
    if home.in_metropolis:
        return tuple(terr.codes("ept"))
    if not home.region:
        return (home.code,)
    region = set(terr.communes_of(home.region))
    codes = []
    for code in terr.codes("epci"):
        members = terr.communes_of(code)
        if members and 2 * sum(m in region for m in members) > len(members):
            codes.append(code)
    if home.code not in codes:
        codes.append(home.code)
    return tuple(sorted(codes, key=lambda c: terr.names.get(c, c)))


def peers(engine: sa.Engine) -> tuple[str, ...]:
    """``peer_codes`` of the configured home on ``engine``'s store (cached per data version)."""
    h = home(engine)
    st = store(engine)
    return st._cached(("home-peers", h.code, h.region), lambda: peer_codes(st.territories(), h))
