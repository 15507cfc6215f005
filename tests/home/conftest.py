"""Fixtures of the home tests: the app on the session's real store (those of ``tests/app``)."""

from tests.app.conftest import _session_store, client, dash_app  # noqa: F401 - pytest fixtures
