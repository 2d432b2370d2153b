#!/usr/bin/env bash
# Builds examphoto in Release (build/) with ccache, and the web app (web/dist) when its
# sources are present. Used by setup.sh and test.sh; safe to run again (incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths relative to the checkout, so a fresh clone elsewhere (as CI makes) hits the cache.
export CCACHE_BASEDIR="$(pwd)"
export CCACHE_NOHASHDIR=1
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DEXAMPHOTO_SKIP_AREAS="" >/dev/null
cmake --build build -j "$jobs"
if [ -f web/package.json ]; then
  (cd web && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent)
fi
if [ -f web/office/package.json ]; then (cd web/office && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent); fi
