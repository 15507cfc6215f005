"""The profile of a place (« fiche communale » or « fiche territoriale ») as a record, and what it
says of itself in its language: its name, title, identity line, permanent link, and the styles,
keys and alternative text of its locator map. Built by ``exports.profile.profile`` (which reads
the store); printed by ``exports.fiche`` and ``exports.fiche_html``. Pure: nothing is read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import config
from config.texts import t
from exports.charts import COLOURS
from exports.grammar_en import place_name
from exports.model import Credit, Facts, Place
from figures.roles import ROLE_COLORS

#: Fills of the locator map: the place, the communes of its territory, the rest of the MGP.
FOCUS_FILL, TERRITORY_FILL, CONTEXT_FILL = COLOURS["focus"], "#B8BEC6", "#E5E7EB"
MAX_DEPARTMENTS = 3  # a group's or territory's department columns (the table must stay one page)

MapStyles = dict[str, tuple[str | None, str, float]]


@dataclass(frozen=True)
class Profile:
    """Everything the fiche prints (built by ``profile``; ``fiche_pdf`` only draws it)."""

    place: Place
    references: tuple[Place, ...]
    department: str
    sections: tuple[tuple[str, tuple[Facts, ...]], ...]
    highlights: tuple[str, ...]
    credits: tuple[Credit, ...]
    map_credit: str
    shapes: dict[str, Any]
    context: tuple[str, ...]  # MGP communes (grey), then the commune's territory communes
    territory: tuple[str, ...]
    data_date: str = ""
    outlines: tuple[str, ...] = ()  # territories outlined on the map (a territory fiche)
    omitted: tuple[str, ...] = ()  # headline indicators without any value here (medians for a territory)
    # headline indicators whose sources do not cover the place (Île-de-France files, issue #11)
    uncovered: tuple[str, ...] = ()
    lang: str = "fr"  # « en »: every text in English (``?lang=en``)
    base_url: str = ""  # the app's address (``request.url_root``): the printed links work outside it
    absent: tuple[str, ...] = ()  # census variables absent from the file loaded for the place (#11)

    @property
    def is_commune(self) -> bool:
        return self.place.level == "commune"

    @property
    def has_map(self) -> bool:
        """Whether the locator map has something to draw: shapes of the place's communes are
        loaded (issue #11: none outside the departments loaded, the fiche then has no map box)."""
        return any(code in self.shapes for code in (*self.territory, self.place.code))

    def _t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def name(self) -> str:
        """The place's name in the fiche's language (« Greater Paris Metropolis »)."""
        return place_name(self.place) if self.lang == "en" else self.place.name

    def ref_name(self, ref: Place) -> str:
        return place_name(ref) if self.lang == "en" else ref.name

    @property
    def kind(self) -> str:
        """« communale » or « territoriale » (``title``: « … — fiche communale »)."""
        return self._t("fiche.kind_lower." + ("commune" if self.is_commune else "territory"))

    @property
    def heading(self) -> str:
        """« Fiche communale » (« Commune profile »): the header's second line."""
        return self._t("fiche.kind." + ("commune" if self.is_commune else "territory"))

    @property
    def title(self) -> str:
        """The document's title (metadata): « Vitry-sur-Seine — fiche communale »."""
        return self._t("fiche.doc_title", name=self.name, kind=self.kind)

    @property
    def href(self) -> str:
        """The fiche's path (``exports.routes``), without the language."""
        return fiche_path(self.place.code, self.is_commune)

    @property
    def link(self) -> str:
        """The permanent link printed on the fiche: absolute when the app's address is known,
        with ``?lang=en`` for an English fiche (a reader outside the app can open it)."""
        query = "?" + urlencode({"lang": "en"}) if self.lang == "en" else ""
        return self.base_url.rstrip("/") + self.href + query

    def absolute(self, path: str) -> str:
        """``path`` (« /explication?… ») on the app's address."""
        return self.base_url.rstrip("/") + path

    @property
    def subject(self) -> str:
        """The PDF's subject (metadata)."""
        if self.is_commune and self.place.ept:
            return self._t("fiche.subject_commune")
        names = [self.ref_name(r) for r in self.references]
        return self._t("fiche.subject_refs", names=", ".join(names)) if names else self._t("fiche.subject")

    def _territory_of(self, ept: str) -> str:
        return t("deck.territory_bar", self.lang, name=ept)

    def ident(self) -> str:
        """The header's identity line: code, department(s), territory, metropolis."""
        ept = next((r.name for r in self.references if r.level == "ept"), "")
        if self.is_commune:
            parts = [
                self._t("fiche.insee_code", code=self.place.code),
                self.department,
                self._territory_of(ept) if ept else "",
            ]
        else:
            n = len(self.territory)
            what = {"ept": self._t("fiche.ept", code=self.place.code), "mgp": ""}
            count = self._t("fiche.communes", n=n) if n > 1 else self._t("fiche.one_commune")
            parts = [what.get(self.place.level, ""), count, self.department]
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            parts.append(next((r.name for r in self.references if r.level == "epci"), ""))
        elif self.place.level not in ("mgp", "epci"):
            parts.append(self._t("fiche.mgp"))
        return " · ".join(x for x in parts if x)

    def map_styles(self) -> MapStyles:
        """Fill, stroke and line width per shape code, drawn in this order (``exports.svg``)."""
        styles: MapStyles = {code: (CONTEXT_FILL, "#FFFFFF", 0.4) for code in self.context}
        if self.is_commune:
            styles.update({code: (TERRITORY_FILL, "#FFFFFF", 0.4) for code in self.territory})
            styles[self.place.code] = (FOCUS_FILL, "#FFFFFF", 0.5)
            styles[self.place.ept or config.home().code] = (None, ROLE_COLORS["territory"], 1.1)
            return styles
        # the metropolis: its communes faint, its 12 territories' limits bold
        thin = 0.15 if self.outlines else 0.3
        styles.update({code: (FOCUS_FILL, "#FFFFFF", thin) for code in self.territory})
        styles.update({code: (None, "#FFFFFF", 1.2) for code in self.outlines})
        if self.place.code in self.shapes:  # a group has no shape of its own: its communes show it
            styles[self.place.code] = (None, ROLE_COLORS["territory"], 1.1)
        return styles

    def map_legend(self) -> list[tuple[str, str]]:
        """(colour, label) of the map's keys."""
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            epci = next((r.name for r in self.references if r.level == "epci"), "")
            return [(FOCUS_FILL, self.name), (TERRITORY_FILL, epci), (CONTEXT_FILL, self.department)]
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            return [
                (FOCUS_FILL, self.name),
                (TERRITORY_FILL, self._territory_of(ept) if ept else self._t("fiche.territory")),
                (CONTEXT_FILL, self._t("fiche.mgp")),
            ]
        if self.place.level == "mgp":
            return [(FOCUS_FILL, self._t("fiche.legend_mgp", n=len(self.territory)))]
        around = self._t("fiche.mgp") if self.place.level != "epci" else self.department
        return [(FOCUS_FILL, self.name), (CONTEXT_FILL, around)]

    def map_alt(self) -> str:
        """The map's alternative text."""
        name = self.name
        if self.is_commune and not self.place.ept:  # a commune of a home elsewhere (issue #11)
            default = self._t("fiche.alt_epci_default")
            epci = next((r.name for r in self.references if r.level == "epci"), default)
            return self._t("fiche.alt_elsewhere", place=name, epci=epci, department=self.department)
        if self.is_commune:
            ept = next((r.name for r in self.references if r.level == "ept"), "")
            if ept:
                return self._t("fiche.alt_commune", place=name, ept=ept)
            return self._t("fiche.alt_commune_noept", place=name)
        if self.place.level == "mgp":
            return self._t("fiche.alt_mgp", n=len(self.territory))
        if self.place.level == "epci":
            return self._t("fiche.alt_epci", place=name, department=self.department)
        return self._t("fiche.alt_territory", place=name)


def fiche_path(code: str, commune: bool) -> str:
    """``/export/commune/94081.pdf`` or ``/export/territoire/T12.pdf``."""
    return f"/export/{'commune' if commune else 'territoire'}/{code}.pdf"


def label_of(f: Facts, lang: str) -> str:
    """The indicator's label in ``lang``."""
    return f.indicator.label_en if lang == "en" else f.indicator.label_fr
