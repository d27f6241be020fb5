#!/usr/bin/env bash
# Makes sure a PostgreSQL cluster answers on 127.0.0.1:5432 (starting the local one if it is down) and creates a
# fresh, empty database for the integration suite. Fails loudly: the suite never runs without its database.
#
#   postgres.sh DB      drop and create DB (default rcs_it)
#
# Which cluster: the one pg_lsclusters lists on port 5432 (any installed version, any cluster name); if none is
# on 5432, the newest version's "main". The administrative connection goes to the "postgres" database, which
# every cluster has (not to a database a particular machine happens to have).
set -euo pipefail
DB="${1:-rcs_it}"
PGHOST=127.0.0.1
PGPORT=5432
PGUSER="${PGUSER:-postgres}"

case "$DB" in
  *[!a-z0-9_]*|"") echo "FATAL: database name must be lower-case letters, digits and _: '$DB'" >&2; exit 2 ;;
esac

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  command -v pg_lsclusters >/dev/null || { echo "FATAL: PostgreSQL is not answering on $PGHOST:$PGPORT and pg_lsclusters (postgresql-common) is missing" >&2; exit 1; }
  # "ver cluster port status ..." lines; prefer the cluster configured for our port
  cluster=$(pg_lsclusters --no-header | awk -v p="$PGPORT" '$3 == p {print $1, $2; exit}')
  if [ -z "$cluster" ]; then
    cluster=$(pg_lsclusters --no-header | sort -V | awk '$2 == "main" {c = $1 " " $2} END {print c}')
  fi
  [ -n "$cluster" ] || { echo "FATAL: no PostgreSQL cluster is installed (pg_lsclusters lists none)" >&2; exit 1; }
  echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting cluster $cluster"
  # shellcheck disable=SC2086
  pg_ctlcluster --skip-systemctl-redirect $cluster start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi
pg_isready -h "$PGHOST" -p "$PGPORT" || { echo "FATAL: PostgreSQL did not come up on $PGHOST:$PGPORT" >&2; exit 1; }

psql -v ON_ERROR_STOP=1 -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
echo "PostgreSQL ready: database $DB (fresh)"
