#!/usr/bin/env bash
# How cost grows: dispatch's drain rate on PostgreSQL + a standalone Artemis from a standing backlog of N, 2N and 4N
# callbacks, then again with 10 million rows already in rcs_audit; and the query plan of a lookup by messageId.
#   bash bench/scale.sh [N]        (N default 20000; the 10M-row fill takes several minutes and ~3 GB of disk)
# The backlog is put on rcs.inbound before the router starts (bench/QueueFiller.java), so this also measures a
# start-up with a backlog. Callback latency (wrk, the benchmark mix) is measured on a small table and on the 10M-row
# table. "drained" = every callback audited and routed or recognised as a repeat (rcs_routed_total + rcs_dispatch_repeats_total).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
ROWS_BIG="${RCS_BENCH_BIG_ROWS:-10000000}"
HEAP="${RCS_BENCH_HEAP:--Xmx256m}"
OUT="bench/out/scale-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$OUT"
PORT=18480; MPORT=19480; ROUTER=""
mvn -q -B -DskipTests package
.ci/artemis.sh start .ci/work 61716 >/dev/null
trap '[ -n "$ROUTER" ] && kill $ROUTER 2>/dev/null; .ci/artemis.sh stop .ci/work >/dev/null' EXIT
PSQL="psql -X -q -h 127.0.0.1 -U ${PGUSER:-postgres} -d rcs_scale -v ON_ERROR_STOP=1"
metric_sum() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" | awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s+=$2} END {printf "%d", s}'; }
# events dispatch has finished with: routed, or recognised as a repeat delivery
processed() { echo $(( $(metric_sum rcs_routed_total) + $(metric_sum rcs_dispatch_repeats_total) )); }

# start_router NAME QUEUE: the router on PostgreSQL + Artemis, reading callbacks from QUEUE; sets ROUTER
start_router() {
  env RCS_DATA_DIR="$OUT/$1-data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT RCS_ROUTES_RELOAD=false \
    RCS_DB_URL=jdbc:postgresql://127.0.0.1:5432/rcs_scale RCS_DB_USER="${PGUSER:-postgres}" \
    RCS_BROKER_URL=tcp://127.0.0.1:61716 RCS_BROKER_USER=rcs RCS_BROKER_PASSWORD=rcs-it-secret \
    RCS_QUEUE_INBOUND="$2" RCS_DISPATCH_CONSUMERS="${RCS_BENCH_PG_CONSUMERS:-8}" \
    java $HEAP -XX:+UseSerialGC -jar target/rcs-callback-router.jar > "$OUT/$1.log" 2>&1 &
  ROUTER=$!
}

# drain NAME COUNT: fills the inbound queue, starts the router, measures until COUNT callbacks are routed
drain() {
  local name="$1" count="$2" queue="scale-$1-$(date +%s).rcs.inbound"
  java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/QueueFiller.java callbacks \
    tcp://127.0.0.1:61716 rcs rcs-it-secret "$queue" "$count" "$name" > "$OUT/$name.fill"
  local t0; t0=$(date +%s%N)
  start_router "$name" "$queue"
  local routed=0
  for _ in $(seq 1 3600); do
    routed=$(processed 2>/dev/null || echo 0); [ "${routed:-0}" -ge "$count" ] && break; sleep 0.5
  done
  local secs; secs=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b-a)/1e9}')
  local rss; rss=$(awk '/VmRSS/{printf "%d", $2/1024}' "/proc/$ROUTER/status")
  kill $ROUTER; wait $ROUTER 2>/dev/null || true; ROUTER=""
  printf '| %-10s | %8d | %8s | %8d | %6s |\n' "$name" "$count" "$secs" "$(awk -v c="$count" -v s="$secs" 'BEGIN{printf "%d", c/s}')" "$rss" | tee -a "$OUT/table.md"
}

# ingress NAME: the router on a fresh inbound queue, wrk with the benchmark mix (10 s warm-up, 20 s measured):
# does callback latency hold as rcs_audit grows? (the duplicate check looks each callback up in it)
ingress() {
  local name="$1" queue="scale-$1-$(date +%s).rcs.inbound"
  start_router "$name" "$queue"
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null && break; sleep 0.5; done
  wrk -t2 -c32 -d10s -s bench/mix.lua "http://127.0.0.1:$PORT/callbacks/rcs" > /dev/null 2>&1
  wrk -t2 -c32 -d20s --latency -s bench/mix.lua "http://127.0.0.1:$PORT/callbacks/rcs" > "$OUT/$name.wrk" 2>&1
  kill $ROUTER; wait $ROUTER 2>/dev/null || true; ROUTER=""
  local rps p50 p99 rows
  rps=$(awk '/Requests\/sec/{printf "%d", $2}' "$OUT/$name.wrk")
  p50=$(awk '$1=="50%"{print $2}' "$OUT/$name.wrk"); p99=$(awk '$1=="99%"{print $2}' "$OUT/$name.wrk")
  rows=$($PSQL -t -c 'SELECT count(*) FROM rcs_audit' | tr -d ' ')
  printf '| %-10s | audit rows after: %9s | callbacks/s %6s | p50 %8s | p99 %8s |\n' "$name" "$rows" "$rps" "$p50" "$p99" \
    | tee -a "$OUT/table.md"
}

{
  echo "### $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores: \`bash bench/scale.sh $N\` (PostgreSQL + Artemis, 8 dispatch consumers)"
  echo
  echo "| run        | backlog  | seconds  | drain/s  | RSS MiB|"
  echo "|------------|----------|----------|----------|--------|"
} > "$OUT/table.md"
cat "$OUT/table.md"
for mult in 1 2 4; do
  .ci/postgres.sh rcs_scale >/dev/null
  drain "x$mult" $(( N * mult ))
  [ "$mult" = 1 ] && ingress "ingress-x1"
done

echo "filling rcs_audit with $ROWS_BIG rows (one-off, a few minutes)"
.ci/postgres.sh rcs_scale >/dev/null
# let the router create the schema, then fill it
drain "schema" 20 > /dev/null
$PSQL -c "INSERT INTO rcs_audit (dedup_key, ingress_id, message_id, event_id, code, type, msisdn, agent, carrier,
  sent_at, received_at, updated_at, route, status, payload)
  SELECT 'event:big-' || g, 'ingress-' || g, 'big-m-' || g, 'big-' || g, '4000', 'SENT', '1978' || lpad((g % 10000000)::text, 7, '0'),
  'kio_rcs', 'VZ', now(), now(), now(), 'DELIVERY', 'ROUTED', '{\"code\":\"4000\"}' FROM generate_series(1, $ROWS_BIG) g" 
$PSQL -c "ANALYZE rcs_audit"
echo "| (rcs_audit holds $($PSQL -t -c 'SELECT count(*) FROM rcs_audit' | tr -d ' ') rows) | | | | |" | tee -a "$OUT/table.md"
drain "x1-big" "$N"
ingress "ingress-big"
{
  echo
  echo "Lookup by messageId with $ROWS_BIG rows:"
  echo '```'
  $PSQL -c "EXPLAIN ANALYZE SELECT * FROM rcs_audit WHERE message_id = 'big-m-4242424'"
  echo '```'
} | tee -a "$OUT/table.md"
echo "raw output in $OUT"
