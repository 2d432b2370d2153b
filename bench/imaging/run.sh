#!/usr/bin/env bash
# The portrait core's speed and memory on one core, side by side in one run with the offline
# matting reference (IS-Net, fetched by fetch-reference.sh into a git-ignored cache) and the
# face-api/WASM peer (bench/peer, npm) on the same photo bytes. Writes bench/results/photo.json
# and bench/results/peer-face-api.json; docs/performance/imaging.md quotes them.
# Run: bash bench/imaging/run.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs=${1:-15}
cd "$root"
nice -n 10 cmake --build build --target photo_bench >/dev/null
isnet=$(bash bench/imaging/fetch-reference.sh)
photos=$(mktemp -d)
trap 'rm -rf "$photos"' EXIT
# Both on the same core, one after the other.
taskset -c 1 build/bench/imaging/photo_bench "$runs" "$photos" "$isnet"
(cd bench/peer && { [ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; })
taskset -c 1 node bench/peer/face-api-wasm.mjs "$photos" "$runs" bench/results/peer-face-api.json >/dev/null
echo "bench/results/photo.json bench/results/peer-face-api.json"
