"""``indicators.coverage`` answers what ``service.value_rows`` at every vintage answers (issue #11).

The module decides which vintages have a value for the places shown, and whether a source does
not cover the home, from the rows of those places alone (one query) instead of a commune table
of the whole scope per vintage. The reference here is the exact, slow path it replaced: every
vintage's ``value_rows`` (values, statuses, the « not covered » reasons). Checked for every
catalogue indicator and three homes: the CA du Pays Basque (outside Île-de-France), T12 and T6.
"""

from __future__ import annotations

import pandas as pd
import pytest

import config
import indicators as ind_api
from indicators import coverage, service
from indicators.aggregate import PeriodError
from indicators.home import home as home_of
from indicators.home import peers as peers_of
from indicators.vintages import resolve as resolve_vintages

HOMES = ("200067106", "T12", "T6")


def _reference(engine, indicator_id: str, codes: tuple[str, ...]) -> dict[int, tuple]:
    """year → (any value, statuses, reasons): the implementation before the fast path."""
    ind = resolve_vintages(engine, indicator_id)
    out: dict[int, tuple] = {}
    for year in ind.years:
        try:
            rows = service.value_rows(engine, ind.id, list(codes), year)
        except PeriodError:
            continue
        has = any(r.get("value") is not None and not pd.isna(r.get("value")) for r in rows)
        out[year] = (has, tuple(r.get("status") for r in rows), tuple(r.get("reason") or "" for r in rows))
    return out


def _reference_area(table: dict[int, tuple]) -> str | None:
    if not table or any(has for has, _, _ in table.values()):
        return None
    statuses = [s for _, ss, _ in table.values() for s in ss]
    if not statuses or any(s != "not_covered" for s in statuses):
        return None
    reasons = [r for _, _, rs in table.values() for r in rs]
    return coverage.IDF if all("Île-de-France" in r for r in reasons) else coverage.ELSEWHERE


@pytest.fixture(params=HOMES)
def home(request, monkeypatch, store_engine):
    monkeypatch.setenv("OBSERVATOIRE_HOME", request.param)
    config.settings.cache_clear()
    h = home_of(store_engine)
    if not h.members:
        pytest.skip("store built before issue #11 (no EPCI membership): rebuild it with the ETL")
    yield h
    monkeypatch.undo()
    config.settings.cache_clear()


def test_coverage_matches_value_rows_at_every_vintage(home, store_engine) -> None:
    places = (home.code, *home.members)  # what the pages ask (``callbacks.data.home_year``)
    for indicator_id in ind_api.catalogue():
        for codes in (places, (home.code,)):
            expected = _reference(store_engine, indicator_id, codes)
            table = coverage._table(store_engine, indicator_id, codes)
            assert {y: (h, s) for y, (h, s, _) in table.items()} == {
                y: (h, s) for y, (h, s, _) in expected.items()
            }, (indicator_id, codes[:2])
            years = tuple(y for y, (has, _, _) in sorted(expected.items()) if has)
            assert coverage.years_with_data(store_engine, indicator_id, codes) == years, indicator_id
            assert coverage.latest_year(store_engine, indicator_id, codes) == (years[-1] if years else None)
        area = _reference_area(_reference(store_engine, indicator_id, (home.code,)))
        got = coverage.uncovered_area(store_engine, indicator_id, home.code)
        # ABSENT refines IDF: census variables the census file loaded for the home lacks (R2 point 7)
        assert (coverage.IDF if got == coverage.ABSENT else got) == area, indicator_id


def test_latest_year_of_the_peers_matches(home, store_engine) -> None:
    """The ranking's fallback (``service.ranking``) asks for the home's peers: EPCIs of a region."""
    peers = tuple(peers_of(store_engine))
    for indicator_id in ind_api.catalogue():
        expected = _reference(store_engine, indicator_id, peers)
        years = tuple(y for y, (has, _, _) in sorted(expected.items()) if has)
        assert coverage.years_with_data(store_engine, indicator_id, peers) == years, indicator_id
