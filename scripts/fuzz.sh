#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan, build-fuzz/) and runs
# them one after the other, each for FUZZ_SECONDS (default 300) on one core, starting from the
# seed corpus in tests/fuzz/corpus/<target>/. The growing corpus is kept in
# build-fuzz/corpus/<target>/; crashes land in build-fuzz/artifacts/<target>/ (copy a fixed one
# into tests/fuzz/corpus/<target>/ so that ctest replays it). Prints one line per target:
# executions, executions per second, coverage (edges) and features.
#   bash scripts/fuzz.sh                      # all targets, 300 s each
#   FUZZ_SECONDS=60 bash scripts/fuzz.sh roster_csv json_body
set -uo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
seconds=${FUZZ_SECONDS:-300}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(image_decoder exif_reader roster_csv json_body http_request)

CC=clang CXX=clang++ cmake --preset fuzz >/dev/null || exit 1
fuzzers=()
for t in "${targets[@]}"; do fuzzers+=("${t}_fuzzer"); done
cmake --build build-fuzz -j "${FUZZ_BUILD_JOBS:-2}" --target "${fuzzers[@]}" || exit 1

mkdir -p test-artifacts
declare -A max_len=([image_decoder]=262144 [exif_reader]=65536 [roster_csv]=65536 [json_body]=16384 [http_request]=65536)
status=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  artifacts=build-fuzz/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  log=test-artifacts/fuzz-$t.log
  # ASan's leak check at exit is on; UBSan findings abort (-fno-sanitize-recover).
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    "build-fuzz/tests/fuzz/${t}_fuzzer" "$corpus" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -max_len="${max_len[$t]:-65536}" -timeout=20 -rss_limit_mb=2560 \
    $([ -f "tests/fuzz/$t.dict" ] && echo "-dict=tests/fuzz/$t.dict") \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  last=$(grep -E "^#[0-9]+" "$log" | tail -n 1)
  execs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
  rate=$(grep -E "^stat::average_exec_per_sec" "$log" | awk '{print $2}')
  cov=$(echo "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  ft=$(echo "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
  corp=$(echo "$last" | sed -nE 's/.*corp: ([0-9]+).*/\1/p')
  result=ok
  if [ $rc -ne 0 ]; then result="FAILED (rc=$rc, see $log and $artifacts/)"; status=1; fi
  printf '%-14s %6s s  execs=%-10s exec/s=%-7s cov=%-6s ft=%-6s corpus=%-5s %s\n' \
    "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result" | tee -a test-artifacts/fuzz-summary.txt
done
exit $status
