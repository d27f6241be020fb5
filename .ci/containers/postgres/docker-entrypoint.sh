#!/bin/bash
# Entry point of the PostgreSQL stand-in: at first start (empty PGDATA), initdb with POSTGRES_USER and
# POSTGRES_PASSWORD and create POSTGRES_DB; then run the server in the foreground, listening on all interfaces of
# the container. Any other command is run as given.
set -euo pipefail
if [ "${1:-postgres}" != "postgres" ]; then exec "$@"; fi
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != "postgres" ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  fi
  echo "database $POSTGRES_DB created for $POSTGRES_USER"
fi
if [ $# -gt 0 ]; then shift; fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
