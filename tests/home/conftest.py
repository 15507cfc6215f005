"""Fixtures of the home tests: the app on the session's real store (those of ``tests/app``)."""

from tests.app.conftest import _session_store, client, dash_app  # noqa: F401 - pytest fixtures
from tests.home.test_outside_metropolis import (  # noqa: F401, E402 - fixtures shared by the home tests
    default_home,
    pays_basque,
    reference,
    rp2018,
)
