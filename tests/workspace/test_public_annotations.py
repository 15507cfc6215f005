"""Officers' public notes and targets on the public cards they belong to (issue #11), and the
workspace chart named like the public ones (no plotly toolbar, issue #9): on a copy of the real
store, through the public deployment's Dash callback endpoint."""

from __future__ import annotations

import json

from tests.workspace.conftest import copy_store, csrf_cookie, login

CODE, INDICATOR = "94081", "unemployment_rate"  # Vitry-sur-Seine; a rate: drawn in its own unit
PUBLIC_BODY = "Réhabilitation <b>ANRU</b> & <script>alert(1)</script> en cours."
PRIVATE_BODY = "Note interne : ne pas diffuser."
LABEL = "<i>Objectif</i> du PLH"


def _series_body(page: str, indicator: str, code: str) -> dict:
    """The inputs the commune page sends for its trend card (``callbacks.commune.update_series``)."""
    return {
        "inputs": [
            {
                "id": {"type": "param", "page": page, "name": "indicateur"},
                "property": "value",
                "value": indicator,
            },
            {"id": {"type": "param", "page": page, "name": "annee"}, "property": "value", "value": None},
            {
                "id": {"type": "ctx", "page": page},
                "property": "data",
                "value": {"lang": "fr", "page": page, "args": {"code": code}, "defaults": {}},
            },
        ],
    }


def _key(dash_app, card: str) -> str:
    """The callback-map key whose first output is the figure of ``card``."""
    graph = json.dumps({"card": card, "type": "card-graph"}, sort_keys=True, separators=(",", ":"))
    return next(k for k in dash_app.callback_map if k.startswith(f"..{graph}.figure"))


def _call(client, dash_app, card: str, indicator: str, code: str) -> dict:
    from layouts.commune import PAGE

    key = _key(dash_app, card)
    body = _series_body(PAGE, indicator, code)
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in key[2:-2].split("...")
    ]
    for o in outputs:
        o["id"] = json.loads(o["id"]) if o["id"].startswith("{") else o["id"]
    body.update(output=key, outputs=outputs, state=[], changedPropIds=[])
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()["response"]


def test_public_notes_and_target_on_the_public_trend_card(make_app, store_url, data_dir, officer) -> None:
    from callbacks import officer_notes
    from etl.store.db import make_engine
    from layouts.ids import Card
    from workspace import store, users

    url = copy_store(store_url, data_dir)
    name, password = officer(url, name="agent_public_notes")
    engine = make_engine(url)
    user = users.authenticate(engine, name, password)
    store.add_note(
        engine, user, indicator=INDICATOR, code=CODE, note_date="2025-02-03", body=PUBLIC_BODY, public=True
    )
    store.add_note(
        engine, user, indicator=INDICATOR, code=CODE, note_date="2025-02-04", body=PRIVATE_BODY, public=False
    )
    store.set_target(
        engine,
        user,
        indicator=INDICATOR,
        code=CODE,
        value=10,
        target_date="2030-12-31",
        label=LABEL,
        public=True,
    )
    engine.dispose()
    officer_notes.clear()
    app = make_app("public", url)
    response = _call(app.server.test_client(), app, Card.CO_SERIES, INDICATOR, CODE)
    (figure,) = [v["figure"] for v in response.values() if "figure" in v]
    source = json.dumps(
        [v["children"] for k, v in response.items() if "card-source" in k], ensure_ascii=False
    )
    # the public note: dated, its text as text (React escapes it), no author; the private one never
    assert PUBLIC_BODY in source and "2025-02-03" in source
    assert PRIVATE_BODY not in json.dumps(response, ensure_ascii=False)
    assert "agent_public_notes" not in json.dumps(response, ensure_ascii=False)
    assert '"type": "Span"' in source  # a text node, never dangerouslySetInnerHTML / Markdown
    # the public target: a dashed line at 10 %, labelled in plain text (tags escaped for plotly)
    lines = [s for s in figure["layout"].get("shapes", []) if s.get("line", {}).get("dash") == "dash"]
    assert any(s["y0"] == s["y1"] == 10 for s in lines)
    labels = " ".join(a.get("text", "") for a in figure["layout"].get("annotations", []))
    assert "Cible : 10" in labels and "&lt;i&gt;Objectif&lt;/i&gt; du PLH" in labels and "<i>" not in labels

    # another indicator of the same commune carries neither
    other = _call(app.server.test_client(), app, Card.CO_SERIES, "activity_rate", CODE)
    assert PUBLIC_BODY not in json.dumps(other, ensure_ascii=False)


