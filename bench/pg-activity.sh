#!/usr/bin/env bash
# What PostgreSQL's backends are doing, sampled: every 20 ms for SECONDS, the statement (its first 80 characters)
# of each active backend of DATABASE and what it waits for (CPU when nothing), counted. One psql session does all
# the sampling, so the sampler costs little. Run it beside a benchmark's measured window:
#
#   bash bench/pg-activity.sh rcs_bench 20 > /tmp/pg-activity.txt
#
# Each line: samples, wait (or CPU), statement. A statement's share of the samples is its share of the time
# PostgreSQL spent on the router's behalf (bench/RESULTS.md, 0e).
set -euo pipefail
db="${1:?database}"; seconds="${2:-20}"
n=$(( seconds * 50 ))
q="SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' | ' || regexp_replace(left(query, 80), '\\s+', ' ', 'g')
   FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = '$db';"
for _ in $(seq "$n"); do echo "$q"; echo "SELECT pg_sleep(0.02);"; done \
  | psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d "$db" -At -q | { grep -v '^$' || true; } | sort | uniq -c | sort -rn
echo "($n samples of 20 ms)"
