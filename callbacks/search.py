"""The header search: communes, territories (T1, T2 …, MGP, departments; for a home outside the
metropolis its peers, the EPCIs of its region, and its references) and indicators, ranked by the
server so that what is typed comes first, and Enter opens the first result.

* ``normalise`` / ``rank`` are pure: « St-Denis », « saint denis » and « SAINT-DENIS » are the same
  query; an exact name or code comes first, then names starting with the query, then names with a
  word starting with it, then names merely containing it (« Ivry » → Ivry-sur-Seine before
  Livry-Gargan).
* Dash's dropdown filters its options in the browser with its own index: the ranked options carry
  the typed text in their ``search`` field (so the browser keeps them all) and the dropdown keeps
  their order (``search_order="original"``); its Enter key picks the first option.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from dash import Input, Output, State, no_update

import indicators as ind_api
from callbacks import data
from callbacks.registration import callback
from callbacks.state import build_query, lang_of
from layouts import ids
from layouts.i18n import t

#: Suggestions shown for a query (the dropdown scrolls; the first ones are what matters).
LIMIT = 12
KINDS = ("commune", "territory", "indicator")
#: The territories offered for a home in the metropolis (``groups``).
GROUPS = ("MGP", *(f"T{i}" for i in range(1, 13)), "D75", "D91", "D92", "D93", "D94", "D95")
_SEP = re.compile(r"[\s'’`\-‐‑–—_.,;:/()«»\"]+")
_ABBREV = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@dataclass(frozen=True)
class Entry:
    """Something the search can open: ``value`` (``commune:94041``), its label and the texts it
    answers to (names, codes, aliases)."""

    value: str
    label: str
    kind: str
    keys: tuple[str, ...]


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, « st »/« ste » spelt out:
    « L'Haÿ-les-Roses » → « l hay les roses »; « St-Maur » → « saint maur »."""
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = [w for w in _SEP.split(plain) if w]
    return " ".join(_ABBREV.get(w, w) for w in words)


def _match(query: str, key: str) -> tuple[int, int] | None:
    """(tier, position) of ``query`` in ``key`` (both normalised), lower is better; None if no match."""
    if key == query:
        return 0, 0
    if key.startswith(query):
        return 1, 0
    pos = (" " + key).find(" " + query)
    if pos >= 0:
        return 2, pos
    words = key.split()
    terms = query.split()
    if all(any(w.startswith(q) for w in words) for q in terms):
        return 3, 0
    pos = key.find(query)
    if pos >= 0:
        return 4, pos
    if all(q in key for q in terms):
        return 5, 0
    return None


def rank(query: str, entries: Sequence[Entry], limit: int = LIMIT) -> list[Entry]:
    """The entries matching ``query``, best first: exact, then prefix, then word prefix, then
    substring; ties go to the earliest match, communes before territories before indicators,
    shorter names, then the order of ``entries``."""
    q = normalise(query or "")
    if not q:
        return list(entries[:limit])
    scored = []
    for index, entry in enumerate(entries):
        best = None
        for key in entry.keys:
            found = _match(q, normalise(key))
            if found is not None and (best is None or found < best):
                best = found
        if best is not None:
            kind = KINDS.index(entry.kind) if entry.kind in KINDS else len(KINDS)
            scored.append(((best[0], best[1], kind, len(entry.keys[0]), index), entry))
    scored.sort(key=lambda item: item[0])
    return [entry for _, entry in scored[:limit]]


def target(value: str | None) -> str | None:
    """The path an entry opens: a commune's profile, a territory (the overview for the home, the
    comparison otherwise), an indicator's page. ``None`` for an unknown value."""
    if not value:
        return None
    kind, _, code = value.partition(":") if ":" in value else ("commune", "", value)
    if kind == "commune" and code:
        return f"/commune/{code}"
    if kind == "territory" and code:
        if code == data.home().code:
            return "/"
        places = list(dict.fromkeys([code, data.home().code, data.home().scope]))
        return "/comparer" + build_query({"territoires": places})
    if kind == "indicator" and code:
        return f"/indicateurs/{code}"
    return None


