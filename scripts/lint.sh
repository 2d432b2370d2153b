#!/usr/bin/env bash
# Keeps the project's own C++ in its checked-in style (STYLE.md, "Habits"):
#   1. clang-format (.clang-format) leaves every C++ file of src/, tests/, bench/ and tools/
#      as it is;
#   2. clang-tidy (.clang-tidy) finds nothing in src/ (run on build/compile_commands.json,
#      which scripts/build.sh writes; all cores).
# Prints every finding, then one line "N passed, N failed" (one check each), the shape
# scripts/test.sh counts. Exit status 0 only when both checks pass.
# Usage: bash scripts/lint.sh [--format-only | --without-analyzer]
#   --without-analyzer leaves out clang-tidy's clang-analyzer-* checks (the static analyzer,
#   ~40 % of the CPU time); scripts/test.sh uses it to keep CI inside its time.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
passed=0
failed=0

unformatted=()
while IFS= read -r file; do
  clang-format --dry-run -Werror "$file" >/dev/null 2>&1 || unformatted+=("$file")
done < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' \
  'tools/*.cc' 'tools/*.h')
if [ ${#unformatted[@]} -eq 0 ]; then
  echo "clang-format: every file is formatted"
  passed=$((passed + 1))
else
  echo "clang-format: ${#unformatted[@]} files differ from .clang-format (fix: clang-format -i FILE):"
  printf '  %s\n' "${unformatted[@]}"
  failed=$((failed + 1))
fi

if [ "${1:-}" != "--format-only" ]; then
  if [ ! -f build/compile_commands.json ]; then
    echo "clang-tidy: no build/compile_commands.json (run scripts/build.sh first)"
    failed=$((failed + 1))
  else
    log=$(mktemp)
    checks=()
    [ "${1:-}" = "--without-analyzer" ] && checks=(-checks=-clang-analyzer-*)
    run-clang-tidy -p build -j "$(nproc)" -quiet "${checks[@]}" "$root/src/.*\.cc$" >"$log" 2>&1
    # Findings in our sources (headers included), each once; not the system's.
    findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^$root/src/[^:]+:[0-9]+:[0-9]+: (warning|error):" | sort -u)
    rm -f "$log"
    if [ -z "$findings" ]; then
      echo "clang-tidy: nothing found in src/"
      passed=$((passed + 1))
    else
      echo "clang-tidy: $(echo "$findings" | wc -l) findings in src/:"
      echo "$findings" | sed "s#^$root/#  #"
      failed=$((failed + 1))
    fi
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
