#!/usr/bin/env bash
# Scale-out test (docs/operations.md, "Several instances"): two `examphoto serve` instances
# on loopback sharing one PostgreSQL database (sessions, rate limits, blobs in the database,
# the verification job queue), behind Debian's nginx running deploy/nginx/examphoto.conf
# itself (ports and a throwaway certificate swapped in). The node tests in
# scaleout.test.mjs start and kill the instances and go through the balancer.
#
# The instances run from an installed examphoto, as production does: the build is installed
# (`cmake --install`, the layout of docs/operations.md) into a staging folder and its
# /usr/bin/examphoto runs with the web apps and models it finds beside itself.
#
# Usage: bash tests/scaleout/run.sh [node args]. EXAMPHOTO_BIN may name the binary of a
# build tree (build/src/app/examphoto: that build is installed) or an installed binary
# (/usr/bin/examphoto after `apt install ./examphoto_*.deb`: used as it is).
# Uses the PostgreSQL of EXAMPHOTO_TEST_PG_ADMIN_URL when set (a fresh database in it),
# else starts a throwaway cluster (scripts/lib/postgres.sh). Never touches /etc/nginx.
# Ends with node's summary ("ℹ pass N" / "ℹ fail N"); exit status 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
given=$(realpath "${EXAMPHOTO_BIN:-build/src/app/examphoto}")
[ -x "$given" ] || { echo "no server binary at $given: build it, or set EXAMPHOTO_BIN"; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "nginx not installed: bash scripts/install-deps.sh"; exit 1; }

work=$(mktemp -d /tmp/examphoto-scaleout.XXXXXX)
nginx_pid=
own_cluster=
database=
cleanup() {
  # Instances the tests started write their pid here; any still alive (the node process
  # was killed) go now.
  for file in "$work"/*.pid; do
    [ -f "$file" ] && kill -9 "$(cat "$file")" 2>/dev/null
  done
  if [ -n "$nginx_pid" ]; then
    kill -QUIT "$nginx_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$nginx_pid" 2>/dev/null
  fi
  if [ -n "$own_cluster" ]; then
    pg_test_stop
  elif [ -n "$database" ]; then
    psql -X -q "$EXAMPHOTO_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
  fi
  [ -n "${SCALEOUT_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A binary in a build tree (<build>/src/app/examphoto) is installed first.
build_dir=$(dirname "$(dirname "$(dirname "$given")")")
if [ -f "$build_dir/CMakeCache.txt" ] && [ "$given" = "$(realpath "$build_dir/src/app/examphoto")" ]; then
  DESTDIR="$work/install" cmake --install "$build_dir" >"$work/install.log" 2>&1 ||
    { echo "cmake --install $build_dir failed:"; tail -n 20 "$work/install.log"; exit 1; }
  prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build_dir/CMakeCache.txt")
  bin="$work/install$prefix/bin/examphoto"
else
  bin=$given
fi
[ -x "$bin" ] || { echo "no installed binary at $bin"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

source scripts/lib/postgres.sh
if [ -z "${EXAMPHOTO_TEST_PG_ADMIN_URL:-}" ]; then
  # A PG_TEST_DIR inherited from a caller's cluster must not be stopped by us.
  unset PG_TEST_DIR
  pg_test_start || exit 1
  own_cluster=1
fi
database="scaleout_$$_$RANDOM"
psql -X -q -v ON_ERROR_STOP=1 "$EXAMPHOTO_TEST_PG_ADMIN_URL" -c "CREATE DATABASE $database" || exit 1
db_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
  "$EXAMPHOTO_TEST_PG_ADMIN_URL" "$database")

port_a=$(free_port)
port_b=$(free_port)
port_tls=$(free_port)
port_http=$(free_port)
while [ "$port_b" = "$port_a" ]; do port_b=$(free_port); done

# nginx: the deployment file with loopback ports, a self-signed certificate for 127.0.0.1
# and one extra response header naming the instance that answered (tests only).
mkdir -p "$work/nginx"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" >/dev/null 2>&1 || { echo "openssl failed"; exit 1; }
sed -e "s/server 127\.0\.0\.1:8081 /server 127.0.0.1:$port_a /" \
  -e "s/server 127\.0\.0\.1:8082 /server 127.0.0.1:$port_b /" \
  -e "s/^\( *\)listen 80;/\1listen 127.0.0.1:$port_http;/" \
  -e "s/^\( *\)listen 443 ssl http2;/\1listen 127.0.0.1:$port_tls ssl http2;/" \
  -e "/listen \[::\]/d" \
  -e "s#/etc/ssl/examphoto/fullchain\.pem#$work/nginx/cert.pem#" \
  -e "s#/etc/ssl/examphoto/privkey\.pem#$work/nginx/key.pem#" \
  -e "s/^\( *\)server_tokens off;/&\n\1add_header X-Examphoto-Upstream \$upstream_addr always;/" \
  deploy/nginx/examphoto.conf >"$work/nginx/examphoto.conf"
for expected in "127.0.0.1:$port_a " "127.0.0.1:$port_b " "listen 127.0.0.1:$port_http;" \
  "listen 127.0.0.1:$port_tls ssl" "$work/nginx/cert.pem" "X-Examphoto-Upstream"; do
  grep -qF "$expected" "$work/nginx/examphoto.conf" ||
    { echo "deploy/nginx/examphoto.conf changed shape: no '$expected' after substitution"; exit 1; }
done
temp_paths=""
for kind in client_body proxy fastcgi uwsgi scgi; do
  # nginx-light lacks some modules; their temp path directives would be unknown.
  if "$nginx" -V 2>&1 | grep -q -- "--without-http_${kind}_module"; then continue; fi
  temp_paths+="  ${kind}_temp_path $work/nginx/temp_$kind;"$'\n'
done
cat >"$work/nginx/nginx.conf" <<EOF
# Generated by tests/scaleout/run.sh; loopback only, everything under $work/nginx.
$([ "$(id -u)" -eq 0 ] && echo "user root;")
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
$temp_paths
  include $work/nginx/examphoto.conf;
}
EOF
"$nginx" -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" ||
  { cat "$work/nginx/error.log"; exit 1; }
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do
  curl -sk -o /dev/null "https://127.0.0.1:$port_tls/healthz" && break
  sleep 0.1
done
echo "scaleout: binary=$bin database=$database nginx=https://127.0.0.1:$port_tls instances=$port_a,$port_b"

SCALEOUT_WORK="$work" SCALEOUT_DATABASE_URL="$db_url" SCALEOUT_PORTS="$port_a,$port_b" \
  SCALEOUT_NGINX_URL="https://127.0.0.1:$port_tls" SCALEOUT_NGINX_HTTP_URL="http://127.0.0.1:$port_http" \
  SCALEOUT_NGINX_CA="$work/nginx/cert.pem" SCALEOUT_NGINX_ACCESS_LOG="$work/nginx/access.log" \
  EXAMPHOTO_BIN="$bin" \
  node --test --test-reporter=spec --test-timeout=240000 "$@" tests/scaleout/scaleout.test.mjs
status=$?
if [ $status -ne 0 ]; then
  echo "--- nginx error log (last lines)"
  tail -n 20 "$work/nginx/error.log"
fi
exit $status
