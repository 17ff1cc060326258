#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `initdb` into a new temporary folder, listening on a
# free loopback port only (and a Unix socket in that folder), trust authentication for the
# `tripsmith` role. Debian's `postgresql` package provides the server (scripts/setup.sh installs it).
#
#   eval "$(bash scripts/postgres.sh start)"   # sets TRIPSMITH_TEST_POSTGRES and TRIPSMITH_PG_DIR
#   bash scripts/postgres.sh stop "$TRIPSMITH_PG_DIR"
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/tripsmith-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U tripsmith --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a test server's data need not survive a power cut (tripsmith's own writes are
  # still committed before they are acknowledged).
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "export TRIPSMITH_TEST_POSTGRES=postgres://tripsmith@127.0.0.1:$port/postgres"
  echo "export TRIPSMITH_PG_DIR=$dir"
  ;;
stop)
  dir="${2:?postgres.sh stop DIR}"
  [ -d "$dir/data" ] || exit 0
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres.sh start | stop DIR" >&2
  exit 2
  ;;
esac
