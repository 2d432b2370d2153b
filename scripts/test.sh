#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this and nothing else): installs what
# the tests need, builds once, starts a throwaway PostgreSQL on loopback, then
#   1. ctest: unit, storage (SQLite and PostgreSQL) and model suites, in parallel;
#   2. the API suites against the running server, SQLite and PostgreSQL side by side;
#   3. the fault tests, then the scale-out test (two instances behind nginx);
#   4. the browser tests of the candidate app and the office console, side by side;
#   5. lint: clang-format and clang-tidy without the static analyzer (scripts/lint.sh), run
#      in the background from the build on like the sanitizer build;
#   6. our code again under ASan + UBSan (everything but the model suites) and the API suite
#      against the sanitized server. Its build starts right after the normal build at the
#      lowest CPU priority, so it only takes the time the other phases leave idle.
# It stops what it started and ends with each phase's duration and one line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)
mkdir -p test-artifacts

phase_names=()
phase_seconds=()
phase_start() { phase_t0=$(date +%s); }
phase_end() { phase_names+=("$1"); phase_seconds+=($(($(date +%s) - phase_t0))); }

phase_start
bash scripts/install-deps.sh || exit 1
bash scripts/install-models.sh || exit 1
phase_end "install"
phase_start
bash scripts/build.sh || exit 1
phase_end "build"

# The sanitizer build, in the background at the lowest priority (nice 19 gets ~1.5 % of a
# core while anything else wants it).
nice -n 19 bash scripts/test-sanitizers.sh build >test-artifacts/asan-build-phase.log 2>&1 &
asan_build_pid=$!
asan_build_started=$(date +%s)
# Lint, the same way: clang-tidy needs only the build's compile_commands.json.
nice -n 19 bash scripts/lint.sh --without-analyzer >test-artifacts/lint.log 2>&1 &
lint_pid=$!

