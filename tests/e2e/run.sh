#!/usr/bin/env bash
# Runs the API tests against the real server. SQLite by default; set
# EXAMPHOTO_TEST_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:55432/postgres to run the same
# files on PostgreSQL (each server gets its own fresh database). EXAMPHOTO_BIN picks the
# binary (default build/src/app/examphoto, relative to the repository). Extra arguments go
# to node (e.g. --test-name-pattern=roster) — or name test files to run only those.
set -euo pipefail
cd "$(dirname "$0")"
files=()
args=()
for arg in "$@"; do
  if [[ "$arg" == *.test.mjs ]]; then files+=("$arg"); else args+=("$arg"); fi
done
if [ ${#files[@]} -eq 0 ]; then files=(*.test.mjs); fi
# EXAMPHOTO_E2E_WITHOUT_MODELS=1 (the sanitizer pass) leaves out the files whose header says
# "needs: models": they run learned models in libraries we do not instrument, and run in the
# normal pass.
if [ "${EXAMPHOTO_E2E_WITHOUT_MODELS:-0}" = 1 ]; then
  kept=()
  for f in "${files[@]}"; do
    if head -n 12 "$f" | grep -q "needs: models"; then echo "e2e: $f runs in the normal pass only (needs: models)"; else kept+=("$f"); fi
  done
  files=("${kept[@]}")
fi
echo "e2e: database=$([ -n "${EXAMPHOTO_TEST_PG_ADMIN_URL:-}" ] && echo postgresql || echo sqlite) binary=${EXAMPHOTO_BIN:-build/src/app/examphoto}"
exec node --test --test-concurrency=2 --test-reporter=spec --test-timeout=300000 "${args[@]}" "${files[@]}"
