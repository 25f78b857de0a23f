#!/usr/bin/env bash
# Runs a command beside a private PostgreSQL 15 cluster: initdb into a temporary directory, the
# server on a free port of 127.0.0.1 (no other address, no socket outside that directory), the
# command with PORTABILITY_POSTGRES_URL set to it, then the server stopped and the directory
# removed, whatever the command's outcome. Debian's postgresql package provides the binaries
# (apt-get install -y postgresql); as root, the cluster runs as the postgres user it creates.
#
#   portability/with-postgres.sh mvn -B -ntp -pl portability -am -Pportability \
#       -Dtest='*PortabilityTest' -Dsurefire.failIfNoSpecifiedTests=false verify
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi

bin="${PG_BIN:-}"
if [ -z "$bin" ]; then
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then bin="$candidate"; break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "no PostgreSQL server binaries (initdb) under /usr/lib/postgresql: apt-get install -y postgresql," \
    "or set PG_BIN to the directory holding initdb and pg_ctl" >&2
  exit 1
fi

dir="$(mktemp -d -t aiosqlite4j-pg.XXXXXX)"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root.
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U portability --auth=trust -E UTF8 --locale=C.UTF-8 \
  > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a throwaway cluster.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start > /dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$bin/postgres" --version

export PORTABILITY_POSTGRES_URL="r2dbc:postgresql://portability@127.0.0.1:$port/postgres"
echo "PORTABILITY_POSTGRES_URL=$PORTABILITY_POSTGRES_URL"
"$@"
