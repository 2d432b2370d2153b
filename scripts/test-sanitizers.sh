#!/usr/bin/env bash
# Our code again under AddressSanitizer + UndefinedBehaviorSanitizer (the `asan` preset in
# CMakePresets.json, folder build-asan): every ctest suite except those labelled `model`
# (they run learned models inside libraries we do not instrument — ONNX Runtime, dlib's
# networks — and run once, in the normal pass), on SQLite and on PostgreSQL; then the API
# suite against the sanitized server, without the test files marked "needs: models".
# Any sanitizer report fails the test it occurs in.
#   bash scripts/test-sanitizers.sh            # build, then test; ends with "N passed, N failed"
#   bash scripts/test-sanitizers.sh build      # only build (test.sh starts it early, niced)
#   bash scripts/test-sanitizers.sh test       # only test an existing build
#   EXAMPHOTO_ASAN_LABELS=storage bash scripts/test-sanitizers.sh   # only ctest -L storage
set -uo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="$(pwd)" CCACHE_NOHASHDIR=1
mode=${1:-all}
jobs=${EXAMPHOTO_ASAN_JOBS:-$(nproc)}
mkdir -p test-artifacts

if [ "$mode" = all ] || [ "$mode" = build ]; then
  start=$(date +%s)
  cmake --preset asan >/dev/null || exit 1
  if ! cmake --build build-asan -j "$jobs" >test-artifacts/asan-build.log 2>&1; then
    tail -n 40 test-artifacts/asan-build.log
    echo "sanitizer build failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "sanitizer build: $(($(date +%s) - start)) s"
  [ "$mode" = build ] && exit 0
fi

start=$(date +%s)
source scripts/lib/postgres.sh
if [ -z "${EXAMPHOTO_TEST_PG_ADMIN_URL:-}" ]; then
  pg_test_start || exit 1
  trap pg_test_stop EXIT
fi

# detect_leaks: a leak is a failure like any other. The suppressions name leaks inside
# system libraries we do not own (see the file for each reason).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:suppressions=$(pwd)/tests/sanitizers/asan.supp"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$(pwd)/tests/sanitizers/ubsan.supp"
label_args=(-LE model)
[ -n "${EXAMPHOTO_ASAN_LABELS:-}" ] && label_args=(-L "$EXAMPHOTO_ASAN_LABELS" -LE model)
ctest --test-dir build-asan -j "$jobs" --timeout 900 --output-on-failure "${label_args[@]}" 2>&1 \
  | tee test-artifacts/ctest-asan.log
tested=$(date +%s)

passed=0
failed=0
summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" test-artifacts/ctest-asan.log | tail -n 1)
if [ -n "$summary" ]; then
  total=$(echo "$summary" | sed -E 's/.*out of ([0-9]+).*/\1/')
  bad=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed.*/\1/')
  passed=$((total - bad))
  failed=$bad
else
  failed=1
fi

# The API suite against the sanitized server (SQLite): every request path of the real binary
# under ASan + UBSan, the graceful-stop tests among them; a report makes the server exit
# non-zero, which fails the test file. EXAMPHOTO_ASAN_API=0 leaves it out.
if [ "${EXAMPHOTO_ASAN_API:-1}" = 1 ] && [ -z "${EXAMPHOTO_ASAN_LABELS:-}" ]; then
  EXAMPHOTO_BIN="$(pwd)/build-asan/src/app/examphoto" EXAMPHOTO_TEST_PG_ADMIN_URL= \
    EXAMPHOTO_E2E_WITHOUT_MODELS=1 bash tests/e2e/run.sh 2>&1 | tee test-artifacts/api-asan.log
  p=$(grep -E "^(#|ℹ) pass [0-9]+" test-artifacts/api-asan.log | tail -n 1 | awk '{print $3}')
  f=$(grep -E "^(#|ℹ) fail [0-9]+" test-artifacts/api-asan.log | tail -n 1 | awk '{print $3}')
  if [ -z "$p" ]; then failed=$((failed + 1)); else passed=$((passed + p)); failed=$((failed + ${f:-0})); fi
fi
finished=$(date +%s)

echo
echo "sanitizer ctest: $((tested - start)) s, API suite: $((finished - tested)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
