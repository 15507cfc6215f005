"""Fixtures of the indicators tests: a synthetic store (always) and a Flask app serving the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.pool import StaticPool

from indicators.api import register_api
from tests.indicators import synthetic


@pytest.fixture()
def mini_engine() -> sa.Engine:
    """A fresh synthetic SQLite store in memory (see ``tests/indicators/synthetic.py``)."""
    # one shared connection: an in-memory database lives as long as its connection
    engine = synthetic.build(sa.create_engine("sqlite://", poolclass=StaticPool))
    yield engine
    engine.dispose()


@pytest.fixture()
def client(mini_engine: sa.Engine):
    """A test client of a bare Flask app with the API mounted on the synthetic store."""
    app = Flask(__name__)
    register_api(app, lambda: mini_engine)
    return app.test_client()
