#!/usr/bin/env bash
# The whole test suite: installs Python deps, Chromium (Debian) for page tests, then pytest.
# The Bolt server (ArcadeDB with its Neo4j protocol plugin, from PyPI) is started by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
.venv/bin/ruff check .
export GOVKG_REQUIRE_SERVICES=1  # a missing Chromium or Bolt server fails, not skips
exec .venv/bin/python -m pytest "$@"
