#!/usr/bin/env bash
# HTTP benchmarks with wrk against a server on this machine (loopback only):
#  1. GET /api/v1/me (the session-state endpoint) at 256 connections;
#  2. the send-code -> login path (wrk + login.lua), logins completed per second;
#  3. idle memory of a server that has not loaded its models, and after loading them;
#  4. the roster import of 200,000 rows (CLI) for scale.
# Writes bench/results/http.json. Usage: bench/http/run.sh [seconds] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-15}
engine=${2:-sqlite}
bin=$root/build/src/app/examphoto
work=$(mktemp -d /tmp/examphoto-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ "$engine" = postgres ] && pg_test_stop
  rm -rf "$work"
}
trap cleanup EXIT
db_flag=()
if [ "$engine" = postgres ]; then
  source scripts/lib/postgres.sh
  pg_test_start >/dev/null
  psql "$EXAMPHOTO_TEST_PG_ADMIN_URL" -qc "CREATE DATABASE bench" >/dev/null
  db_flag=(--database "${EXAMPHOTO_TEST_PG_ADMIN_URL%/*}/bench")
fi

rows=200000
node bench/http/make-roster.mjs $rows > "$work/roster.csv"
import_start=$(date +%s.%N)
"$bin" roster import "$work/roster.csv" --data-dir "$work/data" "${db_flag[@]}" >/dev/null
import_seconds=$(echo "$(date +%s.%N) - $import_start" | bc)

export EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS=0 EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR=100000000 \
  EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE=100000000 EXAMPHOTO_LOGIN_CODES_PER_PHONE_PER_DAY=100000
start_server() {  # $1 = models.preload
  EXAMPHOTO_MODELS_PRELOAD=$1 "$bin" serve --dev --listen 127.0.0.1:$port --data-dir "$work/data" \
    "${db_flag[@]}" > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1
}
rss_mb() { echo "scale=1; $(awk '/VmRSS/ {print $2}' /proc/$server/status) / 1024" | bc; }

start_server false
sleep 1
idle_rss=$(rss_mb)

url=http://127.0.0.1:$port
curl -sf -XPOST $url/api/v1/auth/sms-code -d '{"phone":"13800000001"}' >/dev/null
code=$(curl -sf "$url/api/v1/dev/sms-outbox?phone=13800000001" | sed -E 's/.*"code":"([0-9]+)".*/\1/')
token=$(curl -sf -XPOST $url/api/v1/auth/login \
  -d "{\"phone\":\"13800000001\",\"code\":\"$code\",\"agreements\":{\"user\":\"2026-01\",\"privacy\":\"2026-01\"}}" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')

wrk -t2 -c256 -d${seconds}s --latency -H "Authorization: Bearer $token" "$url/api/v1/me" > "$work/state.txt"
state_rps=$(awk '/Requests\/sec/ {print $2}' "$work/state.txt")
state_p50=$(awk '$1=="50%" {print $2}' "$work/state.txt")
state_p99=$(awk '$1=="99%" {print $2}' "$work/state.txt")
state_errors=$(grep -E "Non-2xx|Socket errors" "$work/state.txt" | tr '\n' ' ' || true)

wrk -t32 -c32 -d${seconds}s --latency -s bench/http/login.lua "$url" -- 5000 > "$work/login.txt"
logins=$(awk '/^LOGINS/ {print $2}' "$work/login.txt")
login_failures=$(awk '/^LOGINS/ {print $4}' "$work/login.txt")
login_seconds=$(awk '/^LOGINS/ {print $6}' "$work/login.txt")
login_rate=$(echo "scale=1; $logins / $login_seconds" | bc)
login_p99=$(awk '$1=="99%" {print $2}' "$work/login.txt")
busy_rss=$(rss_mb)

kill "$server"; wait "$server" 2>/dev/null || true; server=
start_server true
for _ in $(seq 1 300); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.2; done
models_rss=$(rss_mb)

cat > bench/results/http-$engine.json <<JSON
{
  "engine": "$engine",
  "machine": "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "roster_import": {"rows": $rows, "seconds": $import_seconds},
  "state_endpoint": {"connections": 256, "seconds": $seconds, "requests_per_second": $state_rps,
                     "p50": "$state_p50", "p99": "$state_p99", "errors": "$state_errors"},
  "login_path": {"connections": 32, "logins": $logins, "failures": $login_failures,
                 "logins_per_second": $login_rate, "request_p99": "$login_p99"},
  "memory_mb": {"idle_before_models": $idle_rss, "after_load_test": $busy_rss, "models_loaded": $models_rss}
}
JSON
cat bench/results/http-$engine.json