def _group_keys(code: str, name: str) -> tuple[str, ...]:
    if code.startswith("T"):
        keys = [name, code, f"EPT {code[1:]}", f"territoire {code[1:]}"]
        return tuple(keys + ([data.home().short] if code == data.home().code else []))
    if code.startswith("D"):
        return (name, code, code[1:])
    if code == data.MGP:
        return (name, code, "Grand Paris", "métropole")
    # an EPCI (the home outside the metropolis and its peers), a region
    return (name, code) + ((data.home().short,) if code == data.home().code else ())


def groups() -> tuple[str, ...]:
    """The territories the search offers, the home first: the MGP, its 12 territories and six
    departments; for a home elsewhere (issue #11) its references (departments, region) then its
    peers (the EPCIs of its region, ``data.peers``)."""
    home = data.home()
    if home.in_metropolis:
        return tuple(dict.fromkeys([home.code, *GROUPS, *home.references]))
    return tuple(dict.fromkeys([home.code, *home.references, home.scope, *data.peers()]))


def _kind(code: str) -> str:
    level = data.territories().levels.get(code, "")
    kinds = {"departement": "dep", "epci": "epci", "region": "region"}
    return f"search.kind.{kinds.get(level, 'territory')}"


def _build_entries(lang: str) -> list[Entry]:
    terr = data.territories()
    home = data.home()
    # the metropolis's communes, and the home's when it lies elsewhere (issue #11)
    found = set(terr.communes_of(data.MGP)) | set(home.members)
    communes = sorted(found, key=lambda c: data.fold(data.name(c)))
    out = [Entry(f"commune:{c}", f"{data.name(c)} ({c})", "commune", (data.name(c), c)) for c in communes]
    for code in groups():
        name = terr.names.get(code)
        if not name:
            continue
        kind = _kind(code)
        shown = code[1:] if code.startswith("D") else code
        label = (
            f"{name} ({shown}) · {t(kind, lang)}"
            if code != data.MGP
            else f"{data.name(code, lang)} · {t(kind, lang)}"
        )
        out.append(Entry(f"territory:{code}", label, "territory", _group_keys(code, name)))
    for ind_id, ind in ind_api.catalogue().items():
        name = ind.label_en if lang == "en" else ind.label_fr
        keys = (name, ind.label_fr if lang == "en" else ind.label_en, ind_id.replace("_", " "))
        out.append(
            Entry(f"indicator:{ind_id}", f"{name} · {t('search.kind.indicator', lang)}", "indicator", keys)
        )
    return out


def entries(lang: str) -> list[Entry]:
    """Everything the search can open, in the page language (memoised per data version)."""
    return data.memoised(("search-entries", lang), lambda: _build_entries(lang))


def options(found: Iterable[Entry], query: str = "") -> list[dict[str, str]]:
    """Dropdown options; ``search`` holds the typed text so that the browser's filter keeps them."""
    typed = " ".join(dict.fromkeys([(query or "").strip().lower(), normalise(query or "")])).strip()
    return [
        {"label": e.label, "value": e.value, "search": typed or normalise(" ".join(e.keys))} for e in found
    ]


def default_options(lang: str) -> list[dict[str, str]]:
    """What the box offers before anything is typed: the 130 communes of the metropolis (and the
    home's elsewhere)."""
    return options([e for e in entries(lang) if e.kind == "commune"])


@callback(
    Output(ids.SEARCH, "options"),
    Input(ids.SEARCH, "search_value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def suggest(query: str | None, search: str | None) -> list[dict[str, str]]:
    """Ranked suggestions for what is typed (the communes when the box is empty)."""
    lang = lang_of(search)
    if not normalise(query or ""):
        return default_options(lang)
    return options(rank(query or "", entries(lang)), query or "")


@callback(
    Output(ids.URL, "pathname", allow_duplicate=True),
    Output(ids.URL, "search", allow_duplicate=True),
    Output(ids.SEARCH, "value"),
    Input(ids.SEARCH, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def go_to(value: str | None, search: str | None) -> tuple:
    """Open the chosen result (keeping the language) and empty the box."""
    path = target(value)
    if path is None:
        return no_update, no_update, None if value else no_update
    lang = lang_of(search)
    base, _, query = path.partition("?")
    extra = "&".join(p for p in (query, "lang=en" if lang == "en" else "") if p)
    return base, ("?" + extra if extra else ""), None
