#!/usr/bin/env bash
# Main job: set up the environment, load every source into the SQLite store, then serve the app
# on http://127.0.0.1:8050.
#   MIRROR=../shared/data/raw bash scripts/run.sh   # offline: copy raw files from a mirror folder
#   DATABASE_URL=postgresql://… bash scripts/run.sh # another store
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ETL_ARGS=()
# Offline by default when the shared raw-data folder sits beside the clone (as on the team's
# machines and in CI); MIRROR=DIR names another one, MIRROR= (empty) downloads from the producers.
if [ -z "${MIRROR+x}" ] && [ -d ../shared/data/raw ]; then MIRROR=../shared/data/raw; fi
if [ -n "${MIRROR:-}" ]; then ETL_ARGS+=(--mirror "$MIRROR"); fi
.venv/bin/python -m etl run "${ETL_ARGS[@]}"
exec .venv/bin/python app.py
