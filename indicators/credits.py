"""The one source line of a value, a chart or a table (issue #9.10), in plain French or English.

« Source : Insee, recensement de la population 2018 et 2022 (comparateur de territoires) · Licence
Ouverte / Etalab 2.0 »: the producer first, the datasets the indicator's variables come from
(``etl/datasets.yaml``) with the years read, the files actually read by their plain name in
parentheses, the licence once at the end. A file's own credit (``credit_fr`` of
``etl/sources/<id>.yaml``, which names every dataset the file bundles) stays on the sources page.

``credit_line`` is the one builder; ``frame_credit`` reads its arguments from a values frame
(``indicators.values``: year, denominator_year, sources), ``credit_line_of`` joins several
indicators (a profile table, the key figures), ``source_items`` gives one item per producer for
a list (the deck's sources slide). Pure functions over the declarations of ``indicators.datasets``
(no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from etl.registry import sources as declared_sources
from indicators.catalogue import Indicator, get_indicator
from indicators.datasets import Dataset, dataset_of, declaration, file_of, template

# ``exports.fiche`` reads it from here (the declarations themselves live in ``indicators.datasets``)
from indicators.datasets import indicator_datasets as indicator_datasets

#: French typography puts a space before « : » and « ; », English none
WORDS = {
    "fr": {"one": "Source : ", "many": "Sources : ", "and": " et ", "to": " à ", "sep": " ; "},
    "en": {"one": "Source: ", "many": "Sources: ", "and": " and ", "to": " to ", "sep": "; "},
}


def separator(lang: str) -> str:
    """« ; » between items of a source line: « a ; b » in French, « a; b » in English."""
    return WORDS.get(lang, WORDS["fr"])["sep"]


@dataclass(frozen=True)
class Use:
    """One indicator as shown: the years of its values, the years of a denominator read at another
    period (``denominator_period: latest``), and the source files actually read."""

    indicator: Indicator
    years: tuple[int, ...] = ()
    source_ids: tuple[str, ...] = ()
    denominator_years: tuple[int, ...] = ()


def _dataset_years(use: Use) -> dict[str, set[int]]:
    """{dataset: years read}: the numerator's at the years shown (and, for a change, its base
    years); the denominator's at the same years, its fixed period or the years given."""
    f = use.indicator.formula
    years = set(use.years)
    if f.kind == "change":
        years |= {b for y in use.years if (b := f.base_year(y)) is not None}
    if f.denominator_period == "fixed" and f.denominator_fixed:
        den_years = {f.denominator_fixed[0]}
    elif f.denominator_period == "latest":
        den_years = set(use.denominator_years)
    else:
        den_years = years
    out: dict[str, set[int]] = {}
    for term in f.numerator:
        if (d := dataset_of(term.variable)) is not None:
            out.setdefault(d, set()).update(years)
    for term in f.denominator if f.kind == "ratio" else ():
        if (d := dataset_of(term.variable)) is not None:
            out.setdefault(d, set()).update(den_years)
    return out


