#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints for both targets, unit and integration
# tests (store story on SQLite and on a throwaway PostgreSQL, cache contract in-process and on a
# throwaway Redis), then Playwright end to end in Chromium (hydrated and without JavaScript).
# Throwaway servers run from a temporary directory on free ports and are always stopped; nothing
# already running on the machine is used or touched. Exits non-zero on the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

passed=0
# A cold run (CI's clean clone) gains nothing from incremental caches, which would double the
# target directory on disk; warm local runs keep them.
[ -d target/debug ] || export CARGO_INCREMENTAL=0
finish() {
  local code=$1
  if [ "$code" = 0 ]; then
    echo "stages: $passed passed, 0 failed"
    say "ALL TESTS PASSED"
  else
    echo "stages: $passed passed, 1 failed"
    say "TESTS FAILED (stage: $current)"
  fi
  exit "$code"
}
stage() {
  current=$1; shift
  say "$current"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    say "$current: done in $((SECONDS - started)) s"
  else
    finish 1
  fi
}

tmp=$(mktemp -d -t portal-test.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  [ -n "${PGDATA:-}" ] && as_service_user "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
# An interrupted run (Ctrl-C, CI timeout) stops its servers too.
trap 'cleanup; trap - EXIT; exit 130' INT TERM

start_postgres() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; return 1; }
  local port; port=$(free_port)
  # Everything PostgreSQL writes lives under one directory it owns (it refuses to run as root).
  local pgdir="$tmp/pg"
  mkdir -p "$pgdir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$pgdir"
  PGDATA="$pgdir/data"
  as_service_user "$PGBIN/initdb" -D "$PGDATA" -U portal --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; return 1; }
  as_service_user "$PGBIN/pg_ctl" -D "$PGDATA" -l "$pgdir/server.log" -w -t 60 \
    -o "-p $port -k $pgdir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
    || { cat "$pgdir/server.log" >&2; return 1; }
  export PORTAL_TEST_POSTGRES_URL="postgres://portal@127.0.0.1:$port/postgres"
  echo "PostgreSQL on 127.0.0.1:$port"
}

start_redis() {
  local port; port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$tmp" \
    --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log" || return 1
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$port" ping >/dev/null || { cat "$tmp/redis.log" >&2; return 1; }
  export PORTAL_TEST_REDIS_URL="redis://127.0.0.1:$port"
  echo "Redis on 127.0.0.1:$port"
}

end_to_end() {
  # The server under test gets its own data directory and free ports.
  local port; port=$(free_port)
  export LEPTOS_SITE_ADDR="127.0.0.1:$port"
  export LEPTOS_RELOAD_PORT; LEPTOS_RELOAD_PORT=$(free_port)
  export PORTAL_BASE_URL="http://127.0.0.1:$port"
  export DATABASE_URL="sqlite://$tmp/e2e/portal.db"
  export PORTAL__LOG__FILTER="warn"
  # Every journey signs in from 127.0.0.1: lift the per-IP limits (per-account ones stay).
  export PORTAL__AUTH__LOGIN_PER_IP=10000 PORTAL__AUTH__SIGNUP_PER_IP=10000
  # The support journey has an agent answer through the sandbox's Salesforce simulator.
  export PORTAL__SANDBOX__CONTROL_PORT; PORTAL__SANDBOX__CONTROL_PORT=$(free_port)
  export PORTAL_SANDBOX_CONTROL_URL="http://127.0.0.1:$PORTAL__SANDBOX__CONTROL_PORT"
  cargo leptos end-to-end
}

stage "setup (installs what is missing)" scripts/setup.sh test
stage "cargo fmt --check" cargo fmt --all -- --check
stage "clippy (server, all targets)" cargo clippy --features ssr --all-targets --locked -- -D warnings
stage "clippy (browser, wasm32)" cargo clippy --features hydrate --lib --target wasm32-unknown-unknown --locked -- -D warnings
stage "throwaway PostgreSQL" start_postgres
stage "throwaway Redis" start_redis
export PORTAL_TEST_REQUIRE_SERVICES=1
stage "unit and integration tests (SQLite + PostgreSQL, in-process + Redis)" cargo test --features ssr --locked
stage "end to end (Playwright, Chromium: hydrated and without JavaScript)" end_to_end
finish 0
