#!/usr/bin/env bash
# The benchmark: one command, one table. Every figure is measured in this run and shown beside the baseline (a
# no-op platform-http route in the same JVM, same settings), with the ratio: these machines are shared and noisy.
#
#   bash bench/run.sh                 # ~15 minutes; RCS_BENCH_SECONDS=300 for the 5-minute sustained drain
#
# Scenarios (all load from 127.0.0.1; wrk from Debian's packages, installed here if missing):
#   baseline      no-op route, wrk max throughput
#   embedded      the router on its embedded default (H2, in-VM Artemis), wrk max throughput + drain
#   embedded-mem  the same with RCS_INGRESS_DUPLICATE_CHECK=memory (no database on the callback path)
#   postgres      PostgreSQL + standalone Artemis 2.44.0, wrk max throughput + drain
#   name@rate     1,000 and 5,000 callbacks/s offered (open model, bench/RateLoad.java): p50/p99/max
#   startup       process start to the first accepted callback
#   scale 1x/2x/4x and a 10M-row audit table: backlog drain rate on PostgreSQL (bench/scale.sh does these)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${RCS_BENCH_SECONDS:-30}"
WARMUP="${RCS_BENCH_WARMUP:-15}"
CONNS="${RCS_BENCH_CONNECTIONS:-32}"
HEAP="${RCS_BENCH_HEAP:--Xmx256m}"
RATES="${RCS_BENCH_RATES:-1000 5000}"
OUT="bench/out/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
PORT=18380; MPORT=19380
ROUTER=""

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
mvn -q -B -DskipTests package

stop_router() {
  if [ -n "$ROUTER" ] && kill -0 "$ROUTER" 2>/dev/null; then kill "$ROUTER"; wait "$ROUTER" 2>/dev/null || true; fi
  ROUTER=""
}
trap 'stop_router; [ -n "${ARTEMIS_STARTED:-}" ] && .ci/artemis.sh stop .ci/work >/dev/null' EXIT

