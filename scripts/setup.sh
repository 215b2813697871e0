#!/usr/bin/env bash
# Create .venv and install govkg (with test extras when called with --test): one line per step;
# pip's own output goes to .venv/pip.log and is shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
step() {
  local what=$1
  shift
  echo "setup: $what"
  if ! "$@" >>.venv/pip.log 2>&1; then
    echo "setup: failed: $what (last lines of .venv/pip.log below)" >&2
    tail -n 30 .venv/pip.log >&2
    exit 1
  fi
}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
: >.venv/pip.log
step "upgrading pip" .venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--test" ]; then
  step "installing govkg with the test tools" .venv/bin/python -m pip install -q -e '.[test]'
else
  step "installing govkg" .venv/bin/python -m pip install -q -e .
fi
echo "setup: done (.venv/bin/govkg)"
