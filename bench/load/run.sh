#!/usr/bin/env bash
# Load test (issue 8, item 4): whole candidate flows with real images (generated ID card
# captures, the browser tests' real portraits) against one `examphoto serve` on loopback, at
# rising concurrency; then overload: a run with a short photo queue, and one with the shipped
# queue (64) and more candidates than it holds, to show overload answered with 503 +
# Retry-After and no time-outs. Builds nothing: EXAMPHOTO_BIN (default build/src/app/examphoto) and
# the idcard_generator next to it (IDCARD_GENERATOR) must exist.
#
# Usage: bench/load/run.sh [seconds-per-step (60)] [sqlite|postgres]
# Environment: LOAD_STEPS (1,2,4,8,16,32,64), OVERLOAD_STEPS (8,16,32), OVERLOAD_QUEUE (4),
#   BEYOND_QUEUE_STEPS (128; empty to skip), EXAMPHOTO_LOAD_POOL (identity pool cache,
#   /tmp/examphoto-load-pool), SKIP_OVERLOAD=1.
# Writes bench/results/load.json (the engine's entry; the other engine's is kept) and prints
# the tables of bench/load/report.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-60}
engine=${2:-sqlite}
bin=$(realpath "${EXAMPHOTO_BIN:-build/src/app/examphoto}")
build_dir=$(dirname "$(dirname "$(dirname "$bin")")")
generator=${IDCARD_GENERATOR:-$build_dir/tools/idcard_generator/idcard_generator}
pool=${EXAMPHOTO_LOAD_POOL:-/tmp/examphoto-load-pool}
steps=${LOAD_STEPS:-1,2,4,8,16,32,64}
overload_steps=${OVERLOAD_STEPS:-8,16,32}
overload_queue=${OVERLOAD_QUEUE:-4}
beyond_steps=${BEYOND_QUEUE_STEPS-128}
for file in "$bin" "$generator"; do
  [ -x "$file" ] || { echo "missing $file: build it (see docs/performance/load.md)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/examphoto-load-run.XXXXXX)
cleanup() {
  [ "$engine" = postgres ] && pg_test_stop
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The identity pool (cached between runs): enough cards for the highest step.
max_step=$(echo "$steps,$overload_steps,$beyond_steps" | tr ',' '\n' | grep . | sort -n | tail -1)
node bench/load/prepare.mjs --bin "$bin" --generator "$generator" --out "$pool" --count $((max_step + 8))

database_for() {  # $1 = run name; prints the --database arguments of that run
  [ "$engine" = postgres ] || return 0
  psql "$EXAMPHOTO_TEST_PG_ADMIN_URL" -qc "CREATE DATABASE load_$1" >/dev/null
  echo "--database ${EXAMPHOTO_TEST_PG_ADMIN_URL%/*}/load_$1"
}
if [ "$engine" = postgres ]; then
  source scripts/lib/postgres.sh
  pg_test_start >/dev/null
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# 2. Rising concurrency with the shipped settings, until throughput stops growing or errors
#    appear.
# shellcheck disable=SC2046
node bench/load/load.mjs --bin "$bin" --pool "$pool" --out "$work/rising.json" --label "$engine-rising" \
  --steps "$steps" --seconds "$seconds" --stop-when-flat $(database_for rising)
# 3. Overload: the same flows with a photo queue of $overload_queue (the shipped 64 is never
#    exceeded by 64 candidates, who have at most one request each in flight).
if [ "${SKIP_OVERLOAD:-0}" != 1 ]; then
  # shellcheck disable=SC2046
  node bench/load/load.mjs --bin "$bin" --pool "$pool" --out "$work/overload.json" --label "$engine-overload" \
    --steps "$overload_steps" --seconds "$seconds" --env "EXAMPHOTO_HTTP_MAX_QUEUED_HEAVY=$overload_queue" \
    $(database_for overload)
  # 4. The shipped queue (64) with more candidates than it holds.
  if [ -n "$beyond_steps" ]; then
    # shellcheck disable=SC2046
    node bench/load/load.mjs --bin "$bin" --pool "$pool" --out "$work/beyond_queue.json" --label "$engine-beyond-queue" \
      --steps "$beyond_steps" --seconds "$seconds" $(database_for beyond_queue)
  fi
fi

# 5. bench/results/load.json keeps one entry per engine.
node - "$engine" "$work" "$seconds" <<'JS'
const fs = require('fs');
const [engine, work, seconds] = process.argv.slice(2);
const file = 'bench/results/load.json';
const all = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const read = (name) => (fs.existsSync(`${work}/${name}.json`) ? JSON.parse(fs.readFileSync(`${work}/${name}.json`, 'utf8')) : null);
all[engine] = {
  command: `bench/load/run.sh ${seconds} ${engine}`,
  rising: read('rising'),
  overload: read('overload'),
  beyond_queue: read('beyond_queue'),
};
fs.writeFileSync(file, JSON.stringify(all, null, 1) + '\n');
JS
node bench/load/report.mjs bench/results/load.json "$engine"
