#!/usr/bin/env bash
# The whole test suite: lint, then every test (unit, real-data pipeline, API, browser, PostgreSQL).
# Browser tests need Debian's chromium + chromium-driver; PostgreSQL tests need OBSERVATOIRE_TEST_PG
# (a SQLAlchemy URL); .ci/run installs and starts both. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OBSERVATOIRE_MIRROR=${OBSERVATOIRE_MIRROR:-$(cd .. && pwd)/shared/data/raw}
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