def years_text(years: Iterable[int], lang: str = "fr") -> str:
    """« 2022 », « 2018 et 2022 », « 2014 à 2021 », « 2011, 2013 à 2024 »: runs of 3+ years as ranges."""
    w = WORDS.get(lang, WORDS["fr"])
    ys = sorted(set(years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts: list[str] = []
    for r in runs:
        parts += [f"{r[0]}{w['to']}{r[-1]}"] if len(r) >= 3 else [str(y) for y in r]
    return ", ".join(parts[:-1]) + w["and"] + parts[-1] if len(parts) > 1 else "".join(parts)


@dataclass
class _Entry:
    dataset: Dataset
    years: set[int]
    files: list[str]  # source ids


def _entries(uses: Sequence[Use]) -> list[_Entry]:
    """The datasets of all uses in order of first appearance, their years and the files read."""
    datasets, _ = declaration()
    out: dict[str, _Entry] = {}
    for use in uses:
        read = list(use.source_ids) or list(use.indicator.sources)
        for d, years in _dataset_years(use).items():
            entry = out.setdefault(d, _Entry(datasets[d], set(), []))
            entry.years |= years
            for s in read:
                spec = file_of(s)
                if spec is not None and d in spec.datasets and s not in entry.files:
                    entry.files.append(s)
    return list(out.values())


def _file_names(source_ids: Sequence[str], lang: str) -> tuple[str, ...]:
    """Plain names of the files, in the declaration's order (the same line whatever the read order)."""
    order = list(declaration()[1])
    ids = sorted(source_ids, key=lambda s: order.index(template(s)) if template(s) in order else len(order))
    names = (getattr(file_of(s), f"name_{'en' if lang == 'en' else 'fr'}", "") for s in ids)
    return tuple(dict.fromkeys(n for n in names if n))


def _groups(entries: Sequence[_Entry], lang: str) -> list[tuple[str, list[_Entry]]]:
    """Entries grouped by producer (order of first appearance)."""
    groups: dict[str, list[_Entry]] = {}
    for e in entries:
        groups.setdefault(e.dataset.producer, []).append(e)
    return list(groups.items())


def _group_text(producer: str, entries: Sequence[_Entry], lang: str) -> str:
    """« Insee, état civil 2024, recensement de la population 2022 (comparateur de territoires) »:
    the files once at the end when every dataset of the producer was read from the same ones."""
    label = "label_en" if lang == "en" else "label_fr"

    def named(e: _Entry) -> str:
        years = years_text(e.years, lang) if e.years else ""
        return " ".join(x for x in (getattr(e.dataset, label), years) if x)

    names = [_file_names(e.files, lang) for e in entries]
    if len(set(names)) == 1:
        paren = f" ({', '.join(names[0])})" if names[0] else ""
        return f"{producer}, {', '.join(named(e) for e in entries)}{paren}"
    parts = [named(e) + (f" ({', '.join(n)})" if n else "") for e, n in zip(entries, names, strict=True)]
    return f"{producer}, {', '.join(parts)}"


def _licence_of(source_id: str, licences: Mapping[str, str] | None) -> str:
    if licences is not None and source_id in licences:
        return licences[source_id] or ""
    spec = declared_sources().get(template(source_id))
    return spec.licence if spec is not None else ""


def _licences(
    uses: Sequence[Use], entries: Sequence[_Entry], licences: Mapping[str, str] | None
) -> list[str]:
    """Licences of the files read for the datasets named (a file without a declared licence adds none)."""
    read = [s for e in entries for s in e.files]
    read += [
        s for u in uses for s in u.source_ids if file_of(s) is None
    ]  # undeclared files (tests, new sources)
    return list(dict.fromkeys(x for s in read if (x := _licence_of(s, licences))))


def credit_line_of(uses: Sequence[Use], lang: str = "fr", licences: Mapping[str, str] | None = None) -> str:
    """The source line of several indicators shown together (see ``credit_line``)."""
    entries = _entries(uses)
    if not entries:
        return ""
    w = WORDS.get(lang, WORDS["fr"])
    text = w["sep"].join(_group_text(p, es, lang) for p, es in _groups(entries, lang))
    prefix = w["one"] if len(entries) == 1 else w["many"]
    lic = w["sep"].join(_licences(uses, entries, licences))
    return prefix + text + (f" · {lic}" if lic else "")


def credit_line(
    indicator: Indicator | str,
    years: Iterable[int] = (),
    source_ids: Iterable[str] = (),
    lang: str = "fr",
    *,
    denominator_years: Iterable[int] = (),
    licences: Mapping[str, str] | None = None,
) -> str:
    """« Source : Insee, recensement de la population 2018 et 2022 (comparateur de territoires) ·
    Licence Ouverte / Etalab 2.0 »: the datasets ``indicator`` reads, at ``years`` (the years shown),
    from the files ``source_ids`` (those actually read; the indicator's declared ones if empty).
    ``licences`` (source id → licence, e.g. the store's rows) overrides the declarations."""
    ind = get_indicator(indicator) if isinstance(indicator, str) else indicator
    use = Use(ind, _ints(years), tuple(source_ids), _ints(denominator_years))
    return credit_line_of([use], lang, licences)


def _ints(values: Iterable[Any]) -> tuple[int, ...]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue  # NaN, None: a row without a value
    return tuple(sorted(set(out)))


def _split(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for v in values if isinstance(v, str) for s in v.split(",") if s))


def rows_uses(rows: Iterable[Mapping[str, Any]], indicator: Indicator | None = None) -> list[Use]:
    """One ``Use`` per indicator of value rows (``indicators.values`` frame records or API rows):
    their years, denominator years and sources read. ``indicator`` when the rows have no
    ``indicator`` field."""
    by_id: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        key = row.get("indicator") or (indicator.id if indicator else "")
        by_id.setdefault(str(key), []).append(row)
    out = []
    for key, group in by_id.items():
        ind = indicator if indicator is not None and key in ("", indicator.id) else get_indicator(key)
        out.append(
            Use(
                ind,
                _ints(r.get("year") for r in group),
                _split(r.get("sources") for r in group),
                _ints(r.get("denominator_year") for r in group),
            )
        )
    return out


def frame_credit(
    frame: Any,
    lang: str = "fr",
    indicator: Indicator | None = None,
    licences: Mapping[str, str] | None = None,
) -> str:
    """The source line of a values frame (``indicator``, ``year``, ``denominator_year``, ``sources``)."""
    records = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    uses = rows_uses(records, indicator)
    if not uses and indicator is not None:
        uses = [Use(indicator)]
    return credit_line_of(uses, lang, licences)


def source_items(
    uses: Sequence[Use], lang: str = "fr", licences: Mapping[str, str] | None = None
) -> list[str]:
    """One item per producer for a list of sources (the deck's sources slide): « Insee,
    recensement de la population 2022 (comparateur de territoires) — Licence Ouverte / Etalab 2.0 »."""
    out = []
    for producer, entries in _groups(_entries(uses), lang):
        lic = separator(lang).join(_licences([], entries, licences))
        out.append(" — ".join(x for x in (_group_text(producer, entries, lang), lic) if x))
    return out


def dataset_items(uses: Sequence[Use], lang: str = "fr") -> list[tuple[str, str]]:
    """(dataset id, « Insee, recensement de la population 2022 (comparateur de territoires) ») for
    each dataset of ``uses``: the numbered references of a document (the fiche's « Sources »)."""
    return [(e.dataset.id, _group_text(e.dataset.producer, [e], lang)) for e in _entries(uses)]
