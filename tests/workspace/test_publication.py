"""Issue #13, gap 1: a published upload is never silently lost to a concurrent command-line
``etl run``. The publication is a background job under the store's writer lock, its status is
persisted (queued → publishing → published | failed) and polled by the officer's page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from etl.store import schema
from etl.store.lock import writer_lock
from tests.workspace.conftest import copy_store, wait_for_upload
from tests.workspace.test_uploads import KEY, SOURCE, _send, _workspace_client, next_release

REPO = Path(__file__).resolve().parents[2]


def _preview(make_app, store_url, data_dir, raw_dir, officer):
    url = copy_store(store_url, data_dir)
    app, client, h = _workspace_client(make_app, url, officer, raw_dir)
    data, _ = next_release(raw_dir)
    resp = _send(client, h, data)
    assert resp.status_code == 200, resp.get_json()
    return url, client, h, resp.get_json()["sha256"]


def _publish(client, h, sha):
    resp = client.post(
        f"/api/v1/workspace/uploads/{sha}/publish", headers=h, json={"source": SOURCE, "file_key": KEY}
    )
    assert resp.status_code == 202, resp.get_json()
    assert resp.headers["Location"].endswith(f"/uploads/{resp.get_json()['id']}")
    return resp.get_json()


def _n2025(url: str) -> int:
    engine = sa.create_engine(url)
    o = schema.observation.c
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).where(o.variable == "defm_abc", o.year == 2025)).scalar()
    engine.dispose()
    return int(n or 0)


def test_cli_run_during_a_publication_keeps_the_upload(
    make_app, store_url, data_dir, raw_dir, officer, monkeypatch
) -> None:
    """The race of the issue: ``python -m etl run`` starts while the publication's ETL runs. It
    used to read the uploads before the publication committed and overwrite it after; now it
    waits for the lock, then reads the published upload and keeps its rows."""
    from workspace import publication

    url, client, h, sha = _preview(make_app, store_url, data_dir, raw_dir, officer)
    real_run, cli = publication._default_run, {}
    env = {**os.environ, "DATABASE_URL": url, "OBSERVATOIRE_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}

    def run_while_cli_starts(settings, **kwargs):
        # the publication holds the lock: the command-line run starts now, in its own process
        cli["proc"] = subprocess.Popen(
            [sys.executable, "-m", "etl", "run", "--raw-dir", str(raw_dir)],
            env=env,
            cwd=data_dir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return real_run(settings, **kwargs)  # uploads={id}: the one being published

    monkeypatch.setattr(publication, "_default_run", run_while_cli_starts)
    job = _publish(client, h, sha)
    done = wait_for_upload(client, job["id"])
    assert done["status"] == "published", done
    out, err = cli["proc"].communicate(timeout=900)
    assert cli["proc"].returncode == 0, err
    assert _n2025(url) > 0  # the CLI run, committed last, kept the published upload's rows
    engine = sa.create_engine(url)
    runs = schema.load_run.c
    with engine.connect() as conn:
        last = conn.execute(sa.select(schema.load_run).order_by(runs.id.desc()).limit(2)).all()
        sources = {r.id for r in conn.execute(sa.select(schema.source.c.id))}
    engine.dispose()
    cli_run, pub_run = last
    assert cli_run.status == pub_run.status == "ok"
    assert cli_run.started_at >= pub_run.finished_at  # serialised by the lock
    assert any(s.startswith(f"{SOURCE}__u{sha[:12]}") for s in sources)


def test_publication_waits_for_a_running_etl_and_says_so(
    make_app, store_url, data_dir, raw_dir, officer, monkeypatch
) -> None:
    """Started while another writer runs: the job is "queued" (shown to the officer), waits a
    bounded time, then fails with a message naming the other writer; nothing is half-published."""
    from workspace import publication

    url, client, h, sha = _preview(make_app, store_url, data_dir, raw_dir, officer)
    monkeypatch.setattr(publication, "LOCK_WAIT_SECONDS", 1.0)
    before = _n2025(url)
    with writer_lock(url, "an ETL run from the command line"):
        job = _publish(client, h, sha)
        assert job["status"] == "queued"
        assert client.get(f"/api/v1/workspace/uploads/{job['id']}").get_json()["status"] in (
            "queued",
            "failed",
        )
        done = wait_for_upload(client, job["id"], timeout=60)
    assert done["status"] == "failed"
    assert "an ETL run from the command line" in done["error"] and "try again" in done["error"]
    assert _n2025(url) == before
    actions = [e["action"] for e in client.get("/api/v1/workspace/audit").get_json()["entries"]]
    assert "upload.failed" in actions and "upload.publish" in actions and "upload.preview" in actions
    # the same file can be published again once the store is free (here with a run that fails)
    monkeypatch.setattr(publication, "_default_run", lambda settings, **kwargs: None)
    again = wait_for_upload(client, _publish(client, h, sha)["id"], timeout=60)
    assert again["status"] == "failed" and "did not read the upload" in again["error"]


def test_queued_job_of_a_dead_worker_is_marked_failed(
    make_app, store_url, data_dir, raw_dir, officer
) -> None:
    import json
    import socket

    from workspace import publication

    url, client, h, sha = _preview(make_app, store_url, data_dir, raw_dir, officer)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    engine = sa.create_engine(url)
    up = schema.data_upload
    with engine.begin() as conn:
        user_id = conn.execute(sa.select(schema.app_user.c.id)).scalar()
        owner = {"job": {"pid": dead.pid, "host": socket.gethostname()}}
        conn.execute(
            up.insert().values(
                source_id=SOURCE,
                file_key=KEY,
                sha256="f" * 64,
                stored_path="uploads/x.csv",
                size=1,
                vintage="2025",
                status="queued",
                uploaded_by=user_id,
                uploaded_at=sa.func.now(),
                summary=json.dumps(owner),
            )
        )
    assert publication.recover_queued(engine) == 1
    with engine.connect() as conn:
        status, error = conn.execute(sa.select(up.c.status, up.c.error).where(up.c.sha256 == "f" * 64)).one()
    engine.dispose()
    assert status == "failed" and "interrupted" in error


def test_workspace_start_marks_interrupted_runs_failed(make_app, empty_url, officer) -> None:
    """A worker killed during a publication leaves "running"/"publishing" rows: the next start of
    the workspace (nobody holding the lock) marks them failed instead of showing them forever."""
    import json

    name, _ = officer()
    engine = sa.create_engine(empty_url)
    with engine.begin() as conn:
        user_id = conn.execute(sa.select(schema.app_user.c.id)).scalar()
        conn.execute(
            schema.load_run.insert().values(started_at=sa.func.now(), status="running", summary="{}")
        )
        conn.execute(
            schema.data_upload.insert().values(
                source_id=SOURCE,
                file_key=KEY,
                sha256="e" * 64,
                stored_path="uploads/x.csv",
                size=1,
                vintage="2025",
                status="publishing",
                uploaded_by=user_id,
                uploaded_at=sa.func.now(),
            )
        )
    make_app("workspace", empty_url)
    with engine.connect() as conn:
        run = conn.execute(sa.select(schema.load_run.c.status, schema.load_run.c.summary)).one()
        upload = conn.execute(sa.select(schema.data_upload.c.status, schema.data_upload.c.error)).one()
    engine.dispose()
    assert run.status == "failed" and "interrupted" in json.loads(run.summary)["error"]
    assert upload.status == "failed" and "interrupted" in upload.error
