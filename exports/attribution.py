"""Who the figures of an export come from, as slides and fiches print it (pure): the
observatory's name, the one source line of a slide, the sources slide, the fiche's numbered
datasets, the licence line and a credit described in full (speaker notes). The wording itself is
``indicators.credits``'s; this module says what each export uses (``Use``).
"""

from __future__ import annotations

from collections.abc import Sequence

from exports.model import Credit, Facts
from indicators.credits import Use, credit_line_of, dataset_items, source_items
from layouts.i18n import t


def observatory(lang: str = "fr") -> str:
    """The observatory's name on slides and fiches: the app title of the configuration (issue #11)."""
    return t("app.title", lang)


def _use(facts: Facts) -> Use:
    """What an indicator slide shows: its year (and the earlier one its change is stated from),
    the files read and the year of a denominator read at another period."""
    years = {facts.year} | (
        {facts.earlier_year} if facts.earlier is not None and facts.earlier_year else set()
    )
    return Use(
        facts.indicator,
        tuple(sorted(years)),
        tuple(c.source_id for c in facts.credits),
        (facts.denominator_year,) if facts.denominator_year else (),
    )


def source_line(facts: Sequence[Facts], lang: str = "fr") -> str:
    """The one source line of slides (issue #9.10, ``indicators.credits``): « Source : Insee,
    recensement de la population 2022 (comparateur de territoires) · Licence Ouverte / Etalab 2.0 »."""
    licences = {c.source_id: c.licence for f in facts for c in f.credits}
    return credit_line_of([_use(f) for f in facts], lang, licences)


def source_list(facts: Sequence[Facts], lang: str = "fr") -> tuple[str, ...]:
    """The sources slide: one plain item per producer, naming only the datasets the slides use."""
    licences = {c.source_id: c.licence for f in facts for c in f.credits}
    return tuple(source_items([_use(f) for f in facts], lang, licences))


def dataset_list(facts: Sequence[Facts], lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(dataset id, « Insee, recensement de la population 2022 (comparateur de territoires) ») for
    each dataset the facts read: the fiche's numbered sources (a row cites its indicator's datasets)."""
    return tuple(dataset_items([_use(f) for f in facts], lang))


def licence_line(credits: Sequence[Credit], lang: str = "fr") -> str:
    """« Licence : Licence Ouverte / Etalab 2.0 » (empty when no licence could be established)."""
    licences = list(dict.fromkeys(c.licence for c in credits if c.licence))
    return t("deck.licence", lang, licences=" ; ".join(licences)) if licences else ""


def describe(credit: Credit, lang: str = "fr") -> str:
    """« Insee — Comparateur de territoire — millésime RP 2022 — Licence Ouverte / Etalab 2.0 — URL »;
    in English, the source's English credit line (``credit_en``) stands for the French wording."""
    english = credit.credit_en.split(": ", 1)[-1] if lang == "en" and credit.credit_en else ""
    named = [english] if english else [credit.producer, credit.dataset]
    vintage = t("deck.vintage", lang, vintage=credit.vintage) if not english else ""
    parts = [*named, vintage, credit.licence, credit.page_url]
    return " — ".join(p for p in parts if p)
