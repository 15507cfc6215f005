"""French grammar of place names and indicator labels (pure), for the key messages.

* ``locative``: « in <place> » with the right preposition and article (« au Kremlin-Bicêtre »,
  « à L'Haÿ-les-Roses », « dans le territoire … », « en Essonne »); communes go through
  ``etl.geography.locative``, the one place that knows the article rules of commune names;
* ``genitive``: « of <place> » (« du territoire … », « d'Ivry-sur-Seine »);
* ``subject``: an indicator label as a sentence subject (« le taux … », « la part … », or
  « on compte N logements sociaux » for counted plurals), from the label's head noun.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.geography import locative as commune_locative
from exports.model import Place
from indicators.catalogue import Indicator

# fmt: off
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_VOWELS = "aeiouyàâäéèêëîïôöûüÿœ"
# Head nouns of the catalogue labels, by gender; counted plurals read « on compte N <label> ».
_MASC = {"taux", "nombre", "revenu", "prix", "indice", "ratio", "solde", "salaire", "montant", "niveau",
         "volume", "indicateur", "écart", "parc", "rapport", "poids", "âge", "effectif", "stock", "loyer"}
_FEM = {"part", "population", "densité", "proportion", "évolution", "variation", "croissance", "surface",
        "superficie", "médiane", "moyenne", "concentration", "construction", "natalité", "mortalité",
        "taille", "durée", "valeur", "dépense", "capacité"}
_COUNTED = {"emplois", "logements", "ménages", "établissements", "créations", "demandeurs", "résidences",
            "naissances", "décès", "ventes", "mutations", "locaux", "entreprises", "familles", "habitants",
            "actifs", "chômeurs", "salariés", "effectifs", "transactions", "personnes", "jeunes", "places"}
_FEM_PLURAL = {"créations", "résidences", "naissances", "ventes", "mutations", "entreprises", "familles",
               "transactions", "personnes", "places"}
#: Departments of the Île-de-France (preposition and article are not derivable from the name).
_DEP_LOCATIVE = {"D75": "à Paris", "D91": "en Essonne", "D92": "dans les Hauts-de-Seine",
                 "D93": "en Seine-Saint-Denis", "D94": "dans le Val-de-Marne", "D95": "dans le Val-d'Oise"}
_DEP_GENITIVE = {"D75": "de Paris", "D91": "de l'Essonne", "D92": "des Hauts-de-Seine",
                 "D93": "de la Seine-Saint-Denis", "D94": "du Val-de-Marne", "D95": "du Val-d'Oise"}
# fmt: on


@dataclass(frozen=True)
class Subject:
    """How an indicator label is said in a sentence."""

    text: str  # with its article: « le taux de chômage … », « l'indicateur « … » »
    phrase: str  # without article, lower-case first letter: « logements sociaux »
    plural: bool = False
    feminine: bool = False
    counted: bool = False  # « on compte N <phrase> »
    average: bool = False  # « on compte en moyenne N … » (annual averages of monthly counts)


def join(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def capitalise(text: str) -> str:
    """Upper-case the first letter only (« à Orly » → « À Orly »)."""
    return text[:1].upper() + text[1:]


def _lower_first(label: str) -> str:
    if len(label) > 1 and label[1].isupper():  # an acronym (« DEFM … ») keeps its capitals
        return label
    return label[:1].lower() + label[1:]


#: Abbreviated kinds that begin EPCI names (« CA du Pays Basque »): they take « la ».
_EPCI = ("CA", "CC", "CU")


def locative(place: Place) -> str:
    """« in <place> » with the right preposition: « au Kremlin-Bicêtre », « dans le territoire … »."""
    if place.level in ("commune", "arrondissement"):
        return commune_locative(place.name)
    if place.level == "ept":
        return "à Paris" if place.code == "T1" else f"dans le territoire {place.name}"
    if place.level == "mgp":
        return "dans la Métropole du Grand Paris"
    if place.level == "departement":
        return _DEP_LOCATIVE.get(place.code, f"dans le département {place.name}")
    if place.level == "france":
        return "en France métropolitaine" if place.code == "FRM" else "en France"
    if place.level == "group":
        n = len(place.members)
        names = f" ({join(list(place.member_names))})" if 0 < len(place.member_names) <= 4 else ""
        return f"dans les {n} communes sélectionnées{names}"
    if place.level == "epci":  # a home outside the metropolis (issue #11): « dans la CA du Pays Basque »
        return (
            f"dans l'intercommunalité {place.name}"
            if place.name.split(" ")[0] not in _EPCI
            else f"dans la {place.name}"
        )
    if place.level == "region":
        return f"dans la région {place.name}"
    return f"dans {place.name}"


def genitive(place: Place) -> str:
    """« of <place> »: « du territoire … », « de la Métropole … », « d'Orly », « du Kremlin-Bicêtre »."""
    if place.level in ("commune", "arrondissement"):
        name = place.name
        if name.startswith("Les "):
            return "des " + name[4:]
        if name.startswith("Le "):
            return "du " + name[3:]
        return ("d'" if name[:1].lower() in _VOWELS else "de ") + name
    if place.level == "ept":
        return "de Paris" if place.code == "T1" else f"du territoire {place.name}"
    if place.level == "mgp":
        return "de la Métropole du Grand Paris"
    if place.level == "departement":
        return _DEP_GENITIVE.get(place.code, f"du département {place.name}")
    if place.level == "group":
        return f"des {len(place.members)} communes sélectionnées"
    if place.level == "epci":
        return (
            f"de l'intercommunalité {place.name}"
            if place.name.split(" ")[0] not in _EPCI
            else f"de la {place.name}"
        )
    if place.level == "region":
        return f"de la région {place.name}"
    return f"de {place.name}"


def dative(place: Place) -> str:
    """« for <place> »: « pour le territoire … », « pour la Métropole … », « pour Orly », « pour
    les Hauts-de-Seine » (from ``genitive``: « du » → « pour le », « d'» → « pour »)."""
    text = genitive(place)
    for old, new in (("du ", "pour le "), ("des ", "pour les "), ("de ", "pour "), ("d'", "pour ")):
        if text.startswith(old):
            return new + text[len(old) :]
    return "pour " + text


def subject(ind: Indicator) -> Subject:
    """The label of ``ind`` as a sentence subject (see the module docstring)."""
    label, average = ind.label_fr.strip(), False
    for suffix, avg in ((", moyenne annuelle", True), (", par mois", False)):
        if label.endswith(suffix):
            label, average = label[: -len(suffix)], avg
    phrase = _lower_first(label)
    head = phrase.split()[0].lower().strip(",;:") if phrase else ""
    if head in _COUNTED:
        return Subject(
            f"les {phrase}", phrase, plural=True, feminine=head in _FEM_PLURAL, counted=True, average=average
        )
    if head in _MASC or head in _FEM:
        feminine = head in _FEM
        article = "l'" if head[:1] in _VOWELS else ("la " if feminine else "le ")
        return Subject(article + phrase, phrase, feminine=feminine, average=average)
    # Unknown head noun: a neutral wording that is always grammatical.
    return Subject(f"l'indicateur « {label} »", phrase, average=average)
