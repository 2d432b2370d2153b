#!/usr/bin/env bash
# Fault tests against the real binary (docs/RELIABILITY.md, "Faults"). Each scenario kills or
# starves the server at a bad moment, restarts it, runs `examphoto check-data` and checks
# that nothing was lost, half-written or done twice:
#   1. kill -9 during a roster import (200 000 rows): all rows or none, then the import succeeds
#   2. kill -9 while a verification job waits on the identity platform: after the restart
#      the lease runs out, the job is taken again and finishes exactly once
#   3. kill -9 in the middle of a photo upload: no attempt row, no blob, no temporary file
#      left that check-data would not accept; the candidate can upload again
#   4. PostgreSQL stopped under a running server: 503 with Retry-After and /readyz 503,
#      then, once it is back, the same requests succeed without a restart
#   5. the disk holding the data folder fills up: uploads answer 503 with Retry-After, no
#      row or blob is half-written, reads go on, and once space is freed the same upload
#      is taken without a restart
# Usage: EXAMPHOTO_BIN=build/src/app/examphoto bash tests/faults/run.sh
# Ends with one line "N passed, N failed" (the same shape as scripts/test.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
bin=$(realpath "${EXAMPHOTO_BIN:-build/src/app/examphoto}")
[ -x "$bin" ] || { echo "no binary at $bin"; exit 1; }
work=$(mktemp -d /tmp/examphoto-faults.XXXXXX)
# Scenario 4 starts (and stops) its own PostgreSQL; never the caller's (scripts/test.sh).
unset PG_TEST_DIR
passed=0
failed=0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  [ -n "${PG_TEST_DIR:-}" ] && pg_test_stop
  [ -n "${mounted:-}" ] && umount -l "$mounted"
  [ -n "${FAULT_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "  ok   $*"; passed=$((passed + 1)); }
bad() { echo "  FAIL $*"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Environment of every server and command: nothing from the caller's shell. Started as
# `env -i ... examphoto` (env execs it), so $! is the examphoto process itself and kill -9
# reaches it, not a wrapping shell.
base_env=(PATH="$PATH" HOME="$HOME" EXAMPHOTO_MODELS_PRELOAD=false EXAMPHOTO_LOGIN_RESEND_INTERVAL_SECONDS=0
  EXAMPHOTO_LOGIN_CODES_PER_IP_PER_HOUR=100000 EXAMPHOTO_LOGIN_LOGINS_PER_IP_PER_MINUTE=100000
  EXAMPHOTO_WEB_ROOT="$work/no-web")
run_env() { env -i "${base_env[@]}" "$@"; }

start_server() {  # start_server NAME DATA_DIR [VAR=VALUE...]; sets $server_pid $server_url
  local name=$1 data=$2 port
  shift 2
  port=$(free_port)
  env -i "${base_env[@]}" "$@" "$bin" serve --dev --listen "127.0.0.1:$port" --data-dir "$data" \
    >>"$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  server_url="http://127.0.0.1:$port"
  for _ in $(seq 1 200); do
    curl -fs "$server_url/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server $name did not start:"; tail -n 20 "$work/$name.log"
  return 1
}

check_data() {  # check_data DATA_DIR [flags] → exit status of check-data
  local data=$1
  shift
  run_env "$bin" check-data --data-dir "$data" "$@" >"$work/check.out" 2>"$work/check.err"
  local rc=$?
  [ $rc -ne 0 ] && { cat "$work/check.out"; tail -n 5 "$work/check.err"; }
  return $rc
}

sql() { sqlite3 -cmd ".timeout 5000" "$1/examphoto.db" "$2"; }

seed_ready_for_photo() {  # DATA_DIR REGISTRATION_NO PHONE: a new database, one candidate at the photo step
  run_env "$bin" check-data --data-dir "$1" >/dev/null 2>&1  # creates and migrates it
  sql "$1" "
INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, created_at, updated_at)
  VALUES ('$2', '张伟', '110105199003071239', '$3', '故障测试批次', 0, 0);
INSERT INTO collections (candidate_id, state, version, portrait_side, emblem_side, updated_at)
  VALUES (1, 'identity_confirmed', 1, '{}', '{}', 0);"
}

login() {  # login URL PHONE → prints a candidate token
  local url=$1 phone=$2 code
  curl -fs -X POST "$url/api/v1/auth/sms-code" -H 'content-type: application/json' \
    -d "{\"phone\":\"$phone\"}" >/dev/null || return 1
  code=$(curl -fs "$url/api/v1/dev/sms-outbox?phone=$phone" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["code"])')
  curl -fs -X POST "$url/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"phone\":\"$phone\",\"code\":\"$code\",\"agreements\":{\"user\":\"2026-01\",\"privacy\":\"2026-01\"}}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

echo "1. kill -9 during a roster import"
data=$work/import
python3 tests/faults/make_roster.py 200000 >"$work/roster.csv"
run_env "$bin" check-data --data-dir "$data" >/dev/null 2>&1  # creates and migrates the database
env -i "${base_env[@]}" "$bin" roster import "$work/roster.csv" --data-dir "$data" >"$work/import.log" 2>&1 &
import_pid=$!
sleep "${FAULT_IMPORT_KILL_AFTER:-1.0}"
if kill -9 "$import_pid" 2>/dev/null; then killed=yes; else killed="no (it had finished)"; fi
wait "$import_pid" 2>/dev/null
count=$(sql "$data" "SELECT COUNT(*) FROM candidates")
echo "       killed: $killed; candidates after the kill: $count"
check "the import was still running when it was killed" '[ "$killed" = yes ]'
check "import is all or nothing ($count rows)" '[ "$count" = 0 ] || [ "$count" = 200000 ]'
check "check-data finds nothing after the killed import" 'check_data "$data"'
run_env "$bin" roster import "$work/roster.csv" --data-dir "$data" >"$work/import2.log" 2>&1
check "the import run again succeeds" '[ $? -eq 0 ] && [ "$(sql "$data" "SELECT COUNT(*) FROM candidates")" = 200000 ]'

echo "2. kill -9 while a verification job waits on the identity platform"
data=$work/verify
run_env "$bin" check-data --data-dir "$data" >/dev/null 2>&1
platform_port=$(free_port)
node tests/e2e/standins/identity-platform.mjs "$platform_port" fault-secret >"$work/platform.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 50); do grep -qs LISTENING "$work/platform.log" && break; sleep 0.1; done
platform=http://127.0.0.1:$platform_port
curl -fs -X POST "$platform/control" -d '{"mode":"slow","slowMs":8000}' >/dev/null
mkdir -p "$data/blobs/photo"
cp deps/models/node_modules/@vladmandic/face-api/demo/sample1.jpg "$data/blobs/photo/fault1"
# The service stores images sealed: seal the copied one with the data folder's key.
run_env "$bin" blobs rotate-key --data-dir "$data" >/dev/null
sql "$data" "
INSERT INTO candidates (registration_no, name, id_number, phone, exam_session, created_at, updated_at)
  VALUES ('V1', '张伟', '110105199003071239', '13900000001', '故障测试批次', 0, 0);
INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, photo_key)
  VALUES (1, 0, 1, '{}', 'photo/fault1', 'photo/fault1');
INSERT INTO collections (candidate_id, state, version, portrait_side, emblem_side, photo_attempt_id, updated_at)
  VALUES (1, 'verifying', 1, '{}', '{}', 1, 0);
INSERT INTO verification_jobs (candidate_id, photo_attempt_id, status, run_after, created_at, updated_at)
  VALUES (1, 1, 'queued', 0, 0, 0);"
verify_env=(EXAMPHOTO_VERIFICATION_PROVIDER=http EXAMPHOTO_VERIFICATION_HTTP_URL="$platform/verify"
  EXAMPHOTO_VERIFICATION_HTTP_SECRET=fault-secret EXAMPHOTO_VERIFICATION_LEASE_SECONDS=3
  EXAMPHOTO_VERIFICATION_HTTP_TIMEOUT_MS=20000)
start_server verify1 "$data" "${verify_env[@]}" || exit 1
for _ in $(seq 1 100); do
  [ "$(curl -fs "$platform/requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 1 ] && break
  sleep 0.1
done
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null
check "the server is gone" '! kill -0 "$server_pid" 2>/dev/null'
check "the job was running when the server died" '[ "$(sql "$data" "SELECT status FROM verification_jobs")" = running ]'
check "check-data accepts a lease that has not yet run out" 'check_data "$data"'
curl -fs -X POST "$platform/control" -d '{"mode":"pass"}' >/dev/null
start_server verify2 "$data" "${verify_env[@]}" || exit 1
for _ in $(seq 1 150); do
  [ "$(sql "$data" "SELECT status FROM verification_jobs")" = done ] && break
  sleep 0.2
done
check "after the restart the job finishes" '[ "$(sql "$data" "SELECT status || \",\" || outcome FROM verification_jobs")" = "done,passed" ]'
check "the candidate is verified" '[ "$(sql "$data" "SELECT state FROM collections")" = verified ]'
check "the outcome was recorded exactly once" \
  '[ "$(sql "$data" "SELECT COUNT(*) FROM collection_events WHERE event = \"verification_passed\"")" = 1 ]'
echo "       job attempts: $(sql "$data" "SELECT attempts FROM verification_jobs"), platform calls: $(curl -fs "$platform/requests" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "check-data finds nothing after the restart" 'check_data "$data"'
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null

echo "3. kill -9 in the middle of a photo upload"
data=$work/upload
seed_ready_for_photo "$data" U1 13900000002
start_server upload1 "$data" || exit 1
token=$(login "$server_url" 13900000002)
check "candidate logged in" '[ -n "$token" ]'
head -c 3000000 /dev/urandom >"$work/big-upload.jpg"
curl -s -o /dev/null --limit-rate 300k -X POST "$server_url/api/v1/me/photos" \
  -H "authorization: Bearer $token" -H 'content-type: image/jpeg' --data-binary @"$work/big-upload.jpg" &
upload_pid=$!
sleep 2
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null
wait "$upload_pid" 2>/dev/null
check "no half-written photo attempt" '[ "$(sql "$data" "SELECT COUNT(*) FROM photo_attempts")" = 0 ]'
check "the candidate's state is untouched" '[ "$(sql "$data" "SELECT state FROM collections")" = identity_confirmed ]'
check "check-data finds nothing after the killed upload" 'check_data "$data"'
start_server upload2 "$data" || exit 1
status=$(curl -s -o /dev/null -w '%{http_code}' "$server_url/api/v1/me" -H "authorization: Bearer $token")
check "the session survived the restart (GET /me → $status)" '[ "$status" = 200 ]'
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null

echo "4. PostgreSQL stops under a running server, then comes back"
source scripts/lib/postgres.sh
pg_test_start >/dev/null || exit 1
pg_url=$EXAMPHOTO_TEST_PG_ADMIN_URL
pg_port=${pg_url##*:}
pg_port=${pg_port%%/*}
data=$work/postgres
start_server pg1 "$data" EXAMPHOTO_DATABASE_URL="$pg_url" || exit 1
check "ready with the database up" '[ "$(curl -s -o /dev/null -w "%{http_code}" "$server_url/readyz")" = 200 ]'
pg_bin=$(pg_test_bin)
pg_test_as_owner "$pg_bin/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1
headers=$(curl -s -D - -o "$work/pg-down.json" -X POST "$server_url/api/v1/auth/sms-code" \
  -H 'content-type: application/json' -d '{"phone":"13900000001"}' --max-time 20)
code=$(echo "$headers" | head -n 1 | awk '{print $2}')
echo "       with the database down: $code, $(echo "$headers" | grep -i '^retry-after' | tr -d '\r')"
check "a request answers 503 while the database is down" '[ "$code" = 503 ]'
check "with Retry-After" 'echo "$headers" | grep -qi "^retry-after: [0-9]"'
check "/readyz answers 503" '[ "$(curl -s -o /dev/null -w "%{http_code}" --max-time 20 "$server_url/readyz")" = 503 ]'
pg_test_as_owner "$pg_bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $PG_TEST_DIR -c fsync=off" start >/dev/null
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w "%{http_code}" "$server_url/readyz")" = 200 ] && break
  sleep 0.2
done
check "/readyz is 200 again once the database is back" '[ "$(curl -s -o /dev/null -w "%{http_code}" "$server_url/readyz")" = 200 ]'
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$server_url/api/v1/auth/sms-code" \
  -H 'content-type: application/json' -d '{"phone":"13900000001"}')
check "requests succeed again without a restart (send-code → $code)" '[ "$code" != 503 ] && [ "$code" != 500 ]'
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null
stop_rc=$?
[ $stop_rc -ne 0 ] && tail -n 5 "$work/pg1.log"
check "the server still stops cleanly (exit $stop_rc)" '[ $stop_rc -eq 0 ]'

echo "5. the disk fills up under a running server, then space is freed"
# A small tmpfs holds the data folder (SQLite file and blobs), so "full" is reached in
# seconds without touching the machine's real disk. Mounting needs root, as CI runs.
full=$work/full
mkdir -p "$full"
if mount -t tmpfs -o size=24m examphoto-full "$full" 2>"$work/mount.err"; then
  mounted=$full
  data=$full/data
  seed_ready_for_photo "$data" D1 13900000003
  start_server full1 "$data" EXAMPHOTO_MODELS_PRELOAD=true || exit 1
  for _ in $(seq 1 300); do  # the portrait models load in the background
    [ "$(curl -s -o /dev/null -w "%{http_code}" "$server_url/readyz")" = 200 ] && break
    sleep 0.2
  done
  token=$(login "$server_url" 13900000003)
  check "candidate logged in" '[ -n "$token" ]'
  # A group photo: a real image that the portrait check rejects, so the upload and its
  # attempt row are written (a rejected attempt is kept like an accepted one).
  photo=$root/deps/models/node_modules/@vladmandic/face-api/demo/sample2.jpg
  dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null  # until "No space left on device"
  echo "       free space left: $(df --output=avail -B1 "$full" | tail -n 1) bytes"
  headers=$(curl -s -D - -o "$work/full-disk.json" -X POST "$server_url/api/v1/me/photos" \
    -H "authorization: Bearer $token" -H 'content-type: image/jpeg' --data-binary @"$photo" --max-time 60)
  code=$(echo "$headers" | head -n 1 | awk '{print $2}')
  echo "       upload on a full disk: $code $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["message"])' "$work/full-disk.json" 2>/dev/null)"
  check "the upload on a full disk answers 503 (got $code)" '[ "$code" = 503 ]'
  check "with Retry-After" 'echo "$headers" | grep -qi "^retry-after: [0-9]"'
  check "and a message that says storage is full" 'grep -q "service.storage_full" "$work/full-disk.json"'
  check "the server log says the disk is full" 'grep -Eq "No space left on device|disk is full" "$work/full1.log"'
  check "the server is still running" 'kill -0 "$server_pid" 2>/dev/null'
  check "reads still work on the full disk (GET /me)" \
    '[ "$(curl -s -o /dev/null -w "%{http_code}" "$server_url/api/v1/me" -H "authorization: Bearer $token")" = 200 ]'
  check "no attempt row was written" '[ "$(sql "$data" "SELECT COUNT(*) FROM photo_attempts")" = 0 ]'
  check "no blob or temporary file was left" '[ -z "$(find "$data/blobs" -type f 2>/dev/null)" ]'
  rm -f "$full/filler"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$server_url/api/v1/me/photos" \
    -H "authorization: Bearer $token" -H 'content-type: image/jpeg' --data-binary @"$photo" --max-time 60)
  check "with space again the same upload is taken without a restart ($code)" '[ "$code" = 200 ] || [ "$code" = 201 ]'
  check "its attempt row is there" '[ "$(sql "$data" "SELECT COUNT(*) FROM photo_attempts")" = 1 ]'
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null
  check "check-data finds nothing wrong and no unreferenced blob" \
    'check_data "$data" && ! grep -q unreferenced "$work/check.out"'
else
  bad "mount a 24 MB tmpfs for the full-disk scenario (needs root): $(cat "$work/mount.err")"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
