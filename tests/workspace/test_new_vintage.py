"""A new vintage published through the workspace appears without any code or YAML change (issue
#11): an officer publishes France Travail's January 2025 job-seekers file (built here from the
real file in ``raw_dir`` by moving January 2024 to January 2025), then the public deployment's
API answers for 2025, its pages offer 2025 and its CSV downloads hold it."""

from __future__ import annotations

import csv
import io
import shutil

from tests.workspace.conftest import copy_store, csrf_cookie, login, wait_for_upload

DEFM = "stats/france_travail_defm/emploi_demandeur.csv"
SOURCE, KEY, INDICATOR, CODE = "france_travail_defm", "main", "jobseekers_monthly", "94081"


def january_2025(raw_dir) -> tuple[bytes, dict[str, int]]:
    """France Travail's extract for January 2025: the January 2024 rows under the new period."""
    with (raw_dir / DEFM).open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    period = header.index("YEAR")
    new = [[*r[:period], "janvier_2025", *r[period + 1 :]] for r in rows if r[period] == "janvier_2024"]
    assert len(new) > 1000
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *new])
    counts = {r[0]: int(r[header.index("Demandeurs_Emploi")]) for r in new}
    return buf.getvalue().encode("utf-8"), counts


def test_a_vintage_published_in_the_workspace_shows_in_the_api_pages_and_downloads(
    make_app, store_url, data_dir, raw_dir, officer
) -> None:
    url = copy_store(store_url, data_dir)
    name, password = officer(url)
    ws = make_app("workspace", url, OBSERVATOIRE_RAW_DIR=str(raw_dir))
    client = ws.server.test_client()
    assert login(client, name, password).status_code == 302
    headers = {"X-CSRFToken": csrf_cookie(client)}
    data, counts = january_2025(raw_dir)
    preview = client.post(
        "/api/v1/workspace/uploads",
        headers=headers,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(data), "emploi_demandeur.csv"), "source": SOURCE, "file_key": KEY},
    )
    assert preview.status_code == 200, preview.get_json()
    summary = preview.get_json()
    assert summary["vintage"] == "2025" and "2025-01" in summary["new_periods"]
    published = client.post(
        f"/api/v1/workspace/uploads/{summary['sha256']}/publish",
        headers=headers,
        json={"source": SOURCE, "file_key": KEY},
    )
    assert published.status_code in (200, 202), published.get_json()
    done = wait_for_upload(client, published.get_json()["id"])  # a background job: polled
    assert done["status"] == "published", done

    public = make_app("public", url)  # the public deployment on the same store, no other change
    web = public.server.test_client()
    got = web.get(f"/api/v1/values?indicator={INDICATOR}&territory={CODE}&year=2025&month=1")
    assert got.status_code == 200, got.get_data(as_text=True)[:300]
    body = got.get_json()
    rows = body if isinstance(body, list) else body.get("values") or body.get("data") or [body]
    assert any(r.get("value") == counts[CODE] for r in rows), body

    with public.server.test_request_context("/"):
        from callbacks.state import year_options

        assert "2025" in [o["value"] for o in year_options(INDICATOR)]  # the page's year selector
    page = web.get(f"/indicateurs/{INDICATOR}?annee=2025")
    assert page.status_code == 200

    resp = web.get(f"/telecharger/commune-comparaison.csv?code={CODE}&indicateur={INDICATOR}&annee=2025")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=";"))
    vitry = next(r for r in table if r["code"] == CODE)
    assert vitry["annee"] == "2025"
    count = vitry.get("nombre") or vitry["valeur"]  # drawn per 1,000 inhabitants: the count beside it
    assert int(count.replace("\u202f", "").replace(" ", "").split(",")[0]) == counts[CODE]


def test_a_vintage_loaded_by_the_etl_shows_without_any_other_change(make_app, raw_dir, tmp_path):
    """Next year's file in the raw folder, an ETL run, and the API, the page's year selector and
    the downloads offer it: no code, catalogue or YAML edit (issue #11)."""
    from etl.config import Settings
    from etl.pipeline import run

    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    path = raw / "stats/france_travail_defm/emploi_demandeur.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    january = [line.split(",") for line in lines[1:] if line.split(",")[1] == "janvier_2024"]
    added = {code: int(value) + 10 for code, _, value in january}  # a January 2025 of our own
    path.write_text(
        "\n".join([*lines, *(f"{code},janvier_2025,{n}" for code, n in added.items())]) + "\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'observatoire.sqlite'}"
    run(Settings(database_url=url, data_dir=tmp_path / "data", raw_dir=raw))

    web = make_app("public", url).server.test_client()
    got = web.get(f"/api/v1/values?indicator={INDICATOR}&territory={CODE}&year=2025&month=1")
    assert got.status_code == 200, got.get_data(as_text=True)[:300]
    assert any(r.get("value") == added[CODE] for r in got.get_json()["values"])
    assert web.get(f"/indicateurs/{INDICATOR}?annee=2025").status_code == 200
    resp = web.get(f"/telecharger/commune-comparaison.csv?code={CODE}&indicateur={INDICATOR}&annee=2025")
    assert resp.status_code == 200 and "2025" in resp.data.decode("utf-8-sig")
