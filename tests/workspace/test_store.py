"""Notes, targets, saved views and the audit log (SQL level), targets on charts, and backups."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import date

import plotly.graph_objects as go
import pytest
import sqlalchemy as sa

from etl.config import Settings
from etl.store import schema
from etl.store.db import make_engine
from tests.workspace.conftest import csrf_cookie, login
from workspace import audit, store, users


@pytest.fixture()
def two_officers(empty_url, officer):
    engine = make_engine(empty_url)
    (a, pa), (b, pb) = officer(), officer()
    yield engine, users.authenticate(engine, a, pa), users.authenticate(engine, b, pb)
    engine.dispose()


def test_note_round_trip_with_audit(two_officers) -> None:
    engine, alice, bob = two_officers
    note = store.add_note(
        engine,
        alice,
        indicator=None,
        code="94081",
        note_date="2025-06-30",
        body="Ouverture du centre commercial : prudence sur les effectifs 2025.",
        public=False,
    )
    got = store.notes_for(engine, code="94081", public_only=False)
    assert [(n["id"], n["body"], n["note_date"], n["author"]) for n in got] == [
        (note["id"], note["body"], date(2025, 6, 30), alice.username)
    ]
    assert store.notes_for(engine, code="94081") == []  # not public
    edited = store.update_note(engine, alice, note["id"], note["version"], public=True, body="Texte corrigé")
    assert edited["version"] == 2 and store.notes_for(engine, code="94081")[0]["body"] == "Texte corrigé"
    with pytest.raises(store.Conflict):  # based on version 1: someone changed it meanwhile
        store.update_note(engine, alice, note["id"], 1, body="écrase")
    with pytest.raises(store.Forbidden):  # only the author (or an admin)
        store.archive_note(engine, bob, note["id"])
    store.archive_note(engine, alice, note["id"])
    assert store.notes_for(engine, code="94081", public_only=False) == []
    with engine.connect() as conn:  # archived, never deleted
        assert conn.execute(sa.select(schema.note.c.archived_at)).scalar() is not None
    actions = [(e["action"], e["username"]) for e in audit.recent(engine)]
    assert [a for a, _ in actions if a.startswith("note.")] == [
        "note.archive",
        "note.archive.refused",  # refused edits are recorded too (issue #13)
        "note.update.refused",
        "note.update",
        "note.create",
    ]
    assert [u for a, u in actions if a.startswith("note.")] == [alice.username, bob.username] + [
        alice.username
    ] * 3
    detail = json.loads(next(e["detail"] for e in audit.recent(engine) if e["action"] == "note.update"))
    assert detail["before"]["body"].startswith("Ouverture") and detail["after"]["body"] == "Texte corrigé"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"indicator": None, "code": None, "body": "x"}, "attached"),
        ({"indicator": "not an id!", "code": None, "body": "x"}, "indicator"),
        ({"indicator": None, "code": "T12", "body": "   "}, "empty"),
        ({"indicator": None, "code": "T12", "body": "x" * 5001}, "too long"),
        ({"indicator": None, "code": "t12; drop", "body": "x"}, "code"),
    ],
)
def test_note_validation(two_officers, kwargs, message) -> None:
    engine, alice, _ = two_officers
    with pytest.raises(store.WorkspaceError, match=message):
        store.add_note(engine, alice, note_date="2025-01-01", **kwargs)


def test_target_and_distance_on_chart(two_officers) -> None:
    from workspace.overlay import add_target, distance_text

    engine, alice, bob = two_officers
    t1 = store.set_target(
        engine,
        alice,
        indicator="social_housing_share",
        code="94081",
        value=25,
        target_date="2025-12-31",
        label="Loi SRU",
    )
    with pytest.raises(store.Forbidden):  # a colleague's target is theirs (issue #13): bob cannot change it
        store.set_target(
            engine, bob, indicator="social_housing_share", code="94081", value="30", target_date="2030-12-31"
        )
    with pytest.raises(store.Forbidden):
        store.archive_target(engine, bob, t1["id"])
    t2 = store.set_target(
        engine, alice, indicator="social_housing_share", code="94081", value="30", target_date="2030-12-31"
    )
    assert t1["id"] == t2["id"] and t2["value"] == 30 and t2["version"] == 2
    assert len(store.targets_for(engine, "social_housing_share", "94081", public_only=False)) == 1
    with pytest.raises(store.WorkspaceError):
        store.set_target(
            engine,
            alice,
            indicator="social_housing_share",
            code="94081",
            value="n/a",
            target_date="2030-12-31",
        )
    text = distance_text(
        {"value": 25, "target_date": date(2025, 12, 31), "label": "Loi SRU"}, 21.8, "percent", 1, "fr"
    )
    assert "25" in text and "Loi SRU" in text and "3,2" in text
    fig = add_target(go.Figure(), {"value": 25, "target_date": "2025-12-31"}, 21.8, "percent", 1, "fr")
    assert fig.layout.shapes[0].y0 == 25


def test_saved_views(two_officers) -> None:
    engine, alice, bob = two_officers
    mine = store.save_view(engine, alice, "Carte chômage", "/carte?indicateur=unemployment_rate&annee=2022")
    store.save_view(engine, alice, "Partagée", "/comparer?territoires=T12,MGP", shared=True)
    assert [v["name"] for v in store.views_for(engine, alice)] == ["Partagée", "Carte chômage"]
    assert [v["name"] for v in store.views_for(engine, bob)] == ["Partagée"]
    for bad in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "carte"):
        with pytest.raises(store.WorkspaceError):
            store.save_view(engine, alice, "x", bad)
    with pytest.raises(store.Forbidden):
        store.archive_view(engine, bob, mine["id"])
    store.archive_view(engine, alice, mine["id"])
    assert [v["name"] for v in store.views_for(engine, alice)] == ["Partagée"]


def test_api_round_trip(make_app, empty_url, officer) -> None:
    name, password = officer()
    client = make_app("workspace", empty_url).server.test_client()
    login(client, name, password)
    h = {"X-CSRFToken": csrf_cookie(client)}
    made = client.post(
        "/api/v1/workspace/notes",
        json={"code": "T12", "note_date": "2026-02-01", "body": "Arrivée de la ligne 15 Sud", "public": True},
        headers=h,
    )
    assert made.status_code == 201
    note = made.get_json()
    assert (
        client.patch(
            f"/api/v1/workspace/notes/{note['id']}", json={"version": 99, "body": "x"}, headers=h
        ).status_code
        == 409
    )
    assert client.get("/api/v1/workspace/notes?code=T12").get_json()["notes"][0]["body"] == note["body"]
    assert (
        client.post("/api/v1/workspace/views", json={"name": "v", "url": "//evil"}, headers=h).status_code
        == 422
    )
    assert (
        client.post("/api/v1/workspace/views", json={"name": "v", "url": "/carte"}, headers=h).status_code
        == 201
    )
    assert client.delete(f"/api/v1/workspace/notes/{note['id']}", headers=h).status_code == 204
    got = [e["action"] for e in client.get("/api/v1/workspace/audit").get_json()["entries"]]
    assert got[:5] == [
        "note.archive",
        "view.create",
        "view.create.refused",  # refused edits are audited too (issue #13)
        "note.update.refused",
        "note.create",
    ]


def test_backup_keeps_officer_work(two_officers, empty_url, data_dir, tmp_path) -> None:
    from etl.backup import backup

    engine, alice, _ = two_officers
    store.add_note(engine, alice, indicator=None, code="T12", note_date="2025-01-01", body="À garder")
    (data_dir / "uploads" / "france_travail_defm").mkdir(parents=True)
    (data_dir / "uploads" / "france_travail_defm" / ("ab" * 32 + ".csv")).write_text("codgeo\n")
    (data_dir / "uploads" / ".staging").mkdir()
    (data_dir / "uploads" / ".staging" / "x.csv").write_text("pending")
    written = backup(Settings(database_url=empty_url, data_dir=data_dir), tmp_path / "b.sqlite")
    assert [p.name for p in written] == ["b.sqlite", "b.sqlite.uploads.tar.gz"]
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # password hashes inside
    with sqlite3.connect(written[0]) as conn:
        assert conn.execute("SELECT body FROM note").fetchall() == [("À garder",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    import tarfile

    with tarfile.open(written[1]) as tar:
        assert tar.getnames() == ["uploads/france_travail_defm/" + "ab" * 32 + ".csv"]


def test_public_helpers_for_the_public_cards(two_officers, make_app, empty_url) -> None:
    import workspace

    engine, alice, _ = two_officers
    store.add_note(
        engine,
        alice,
        indicator="social_housing_share",
        code=None,
        note_date="2025-01-01",
        body="Nouvelle définition RPLS",
        public=True,
    )
    store.add_note(
        engine,
        alice,
        indicator="social_housing_share",
        code=None,
        note_date="2025-01-02",
        body="interne",
        public=False,
    )
    store.set_target(
        engine,
        alice,
        indicator="social_housing_share",
        code="94081",
        value=25,
        target_date="2025-12-31",
        public=True,
    )
    app = make_app("public", empty_url)
    with app.server.test_request_context("/"):
        block = workspace.public_notes("social_housing_share", "94081", "fr")
        assert "Nouvelle définition RPLS" in str(block) and "interne" not in str(block)
        assert workspace.public_notes("population", "94081", "fr") is None
        assert workspace.public_target("social_housing_share", "94081")["value"] == 25