def test_workspace_chart_has_no_toolbar_and_an_accessible_name(
    make_app, store_url, data_dir, officer
) -> None:
    from layouts.workspace import WS

    url = copy_store(store_url, data_dir)
    name, password = officer(url)
    app = make_app("workspace", url)
    client = app.server.test_client()
    assert login(client, name, password).status_code == 302
    tree = _workspace_layout(app)
    page = json.dumps(tree, ensure_ascii=False, default=_plain)
    graph = next(g for g in _graphs(tree) if g["props"]["id"] == WS.GRAPH)
    assert graph["props"]["config"]["displayModeBar"] is False
    assert f'"aria-labelledby": "{WS.GRAPH_DESC}"' in page and '"role": "img"' in page
    key = next(k for k in app.callback_map if k.startswith(f"..{WS.GRAPH}.figure"))
    assert f"{WS.GRAPH_DESC}.children" in key
    body = {
        "output": key,
        "outputs": [
            dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in key[2:-2].split("...")
        ],
        "inputs": [
            {"id": WS.INDICATOR, "property": "value", "value": INDICATOR},
            {"id": WS.TERRITORY, "property": "value", "value": CODE},
            {"id": WS.REFRESH, "property": "data", "value": 0},
        ],
        "state": [],
        "changedPropIds": [f"{WS.INDICATOR}.value"],
    }
    resp = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf_cookie(client)})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    desc = resp.get_json()["response"][WS.GRAPH_DESC]["children"]
    assert "Vitry-sur-Seine" in desc and "chômage" in desc.lower()


def _plain(obj):
    return obj.to_plotly_json() if hasattr(obj, "to_plotly_json") else str(obj)


def _workspace_layout(app) -> dict:
    from layouts import workspace as layout

    with app.server.test_request_context("/espace"):
        tree = layout._graph("fr")  # the chart block of the page (``layouts.workspace.page``)
    return json.loads(json.dumps(tree, default=_plain))


def _graphs(tree) -> list[dict]:
    found = []

    def walk(node) -> None:
        if hasattr(node, "to_plotly_json"):
            node = node.to_plotly_json()
        if isinstance(node, dict):
            if node.get("type") == "Graph":
                found.append(node)
            for v in node.get("props", {}).values() if "props" in node else node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(tree)
    return found


def test_public_note_and_target_of_the_home_under_the_overview_ranking(
    make_app, store_url, data_dir, officer
) -> None:
    """A public note and target on the home territory show under the home page's ranking of the
    territories: the target in words (the chart ranks the territories, it has no time axis)."""
    from callbacks import officer_notes
    from etl.store.db import make_engine
    from layouts.ids import Card
    from layouts.overview import PAGE
    from workspace import store, users

    url = copy_store(store_url, data_dir)
    name, password = officer(url, name="agent_home_notes")
    engine = make_engine(url)
    user = users.authenticate(engine, name, password)
    body = "Plan local pour l'emploi adopté en conseil de territoire."
    store.add_note(
        engine, user, indicator=INDICATOR, code="T12", note_date="2025-03-01", body=body, public=True
    )
    store.set_target(
        engine,
        user,
        indicator=INDICATOR,
        code="T12",
        value=9,
        target_date="2030-12-31",
        label="",
        public=True,
    )
    engine.dispose()
    officer_notes.clear()
    app = make_app("public", url)
    key = _key(app, Card.OV_RANK)
    req = _series_body(PAGE, INDICATOR, "")
    req["inputs"][2]["value"]["args"] = {}
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in key[2:-2].split("...")
    ]
    for o in outputs:
        o["id"] = json.loads(o["id"]) if o["id"].startswith("{") else o["id"]
    req.update(output=key, outputs=outputs, state=[], changedPropIds=[])
    resp = app.server.test_client().post("/_dash-update-component", json=req)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    text = json.dumps(resp.get_json()["response"], ensure_ascii=False)
    assert body in text and "Cible : 9" in text and "écart à la cible" in text
    assert "Notes de l'Observatoire GOSB" in text and "agent_home_notes" not in text
