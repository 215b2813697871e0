#!/usr/bin/env bash
# The main job: install, build the graph from the bundled samples, serve API + page on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/govkg build samples --if-empty   # adds the samples only to an empty store; keeps what is there
exec .venv/bin/govkg serve --host 127.0.0.1 --port "${PORT:-8000}"
