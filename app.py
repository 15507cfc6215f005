"""The observatory's Dash app: ``gunicorn app:server`` or ``python app.py`` (http://127.0.0.1:8050).

One router callback renders the page of the URL from a registry of pages (``callbacks.registry``);
everything (scripts, styles, map shapes) is served by the app itself. The indicators API is mounted
at ``/api/v1``; data downloads at ``/telecharger/…``; GeoJSON at ``/geo/…``. The SQL store engine
comes from ``DATABASE_URL`` (default: ``data/observatoire.sqlite``), created on first use; a
background thread computes the commune snapshots at start-up and after each new ETL load
(``OBSERVATOIRE_WARM=0`` to skip).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from dash import Dash
from flask import has_request_context, request

import callbacks
import workspace
from callbacks import data, registration
from callbacks.engine import get_engine
from callbacks.serving import speed_up
from indicators.api import register_api
from layouts.i18n import norm_lang, t
from layouts.shell import app_shell

log = logging.getLogger("observatoire.app")


class ObservatoireDash(Dash):
    """Dash with ``<html lang>`` set from the URL (``?lang=en``) on the first byte."""

    def interpolate_index(self, **kwargs: Any) -> str:
        html = super().interpolate_index(**kwargs)
        lang = norm_lang(request.args.get("lang")) if has_request_context() else "fr"
        return html.replace("<html>", f'<html lang="{lang}">', 1)


def _on_error(err: Exception) -> None:
    """Callback errors: logged server-side with their traceback; the page keeps its last state."""
    log.error("callback error: %s", err, exc_info=err)


def create_app() -> Dash:
    app = ObservatoireDash(
        __name__,
        title=t("app.title"),
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        compress=False,  # Flask-Compress is set up by ``speed_up`` (brotli first, static cache)
        on_error=_on_error,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": t("app.tagline")},
        ],
    )
    app.layout = app_shell()
    speed_up(app.server)  # brotli/gzip, one-year cache of versioned files (callbacks/serving.py)
    for bp in callbacks.blueprints():
        app.server.register_blueprint(bp)
    register_api(app.server, get_engine)
    # OBSERVATOIRE_MODE=public (default): security headers and a guard refusing every write;
    # =workspace: login, officers' pages and write API (see workspace/README.md)
    workspace.init_app(app)
    # every callback declared by the page modules, registered on this app (public API only)
    registration.attach(app)
    if os.environ.get("OBSERVATOIRE_WARM", "1") != "0":
        callbacks.warm_up_in_background()
        data.ON_NEW_VERSION.append(callbacks.warm_up_in_background)  # after each new ETL load
    return app


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050)
