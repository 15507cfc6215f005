"""English grammar of place names and indicator labels (pure): the counterpart of
``exports.grammar`` for the English key messages (``exports.messages_en``).

* ``place_name``: how a place is named on its own (« Greater Paris Metropolis », « 3 selected
  communes »); French proper names (communes, territories, departments) stay as they are;
* ``noun``: the place inside a sentence (« the Grand-Orly Seine Bièvre territory »), and
  ``locative`` « in <place> »;
* ``subject``: an indicator's English label as a sentence subject (« the unemployment rate of
  15-64 year-olds (census) »), or the plural noun of a count or of a ratio per 100 or 1,000
  (« there were N jobs at place of work », « there were 60.3 jobs per 100 resident … »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exports.grammar import subject as subject_fr
from exports.model import Place
from indicators.catalogue import Indicator
from indicators.geo import ENGLISH_NAMES

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
MGP_NAME = ENGLISH_NAMES["MGP"]  # « Greater Paris Metropolis »: the one rule (``indicators.geo``)
#: First words of labels that are proper names (not lower-cased inside a sentence).
_PROPER = {"Gini"}
#: Label endings that say the period of a count, not what is counted.
_SUFFIXES = ((", annual average", True), (", by month", False))
#: « Unemployment rate, 15-64 (census) » → « unemployment rate of 15-64 year-olds (census) ».
#: Singular nouns a count may be said of (« the municipal population was … »); any other singular
#: count is named as an indicator (« the indicator “Collective tourist accommodation” was … »).
_SINGULAR_COUNTS = {"population", "balance"}
_AGES = re.compile(r"^(?P<head>.+), (?P<ages>\d+-\d+)(?P<tail> \(.+\))?$")


@dataclass(frozen=True)
class Subject:
    """How an English indicator label is said in a sentence."""

    text: str  # with its article: « the unemployment rate of 15-64 year-olds (census) »
    phrase: str  # without article: « jobs at place of work »
    counted: bool = False  # « there were N <phrase> »
    average: bool = False  # « there were on average N … » (annual averages of monthly counts)


def join(items: list[str]) -> str:
    """« a », « a and b », « a, b and c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def place_name(place: Place) -> str:
    """The place's name standing alone (titles, subtitles, bars)."""
    if place.level == "mgp":
        return MGP_NAME
    if place.level == "group" and not place.name:
        return f"{len(place.members)} selected communes"
    return place.name


def noun(place: Place, names: bool = True) -> str:
    """The place inside a sentence, with its article; ``names``: a group lists up to 4 communes."""
    if place.level == "ept":
        return "Paris" if place.code == "T1" else f"the {place.name} territory"
    if place.level == "mgp":
        return f"the {MGP_NAME}"
    if place.level == "france":
        return "metropolitan France" if place.code == "FRM" else "France"
    if place.level == "group":
        listed = f" ({join(list(place.member_names))})" if names and 0 < len(place.member_names) <= 4 else ""
        return f"the {len(place.members)} selected communes{listed}"
    if place.level == "region":
        return f"the {place.name} region"
    return place.name  # communes, departments (« Val-de-Marne »), intercommunalities


def locative(place: Place) -> str:
    """« in <place> »: « in Vitry-sur-Seine », « in the Grand-Orly Seine Bièvre territory »."""
    return "in " + noun(place)


def _lower_first(label: str) -> str:
    word = label.split(" ", 1)[0]
    if word in _PROPER or any(c.isupper() or c.isdigit() for c in word[1:]):  # « DEFM », « S80/S20 »
        return label
    return label[:1].lower() + label[1:]


def _plural(phrase: str) -> bool:
    """A plural noun among the words before any bracket (« jobs at place of work », « hotels »)."""
    words = phrase.split("(")[0].replace(",", " ").split()
    return any(w.endswith("s") and not w.endswith("ss") for w in words)


def subject(ind: Indicator) -> Subject:
    """The English label of ``ind`` as a sentence subject (see the module docstring)."""
    label, average = ind.label_en.strip(), False
    for suffix, avg in _SUFFIXES:
        if label.endswith(suffix):
            label, average = label[: -len(suffix)], avg
    ages = _AGES.match(label)
    if ages:  # a comma inside a subject reads as a pause: say the age band in words
        label = f"{ages['head']} of {ages['ages']} year-olds{ages['tail'] or ''}"
    phrase = _lower_first(label)
    if ind.unit == "count" and ind.formula.kind != "change":
        if subject_fr(ind).counted or _plural(phrase):
            return Subject(phrase, phrase, counted=True, average=average)
        if not _SINGULAR_COUNTS & set(phrase.split("(")[0].split()):
            return Subject(f"the indicator “{label}”", phrase, average=average)
    per = phrase.split(" per ", 1)
    if ind.unit in ("per_100", "per_1000") and len(per) == 2 and _plural(per[0]):
        # « Jobs per 100 resident active people »: the unit is in the words, the numbers stay bare
        return Subject(phrase, phrase, counted=True, average=average)
    return Subject(f"the {phrase}", phrase, average=average)
