#!/usr/bin/env bash
# The main job: install, build the graph from the bundled samples, serve API + page on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! fc-list 2>/dev/null | grep -q "Noto Sans CJK" && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Chinese fonts for govkg draw (fonts-noto-cjk)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk) >/dev/null 2>&1 \
    || echo "setup: could not install fonts-noto-cjk; govkg draw will warn" >&2
fi
.venv/bin/govkg build samples --if-empty   # adds the samples only to an empty store; keeps what is there
exec .venv/bin/govkg serve --host 127.0.0.1 --port "${PORT:-8000}"
