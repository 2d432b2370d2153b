#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this and nothing else): installs what
# the tests need, builds once, starts a throwaway PostgreSQL on loopback, runs the unit and
# storage suites on both engines (ctest), the API suites against the running server on
# SQLite and on PostgreSQL, the fault and scale-out tests, the browser tests in Debian's
# Chromium, and the C++ and API suites again under ASan + UBSan; then stops everything it
# started and prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/install-deps.sh || exit 1
bash scripts/install-models.sh || exit 1
bash scripts/build.sh || exit 1

source scripts/lib/postgres.sh
pg_test_start || exit 1
trap pg_test_stop EXIT

passed=0
failed=0
failures=()
mkdir -p test-artifacts

# ctest: unit tests, and the storage suites once per engine.
ctest --test-dir build -j "$(nproc)" --output-on-failure 2>&1 | tee test-artifacts/ctest.log
summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" test-artifacts/ctest.log | tail -n 1)
if [ -n "$summary" ]; then
  total=$(echo "$summary" | sed -E 's/.*out of ([0-9]+).*/\1/')
  bad=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed.*/\1/')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ "$bad" -gt 0 ] && failures+=("ctest")
else
  failed=$((failed + 1))
  failures+=("ctest (no summary)")
fi

count_node() {
  local log=$1 name=$2 p f
  # TAP ("# pass N") or spec ("ℹ pass N") reporter.
  p=$(grep -E "^(#|ℹ) pass [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
  f=$(grep -E "^(#|ℹ) fail [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
  if [ -z "$p" ]; then failed=$((failed + 1)); failures+=("$name (did not run)"); return; fi
  passed=$((passed + p))
  failed=$((failed + ${f:-0}))
  [ "${f:-0}" -gt 0 ] && failures+=("$name")
}

if [ -x tests/e2e/run.sh ]; then
  EXAMPHOTO_BIN="$root/build/src/app/examphoto" bash tests/e2e/run.sh 2>&1 | tee test-artifacts/api-sqlite.log
  count_node test-artifacts/api-sqlite.log "API tests on SQLite"
  EXAMPHOTO_BIN="$root/build/src/app/examphoto" EXAMPHOTO_TEST_PG_ADMIN_URL="$EXAMPHOTO_TEST_PG_ADMIN_URL" \
    bash tests/e2e/run.sh 2>&1 | tee test-artifacts/api-postgres.log
  count_node test-artifacts/api-postgres.log "API tests on PostgreSQL"
fi

count_lines() {  # a runner that ends with "N passed, N failed"
  local log=$1 name=$2 line
  line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); failures+=("$name (did not finish)"); return; fi
  local p f
  p=$(echo "$line" | awk '{print $1}')
  f=$(echo "$line" | awk '{print $3}')
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] && failures+=("$name")
}

# Faults: kill -9 at bad moments, the database going away, a full disk (tests/faults/run.sh).
EXAMPHOTO_BIN="$root/build/src/app/examphoto" bash tests/faults/run.sh 2>&1 | tee test-artifacts/faults.log
count_lines test-artifacts/faults.log "fault tests"

# Scale-out: two instances on one PostgreSQL behind nginx (tests/scaleout/run.sh).
EXAMPHOTO_BIN="$root/build/src/app/examphoto" bash tests/scaleout/run.sh 2>&1 | tee test-artifacts/scaleout.log
count_node test-artifacts/scaleout.log "scale-out tests"

for app in web web/office; do
  if [ -f $app/package.json ] && grep -q '"test:e2e"' $app/package.json; then
    log=test-artifacts/$(echo $app | tr / -)-e2e.log
    (cd $app && EXAMPHOTO_BIN="$root/build/src/app/examphoto" npm run --silent test:e2e) 2>&1 | tee "$log"
    count_node "$log" "browser tests ($app)"
  fi
done

# Sanitizers: the ctest suites (both engines, on the PostgreSQL started above) and the API
# suite again in the AddressSanitizer + UndefinedBehaviorSanitizer build (build-asan/).
bash scripts/test-sanitizers.sh 2>&1 | tee test-artifacts/sanitizers.log
count_lines test-artifacts/sanitizers.log "sanitizer build (ASan + UBSan)"

echo
if [ ${#failures[@]} -gt 0 ]; then echo "Failed: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
