#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL cluster for the sync tests and
# benches. Source it, then `start_test_postgres` (exports CK_TEST_POSTGRES_URL)
# and `stop_test_postgres`. CK_PG_OPTIONS adds server settings (the big
# console benchmark: "-c shared_buffers=4GB").

_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed: the PostgreSQL sync tests will be skipped" >&2
    return 0
  fi
  CK_PG_BIN="$bin"
  CK_PG_DIR=$(mktemp -d /tmp/ck-test-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$CK_PG_DIR"
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  _pg_as_owner "$bin/initdb" -D "$CK_PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  _pg_as_owner "$bin/pg_ctl" -D "$CK_PG_DIR/data" -l "$CK_PG_DIR/server.log" -w \
    -o "-p $port -k $CK_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 ${CK_PG_OPTIONS:-}" start >/dev/null
  export CK_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "test PostgreSQL on 127.0.0.1:$port"
}

stop_test_postgres() {
  if [ -n "${CK_PG_DIR:-}" ] && [ -d "$CK_PG_DIR/data" ]; then
    _pg_as_owner "$CK_PG_BIN/pg_ctl" -D "$CK_PG_DIR/data" -m fast -w stop >/dev/null || true
    rm -rf "$CK_PG_DIR"
  fi
}