# When the test command has nothing left to do but wait for a background job, the job gets
# normal priority: at nice 19 it starves under any other load on the machine (with stress-ng
# on both cores the lint phase sat for over an hour at ~1 % of a core). Children started
# later inherit it (every thread is reniced: a thread's children inherit its own). Lowering
# niceness needs root or CAP_SYS_NICE; without it the job keeps 19.
unnice() {
  local pids=("$1") i=0
  while [ $i -lt ${#pids[@]} ]; do
    # shellcheck disable=SC2207
    pids+=($(pgrep -P "${pids[$i]}"))
    i=$((i + 1))
  done
  # Niceness belongs to each thread (run-clang-tidy starts clang-tidy from worker threads).
  local tids=()
  for pid in "${pids[@]}"; do tids+=($(ls "/proc/$pid/task" 2>/dev/null)); done
  renice -n 0 -p "${tids[@]}" >/dev/null 2>&1 || true
}

source scripts/lib/postgres.sh
pg_test_start || exit 1
cleanup() {
  kill "$asan_build_pid" "$lint_pid" 2>/dev/null
  pg_test_stop
}
trap cleanup EXIT

passed=0
failed=0
failures=()

show_failures() {  # the end of a failed phase's log, where the runners list what failed
  echo "---- last lines of $1 ----"
  tail -n 150 "$1"
  echo "----"
}

count_ctest() {  # count_ctest LOG NAME
  local log=$1 name=$2 summary total bad
  summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then failed=$((failed + 1)); failures+=("$name (no summary)"); show_failures "$log"; return; fi
  total=$(echo "$summary" | sed -E 's/.*out of ([0-9]+).*/\1/')
  bad=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed.*/\1/')
  passed=$((passed + total - bad))
  failed=$((failed + bad))
  [ "$bad" -gt 0 ] && { failures+=("$name"); show_failures "$log"; }
}

count_node() {  # count_node LOG NAME: TAP ("# pass N") or spec ("ℹ pass N") reporter
  local log=$1 name=$2 p f
  p=$(grep -E "^(#|ℹ) pass [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
  f=$(grep -E "^(#|ℹ) fail [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
  if [ -z "$p" ]; then failed=$((failed + 1)); failures+=("$name (did not run)"); show_failures "$log"; return; fi
  passed=$((passed + p))
  failed=$((failed + ${f:-0}))
  [ "${f:-0}" -gt 0 ] && { failures+=("$name"); show_failures "$log"; }
}

count_lines() {  # count_lines LOG NAME: a runner that ends with "N passed, N failed"
  local log=$1 name=$2 line p f
  line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); failures+=("$name (did not finish)"); show_failures "$log"; return; fi
  p=$(echo "$line" | awk '{print $1}')
  f=$(echo "$line" | awk '{print $3}')
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] && { failures+=("$name"); show_failures "$log"; }
}

bin="$root/build/src/app/examphoto"

# 1. ctest: each test process creates its own database, so suites run side by side.
phase_start
ctest --test-dir build -j "$(nproc)" --output-on-failure >test-artifacts/ctest.log 2>&1
tail -n 25 test-artifacts/ctest.log
count_ctest test-artifacts/ctest.log "ctest"
phase_end "ctest"

# 2. The API suites on both engines at once (every server has its own port and database).
phase_start
EXAMPHOTO_BIN="$bin" EXAMPHOTO_TEST_PG_ADMIN_URL= bash tests/e2e/run.sh >test-artifacts/api-sqlite.log 2>&1 &
sqlite_pid=$!
EXAMPHOTO_BIN="$bin" EXAMPHOTO_TEST_PG_ADMIN_URL="$EXAMPHOTO_TEST_PG_ADMIN_URL" \
  bash tests/e2e/run.sh >test-artifacts/api-postgres.log 2>&1 &
postgres_pid=$!
wait "$sqlite_pid" "$postgres_pid"
for engine in sqlite postgres; do
  grep -E "^(✖|ℹ (tests|pass|fail))" "test-artifacts/api-$engine.log" | sed "s/^/[api $engine] /"
done
count_node test-artifacts/api-sqlite.log "API tests on SQLite"
count_node test-artifacts/api-postgres.log "API tests on PostgreSQL"
phase_end "API suites (SQLite and PostgreSQL)"

# 3. Faults (kill -9 at bad moments, the database going away, a full disk), then the
#    scale-out test (two instances on one PostgreSQL behind nginx). One after the other: both
#    stop and start servers on purpose.
phase_start
EXAMPHOTO_BIN="$bin" bash tests/faults/run.sh >test-artifacts/faults.log 2>&1
grep -E "FAIL|passed, [0-9]+ failed" test-artifacts/faults.log
count_lines test-artifacts/faults.log "fault tests"
phase_end "faults"
phase_start
EXAMPHOTO_BIN="$bin" bash tests/scaleout/run.sh >test-artifacts/scaleout.log 2>&1
grep -E "^(✖|ℹ (tests|pass|fail))" test-artifacts/scaleout.log
count_node test-artifacts/scaleout.log "scale-out tests"
phase_end "scale-out"

# 4. The browser tests of both apps, side by side (each starts its own server and Chromium).
phase_start
browser_pids=()
browser_apps=()
for app in web web/office; do
  if [ -f $app/package.json ] && grep -q '"test:e2e"' $app/package.json; then
    log=test-artifacts/$(echo $app | tr / -)-e2e.log
    (cd $app && EXAMPHOTO_BIN="$bin" npm run --silent test:e2e) >"$log" 2>&1 &
    browser_pids+=("$!")
    browser_apps+=("$app")
  fi
done
[ ${#browser_pids[@]} -gt 0 ] && wait "${browser_pids[@]}"
for app in "${browser_apps[@]}"; do
  log=test-artifacts/$(echo $app | tr / -)-e2e.log
  grep -E "^(✖|ℹ (tests|pass|fail))" "$log" | sed "s|^|[$app] |"
  count_node "$log" "browser tests ($app)"
done
phase_end "browser tests (candidate app and office console)"

# 5. Lint: the checked-in style (clang-format) and clang-tidy's findings in src/ (started
#    in the background after the build; this waits for it).
phase_start
unnice "$lint_pid"
wait "$lint_pid"
grep -E "^clang-|passed, [0-9]+ failed" test-artifacts/lint.log
count_lines test-artifacts/lint.log "lint (clang-format, clang-tidy)"
phase_end "lint"

# 6. Sanitizers: wait for the build started in the background, then test.
phase_start
unnice "$asan_build_pid"
wait "$asan_build_pid"
asan_build_status=$?
asan_build_finished=$(date +%s)
cat test-artifacts/asan-build-phase.log
if [ "$asan_build_status" -ne 0 ]; then
  failed=$((failed + 1))
  failures+=("sanitizer build")
else
  bash scripts/test-sanitizers.sh test >test-artifacts/sanitizers.log 2>&1
  grep -E "^(✖|ℹ (tests|pass|fail))|tests passed, |sanitizer |passed, [0-9]+ failed" test-artifacts/sanitizers.log
  count_lines test-artifacts/sanitizers.log "sanitizer pass (ASan + UBSan)"
fi
phase_end "sanitizer tests"

echo
echo "Phase durations (s):"
for i in "${!phase_names[@]}"; do printf '  %-52s %5d\n' "${phase_names[$i]}" "${phase_seconds[$i]}"; done
printf '  %-52s %5d\n' "sanitizer build (in the background, from the build on)" \
  "$((asan_build_finished - asan_build_started))"
printf '  %-52s %5d\n' "total" "$(($(date +%s) - started))"
echo "Logs: test-artifacts/"
if [ ${#failures[@]} -gt 0 ]; then echo "Failed: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
