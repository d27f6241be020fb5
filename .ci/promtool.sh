#!/usr/bin/env bash
# The alerting rules as code: ops/prometheus/rcs-alerts.yml must load (promtool check rules) and every alert must
# fire on the synthetic series of its unit test and stay quiet on the other (promtool test rules). promtool comes
# from Debian's prometheus package, installed here when it is missing; only the binary is needed, so the package's
# service is kept from starting. The Grafana dashboard's queries must parse too (promtool checks them as recording
# rules, with the dashboard's variables filled in). Fails loudly, never skips.
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=ops/prometheus/rcs-alerts.yml
TESTS=ops/prometheus/rcs-alerts.test.yml
DASHBOARD=ops/grafana/rcs-callback-router.json

if ! command -v jq >/dev/null; then
  echo "jq is missing: installing Debian's jq package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq \
    || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq; }
fi
if ! command -v promtool >/dev/null; then
  echo "promtool is missing: installing Debian's prometheus package (for promtool only)"
  # no service start during the install: a policy-rc.d that refuses, unless the machine already has one
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=yes
  fi
  cleanup() { if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
  trap cleanup EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends prometheus
  cleanup
  trap - EXIT
  command -v promtool >/dev/null || { echo "FATAL: the prometheus package is installed but promtool is not on PATH" >&2; exit 1; }
fi
promtool --version 2>&1 | head -1

for f in "$RULES" "$TESTS" "$DASHBOARD"; do
  [ -s "$f" ] || { echo "FATAL: $f is missing or empty" >&2; exit 1; }
done

echo "== promtool check rules $RULES"
promtool check rules "$RULES"

echo "== promtool test rules $TESTS"
promtool test rules "$TESTS"

echo "== the dashboard's queries parse: $DASHBOARD"
queries=$(mktemp --suffix=.yml)
trap 'rm -f "$queries"' EXIT
count=$(jq '[.. | objects | select(has("expr")) | .expr] | length' "$DASHBOARD")
[ "$count" -gt 0 ] || { echo "FATAL: no panel query (expr) found in $DASHBOARD" >&2; exit 1; }
# Grafana's variables: $job and $instance match anything, $__rate_interval is a range
jq -r '{groups: [{name: "dashboard", rules: [[.. | objects | select(has("expr")) | .expr] | to_entries[]
        | {record: "dashboard_query_\(.key)", expr: (.value | gsub("\\$__rate_interval"; "5m")
        | gsub("\\$(job|instance)"; ".*"))}]}]}' "$DASHBOARD" > "$queries"
if ! out=$(promtool check rules "$queries" 2>&1); then
  echo "$out" | sed "s|$queries|$DASHBOARD|"
  echo "FATAL: a query of $DASHBOARD does not parse (dashboard_query_N is the N-th expr, from 0)" >&2
  exit 1
fi
echo "$out" | sed "s|$queries|$DASHBOARD (its $count queries as recording rules)|"

echo "== promtool: rules load, every alert's unit tests pass, the dashboard's queries parse"
