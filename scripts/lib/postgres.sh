# Starts and stops a throwaway PostgreSQL cluster for the tests: a temporary folder,
# loopback only, trust authentication, fsync off (test data is disposable). Source this
# file, then `pg_test_start` exports EXAMPHOTO_TEST_PG_ADMIN_URL; `pg_test_stop` removes it.

pg_test_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$dir/initdb" ] || { echo "PostgreSQL server binaries not found: run scripts/install-deps.sh" >&2; return 1; }
  echo "$dir"
}

pg_test_as_owner() {
  # initdb refuses to run as root; as root, run the server as the postgres system user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_test_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_test_start() {
  local bin port
  bin=$(pg_test_bin) || return 1
  PG_TEST_DIR=$(mktemp -d /tmp/examphoto-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_TEST_DIR"
  pg_test_as_owner "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
  port=$(pg_test_free_port)
  pg_test_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
  export EXAMPHOTO_TEST_PG_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres"
  export PG_TEST_DIR
  echo "PostgreSQL for tests on 127.0.0.1:$port ($PG_TEST_DIR)"
}

pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  local bin
  bin=$(pg_test_bin) || return 0
  pg_test_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
  unset PG_TEST_DIR EXAMPHOTO_TEST_PG_ADMIN_URL
}
