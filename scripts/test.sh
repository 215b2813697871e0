#!/usr/bin/env bash
# The whole test suite: installs Python deps, Chromium (Debian) for page tests, Java + Maven for
# Neo4j (whose jars scripts/neo4j.sh fetches from Maven Central into .neo4j/lib), node + the npm
# packages (cytoscape checks the Cytoscape export), then ruff and pytest. The tests start Neo4j.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# matplotlib lists the fonts once and keeps the list: one written before the CJK fonts came is stale
if ! .venv/bin/python -c "from matplotlib import font_manager as f; raise SystemExit(not any('CJK' in x.name for x in f.fontManager.ttflist))" 2>/dev/null; then
  rm -f "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"/fontlist-*.json
fi
[ -d node_modules/cytoscape ] || npm ci --no-audit --no-fund --loglevel=error
bash scripts/neo4j.sh fetch  # once; later runs find the jars in .neo4j/lib (and Maven's in ~/.m2)
.venv/bin/ruff check .
export GOVKG_REQUIRE_SERVICES=1  # a missing Chromium, Neo4j or node fails, not skips
exec .venv/bin/python -m pytest "$@"
