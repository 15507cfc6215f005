"""Real HTTP statuses for the pages: the app renders pages in the browser (one router callback),
so Dash answers every address with the same index HTML and status 200. This blueprint's
``after_app_request`` hook gives that index the status 404 when the address is not a page or
names something unknown (a commune, an indicator, a vintage…), using the page registry's checks:
the body stays the app shell, which then shows the friendly page (FR/EN) itself.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from callbacks import registry
from callbacks.state import lang_of, parse_query

bp = Blueprint("page_status", __name__)
#: Flask endpoints of Dash's index (``""`` and the catch-all ``<path:path>``).
INDEX_ENDPOINTS = ("/", "/<path:path>")


def status_of(pathname: str, search: str) -> int:
    """200 for a page that exists, 404 otherwise (see the module docstring)."""
    return 200 if registry.exists(pathname, parse_query(search), lang_of(search)) else 404


@bp.after_app_request
def page_status(response: Response) -> Response:
    if (
        request.method == "GET"
        and response.status_code == 200
        and request.endpoint in INDEX_ENDPOINTS
        and response.mimetype == "text/html"
    ):
        response.status_code = status_of(request.path, request.query_string.decode("latin-1"))
    return response
