#!/usr/bin/env bash
# Runs the suites that start servers and wait on them (the API suites on both engines, the
# fault tests, the scale-out test) several times in a row while stress-ng keeps every core
# busy, to find tests that depend on how fast the machine is (issue 17). Uses the build in
# build/ (run scripts/build.sh first). Prints one line per suite and round, and a summary.
#   bash scripts/stress-suites.sh            # 3 rounds, stress-ng --cpu $(nproc)
#   ROUNDS=1 STRESS_CPUS=0 bash scripts/stress-suites.sh   # no stress
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
cpus=${STRESS_CPUS:-$(nproc)}
bin="$(pwd)/build/src/app/examphoto"
mkdir -p test-artifacts/stress
source scripts/lib/postgres.sh
pg_test_start >/dev/null || exit 1
stress_pid=
cleanup() {
  [ -n "$stress_pid" ] && kill "$stress_pid" 2>/dev/null
  pg_test_stop
}
trap cleanup EXIT
if [ "$cpus" -gt 0 ]; then
  command -v stress-ng >/dev/null || { echo "stress-ng is missing: run scripts/install-deps.sh" >&2; exit 1; }
  stress-ng --cpu "$cpus" --timeout 0 --quiet &
  stress_pid=$!
fi

bad=0
for round in $(seq 1 "$rounds"); do
  for suite in api-sqlite api-postgres faults scaleout; do
    log=test-artifacts/stress/$suite-$round.log
    start=$(date +%s)
    case $suite in
      api-sqlite) EXAMPHOTO_BIN="$bin" EXAMPHOTO_TEST_PG_ADMIN_URL= bash tests/e2e/run.sh >"$log" 2>&1 ;;
      api-postgres) EXAMPHOTO_BIN="$bin" bash tests/e2e/run.sh >"$log" 2>&1 ;;
      faults) EXAMPHOTO_BIN="$bin" bash tests/faults/run.sh >"$log" 2>&1 ;;
      scaleout) EXAMPHOTO_BIN="$bin" bash tests/scaleout/run.sh >"$log" 2>&1 ;;
    esac
    status=$?
    summary=$(grep -E "^(ℹ|#) (pass|fail) [0-9]+|^[0-9]+ passed, [0-9]+ failed$" "$log" | tr '\n' ' ')
    [ "$status" -ne 0 ] && bad=$((bad + 1))
    printf 'round %d %-13s %4d s  exit %d  %s\n' "$round" "$suite" "$(($(date +%s) - start))" "$status" "$summary"
    [ "$status" -ne 0 ] && grep -E "^✖|FAIL" "$log" | head -n 10 | sed 's/^/    /'
  done
done
echo "$bad failed runs of $((rounds * 4)) (stress-ng --cpu $cpus)"
[ "$bad" -eq 0 ]
