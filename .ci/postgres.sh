#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL answers on 127.0.0.1:5432 (starting the cluster if it is down) and creates a
# fresh, empty database for the integration suite. Fails loudly: the suite never runs without its database.
set -euo pipefail
DB="${1:-rcs_it}"
PGHOST=127.0.0.1
PGUSER="${PGUSER:-postgres}"

if ! pg_isready -q -h "$PGHOST" -p 5432; then
  echo "PostgreSQL is not answering on $PGHOST:5432; starting the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p 5432 && break; sleep 1; done
fi
pg_isready -h "$PGHOST" -p 5432 || { echo "FATAL: PostgreSQL did not come up on $PGHOST:5432" >&2; exit 1; }

psql -v ON_ERROR_STOP=1 -q -h "$PGHOST" -U "$PGUSER" -d test \
  -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
echo "PostgreSQL ready: database $DB (fresh)"