# start_router NAME [ENV=VALUE ...]: starts the router jar, waits for the first accepted callback, prints ms
start_router() {
  local name="$1"; shift
  rm -rf "$OUT/$name-data"
  local t0; t0=$(date +%s%N)
  env RCS_DATA_DIR="$OUT/$name-data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT RCS_ROUTES_RELOAD=false \
      RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS=1 "$@" \
      java $HEAP -XX:+UseSerialGC -jar target/rcs-callback-router.jar > "$OUT/$name.log" 2>&1 &
  ROUTER=$!
  local body='{"type":"SENT","eventId":"startup-probe-'"$name"'","from":"kio_rcs","to":"19780000000","messageId":"startup"}'
  for _ in $(seq 1 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/callbacks/rcs" \
      -H 'Content-Type: application/json' --data "$body" 2>/dev/null || true)
    [ "$code" = "200" ] && break
    kill -0 "$ROUTER" 2>/dev/null || { echo "router $name died:"; tail -30 "$OUT/$name.log"; exit 1; }
    sleep 0.01
  done
  [ "$code" = "200" ] || { echo "router $name never accepted a callback"; tail -30 "$OUT/$name.log"; exit 1; }
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$ROUTER/stat"; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$ROUTER/status"; }
metric_sum() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" | awk -v n="$1" '$1 ~ "^"n"[{ ]" {s+=$2} END {printf "%d", s}'; }
# events dispatch has finished with: routed, or recognised as a repeat delivery
processed() { echo $(( $(metric_sum rcs_routed_total) + $(metric_sum rcs_dispatch_repeats_total) )); }
depth() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" | awk -v q="$1" 'index($0, "rcs_queue_depth{") == 1 && index($0, "queue=\"" q "\"") {print int($2)}'; }

# load NAME SCRIPT: warm-up, then the measured wrk run; sets RPS P50 P99 MAX CPU RSS NON2XX
load() {
  local name="$1" script="$2"
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$script" "http://127.0.0.1:$PORT/callbacks/rcs" > /dev/null 2>&1
  local ticks0; ticks0=$(cpu_ticks); local peak=0
  ( while kill -0 "$ROUTER" 2>/dev/null; do rss_kib; sleep 1; done ) > "$OUT/$name.rss" &
  local sampler=$!
  LOAD_START=$(date +%s%N)
  wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --latency -s "$script" "http://127.0.0.1:$PORT/callbacks/rcs" > "$OUT/$name.wrk" 2>&1
  LOAD_END=$(date +%s%N)
  local ticks1; ticks1=$(cpu_ticks)
  kill $sampler 2>/dev/null || true
  RPS=$(awk '/Requests\/sec/{printf "%d", $2}' "$OUT/$name.wrk")
  P50=$(awk '$1=="50%"{print $2}' "$OUT/$name.wrk"); P99=$(awk '$1=="99%"{print $2}' "$OUT/$name.wrk")
  MAX=$(awk '/Latency/ && !/Distribution/{print $4}' "$OUT/$name.wrk")
  NON2XX=$(awk '/Non-2xx/{print $5}' "$OUT/$name.wrk"); NON2XX=${NON2XX:-0}
  local hz; hz=$(getconf CLK_TCK)
  CPU=$(awk -v a="$ticks0" -v b="$ticks1" -v hz="$hz" -v s="$SECONDS_RUN" 'BEGIN{printf "%d", (b-a)/hz/s*100}')
  RSS=$(sort -n "$OUT/$name.rss" | tail -1 | awk '{printf "%d", $1/1024}')
}

# drain [QUEUE]: waits until the inbound queue is empty; sets DRAIN (events/s routed or found repeats, from load start) and BACKLOG_RATE
# (after the load ended: dispatch alone)
drain() {
  local queue="${1:-rcs.inbound}"
  local routed_at_end; routed_at_end=$(processed)
  local t_end=$LOAD_END
  for _ in $(seq 1 1800); do
    d=$(depth "$queue"); [ "${d:-1}" = "0" ] && break; sleep 1
  done
  sleep 2
  local t_drained; t_drained=$(date +%s%N); local routed; routed=$(processed)
  DRAIN=$(awk -v r="$routed" -v a="$LOAD_START" -v b="$t_drained" 'BEGIN{printf "%d", r/((b-a)/1e9)}')
  BACKLOG_RATE=$(awk -v r="$routed" -v r0="$routed_at_end" -v a="$t_end" -v b="$t_drained" \
    'BEGIN{ if ((b-a)/1e9 < 3) print "-"; else printf "%d", (r-r0)/((b-a)/1e9 - 2)}')
  ROUTED=$routed
}

ROWS=()
row() { ROWS+=("$(printf '| %-14s | %8s | %6s | %7s | %7s | %8s | %9s | %9s | %5s | %7s | %s |' "$@")"); }

echo "== baseline: no-op platform-http route"
start_router baseline RCS_ROUTES_DIR=bench/noop
B_START=$STARTUP_MS
load baseline bench/mix.lua
B_RPS=$RPS; B_CPU=$CPU; B_RSS=$RSS
row baseline "$RPS" "1.00" "$P50" "$P99" "$MAX" "-" "-" "$CPU" "$RSS" "startup ${STARTUP_MS} ms"
stop_router

# rate_row NAME RATE FILE: a row for an open-model run at a fixed offered rate
rate_row() {
  local line; line="$(cat "$3")"
  local r50 r99 rmax rok
  r50=$(echo "$line" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1ms/p'); r99=$(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1ms/p')
  rmax=$(echo "$line" | sed -n 's/.*max \([0-9.]*\) ms.*/\1ms/p'); rok=$(echo "$line" | sed -n 's/.*2xx \([0-9]*\),.*/\1/p')
  local note="offered $2/s for ${SECONDS_RUN} s, 2xx ${rok}"
  local rps=$(( rok / SECONDS_RUN ))
  # answers that came long after the offered window are no sustained rate: no req/s then
  echo "$line" | grep -q "timed out" && { note="$note, NOT all answered within the run + 120 s"; rps="-"; }
  row "$1@$2/s" "$rps" "$(ratio "$rps" "$B_RPS")" "$r50" "$r99" "$rmax" "-" "-" "-" "-" "$note"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0 || a == "-") print "-"; else printf "%.2f", a/b }'; }

for mode in database memory; do
  name=embedded; [ "$mode" = memory ] && name=embedded-mem
  echo "== $name: embedded Artemis + H2, duplicate check $mode"
  start_router "$name" RCS_INGRESS_DUPLICATE_CHECK=$mode
  S=$STARTUP_MS
  load "$name" bench/mix.lua
  drain
  row "$name" "$RPS" "$(ratio "$RPS" "$B_RPS")" "$P50" "$P99" "$MAX" "$DRAIN" "$BACKLOG_RATE" "$CPU" "$RSS" \
    "startup ${S} ms; non-2xx $NON2XX; routed or repeats $ROUTED"
  for rate in $RATES; do
    echo "   offered ${rate}/s:"
    java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/RateLoad.java \
      "http://127.0.0.1:$PORT/callbacks/rcs" "$rate" "$SECONDS_RUN" 256 "rate-$name-$rate" | tee "$OUT/$name-$rate.rate"
    rate_row "$name" "$rate" "$OUT/$name-$rate.rate"
  done
  stop_router
done

echo "== postgres: PostgreSQL + standalone Artemis 2.44.0"
.ci/postgres.sh rcs_bench >/dev/null
.ci/artemis.sh start .ci/work 61716 >/dev/null; ARTEMIS_STARTED=1
PGQ="bench-$(date +%s).rcs.inbound"
start_router postgres RCS_DB_URL=jdbc:postgresql://127.0.0.1:5432/rcs_bench RCS_DB_USER="${PGUSER:-postgres}" \
  RCS_BROKER_URL=tcp://127.0.0.1:61716 RCS_BROKER_USER=rcs RCS_BROKER_PASSWORD=rcs-it-secret \
  RCS_QUEUE_INBOUND="$PGQ" RCS_DISPATCH_CONSUMERS="${RCS_BENCH_PG_CONSUMERS:-8}"
S=$STARTUP_MS
load postgres bench/mix.lua
drain "$PGQ"
row postgres "$RPS" "$(ratio "$RPS" "$B_RPS")" "$P50" "$P99" "$MAX" "$DRAIN" "$BACKLOG_RATE" "$CPU" "$RSS" \
  "startup ${S} ms; non-2xx $NON2XX; routed or repeats $ROUTED"
stop_router

{
  echo "### $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/{printf "%d GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1)"
  echo
  echo "\`bash bench/run.sh\` (wrk -t2 -c$CONNS, ${WARMUP} s warm-up + ${SECONDS_RUN} s measured; heap $HEAP; mix: bench/mix.lua)"
  echo
  echo "| scenario       | req/s    | ratio  | p50     | p99     | max      | drain/s   | backlog/s | CPU % | RSS MiB | notes |"
  echo "|----------------|----------|--------|---------|---------|----------|-----------|-----------|-------|--------|-------|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "req/s: callbacks answered (wrk); ratio: against the baseline's req/s; drain/s: events audited and routed (or found to be repeats) per"
  echo "second from the start of the load until the inbound queue was empty; backlog/s: the same after the load stopped"
  echo "(dispatch alone); CPU %: the router process, 100 = one core; RSS: peak resident memory of the router process (MiB)."
} | tee "$OUT/table.md"
echo "raw output in $OUT"
