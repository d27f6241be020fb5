#!/usr/bin/env bash
# The benchmark: one command, one table. Every figure is measured in this run and shown beside the baseline (a
# no-op platform-http route in the same jar, same JVM flags, same wrk settings), as a ratio: these machines are
# shared and noisy.
#
#   bash bench/run.sh                      # ~15 minutes
#   RCS_BENCH_ONLY="baseline embedded" bash bench/run.sh     # some scenarios only
#   RCS_BENCH_IDS=random bash bench/run.sh  # event ids in no order, as Kaleyra's are (bench/mix.lua; default ordered)
#
# Scenarios (all load from 127.0.0.1; wrk from Debian's packages, installed here if missing):
#   baseline       the no-op route, wrk at full speed
#   embedded       the router on its embedded default (H2, in-VM Artemis), wrk at full speed, then the drain
#   embedded@RATE  the embedded default offered RATE callbacks/s (open model, bench/RateLoad.java) for RCS_BENCH_RATE_SECONDS
#   providers@RATE the embedded default offered RATE callbacks/s as embedded@RATE, a quarter each from Kaleyra,
#                  Google RBM, Sinch and Infobip on their own paths, signed (bench/RateLoad.java ... providers)
#   crm            the embedded default with a CRM (bench/CrmStandIn.java on 127.0.0.1, failing 1 request in 10) and
#                  RCS_BENCH_CRM_CONSUMERS (32) forwarder consumers, wrk at full speed, then the drain of rcs.inbound
#                  and rcs.crm.outbound: the whole pipeline, the reference rate of bench/soak.sh
#   postgres       PostgreSQL + a standalone Artemis 2.44.0 (started here), wrk at full speed, then the drain; the
#                  router's default of one dispatch consumer (RCS_BENCH_PG_CONSUMERS for more: two cost PostgreSQL a
#                  quarter more per event, in batches half as large; bench/RESULTS.md 0f)
#   parts          the database work and the broker work of each event without the router (bench/PartsAlone.java):
#                  H2 and the embedded broker, PostgreSQL and the standalone Artemis; "dispatched/s" is their rate
# Downstream systems consume the queues the router fills (bench/Consumers.java), as an ESB would: an unconsumed
# queue would page to disk and measure the broker's paging instead of the router.
#
# Columns: accepted/s = callbacks answered 200 per second (wrk); dispatched/s = events dispatch finished (routed, or
# repeats counted) from the start of the load until rcs.inbound was empty, per second of that time; sustained/s =
# min(accepted/s, dispatched/s), given only when dispatch finished within 10% of the load's duration after it ended
# ("-" otherwise: the backlog grew); ratio = sustained/s (baseline: req/s) over the baseline's req/s.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN="${RCS_BENCH_SECONDS:-30}"
# JIT compilation still took 18% of a core 60-90 s after the start, 6% at 150 s (bench/RESULTS.md, section 0b)
WARMUP="${RCS_BENCH_WARMUP:-120}"
CONNS="${RCS_BENCH_CONNECTIONS:-32}"
HEAP="${RCS_BENCH_HEAP:--Xmx384m}"
# the collector README's run command names (SerialGC: the shortest young pauses on two cores, see bench/RESULTS.md)
GC="${RCS_BENCH_GC:--XX:+UseSerialGC}"
RATES="${RCS_BENCH_RATES:-2000}"
RATE_SECONDS="${RCS_BENCH_RATE_SECONDS:-60}"
ONLY="${RCS_BENCH_ONLY:-baseline embedded rate providers crm postgres parts}"
OUT="bench/out/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
PORT=18380; MPORT=19380; TCP=19381; CRM_PORT=18390
ROUTER=""; CONSUMERS=""; CRM=""
DOWNSTREAM="rcs.delivery rcs.unrouted rcs.compliance.optout rcs.compliance.optin rcs.crm.dlq rcs.dispatch.dlq"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)"; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
mvn -q -B -DskipTests package

stop_router() {
  if [ -n "$CONSUMERS" ] && kill -0 "$CONSUMERS" 2>/dev/null; then kill "$CONSUMERS"; wait "$CONSUMERS" 2>/dev/null || true; fi
  CONSUMERS=""
  if [ -n "$ROUTER" ] && kill -0 "$ROUTER" 2>/dev/null; then kill "$ROUTER"; wait "$ROUTER" 2>/dev/null || true; fi
  ROUTER=""
}
trap 'stop_router; [ -n "$CRM" ] && kill "$CRM" 2>/dev/null; [ -n "${ARTEMIS_STARTED:-}" ] && .ci/artemis.sh stop .ci/work >/dev/null' EXIT

# start_router NAME [ENV=VALUE ...]: starts the router jar, waits for the first accepted callback; sets STARTUP_MS
start_router() {
  local name="$1"; shift
  rm -rf "$OUT/$name-data"
  local t0; t0=$(date +%s%N)
  env RCS_DATA_DIR="$OUT/$name-data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT RCS_ROUTES_RELOAD=false \
      RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS=1 "$@" \
      MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" java $HEAP $GC -jar target/rcs-callback-router.jar > "$OUT/$name.log" 2>&1 &
  ROUTER=$!
  local body='{"type":"SENT","eventId":"startup-probe-'"$name"'","from":"kio_rcs","to":"19780000000","messageId":"startup"}'
  local code=""
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

# start_consumers URL [USER PASSWORD] PREFIX: the downstream systems, one consumer per queue the router fills
start_consumers() {
  local url="$1" user="$2" password="$3" prefix="$4" queues=""
  for q in $DOWNSTREAM; do queues="$queues $prefix$q"; done
  # shellcheck disable=SC2086
  java -Xmx128m -XX:+UseSerialGC -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' \
    bench/Consumers.java "$url" $user $password -- $queues > "$OUT/consumers.log" 2>&1 &
  CONSUMERS=$!
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$ROUTER/stat"; }
# busy ticks of the whole machine (every process: wrk, the consumers, the broker, PostgreSQL)
machine_ticks() { awk 'NR==1 {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$ROUTER/status"; }
metrics() { curl -s "http://127.0.0.1:$MPORT/observe/metrics"; }
# the sum of a metric over its labels; an unlabelled one is its only line ("name value": awk's $1 is the name alone)
metric_sum() { metrics | awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s+=$2} END {printf "%d", s}'; }
# events dispatch has finished with: routed, or recognised as a repeat delivery
processed() { echo $(( $(metric_sum rcs_routed_total) + $(metric_sum rcs_dispatch_repeats_total) )); }
depth() { metrics | awk -v q="$1" 'index($0, "rcs_queue_depth{") == 1 && index($0, "queue=\"" q "\"") {print int($2)}'; }
# waits until QUEUE is empty (at most LIMIT s); sets EMPTY_AT (ns)
await_empty() {
  local queue="$1" limit="$2"
  for _ in $(seq 1 $((limit * 5))); do
    d=$(depth "$queue"); [ "${d:-1}" = "0" ] && break; sleep 0.2
  done
  EMPTY_AT=$(date +%s%N)
}

# waits until dispatch has counted TARGET events in all (at most LIMIT s); sets EMPTY_AT (ns). Every callback answered
# 2xx is routed or counted as a repeat exactly once, and the counters are current, where the depth gauge is refreshed
# once a second (its "empty" came up to a second late). Should the count stop short, the empty queue ends the wait.
await_processed() {
  local target="$1" limit="$2" p last=-1 still=0
  for _ in $(seq 1 $((limit * 10))); do
    p=$(processed); [ "$p" -ge "$target" ] && break
    if [ "$p" = "$last" ]; then still=$((still + 1)); else still=0; last=$p; fi
    if [ "$still" -ge 20 ] && [ "$(depth "$QUEUE_IN")" = "0" ]; then
      echo "   dispatch counted $p of $target events and the queue is empty" >&2; break
    fi
    sleep 0.1
  done
  EMPTY_AT=$(date +%s%N)
}

# load NAME SCRIPT "QUEUE...": warm-up (and its backlog drained), then the measured wrk run and the drain of the
# queues (one after the other); sets ACCEPTED DISPATCHED SUSTAINED DRAIN_S P50 P99 MAX CPU RSS NON2XX
load() {
  local name="$1" script="$2" queue="$3" q
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$script" "http://127.0.0.1:$PORT/callbacks/rcs" > "$OUT/$name-warmup.wrk" 2>&1
  for q in $queue; do await_empty "$q" 300; done
  if [ -n "${AFTER_WARMUP:-}" ]; then "$AFTER_WARMUP"; fi
  local ticks0; ticks0=$(cpu_ticks)
  local mticks0; mticks0=$(machine_ticks)
  ( while kill -0 "$ROUTER" 2>/dev/null; do rss_kib; sleep 1; done ) > "$OUT/$name.rss" &
  local sampler=$!
  local done0=0; [ -n "$queue" ] && done0=$(processed)
  local t0; t0=$(date +%s%N)
  wrk -t2 -c"$CONNS" -d"${SECONDS_RUN}s" --latency -s "$script" "http://127.0.0.1:$PORT/callbacks/rcs" > "$OUT/$name.wrk" 2>&1
  local t1; t1=$(date +%s%N)
  local ticks1; ticks1=$(cpu_ticks)
  local mticks1; mticks1=$(machine_ticks)
  ACCEPTED=$(awk '/Requests\/sec/{printf "%d", $2}' "$OUT/$name.wrk")
  P50=$(awk '$1=="50%"{print $2}' "$OUT/$name.wrk"); P99=$(awk '$1=="99%"{print $2}' "$OUT/$name.wrk")
  MAX=$(awk '/Latency/ && !/Distribution/{print $4}' "$OUT/$name.wrk")
  NON2XX=$(awk '/Non-2xx/{print $5}' "$OUT/$name.wrk"); NON2XX=${NON2XX:-0}
  local hz; hz=$(getconf CLK_TCK)
  CPU=$(awk -v a="$ticks0" -v b="$ticks1" -v hz="$hz" -v s="$SECONDS_RUN" 'BEGIN{printf "%d", (b-a)/hz/s*100}')
  # machine CPU (ms) per 1,000 callbacks answered during the measured run, load generator included
  MCPU=$(awk -v a="$mticks0" -v b="$mticks1" -v hz="$hz" -v n="$ACCEPTED" -v s="$SECONDS_RUN" 'BEGIN{printf "%d", (b-a)/hz*1000/(n*s)*1000}')
  DISPATCHED="-"; SUSTAINED="$ACCEPTED"; DRAIN_S="-"
  if [ -n "$queue" ]; then
    local answered; answered=$(awk '/requests in/{print $1}' "$OUT/$name.wrk")
    QUEUE_IN="${queue%% *}"
    await_processed $((done0 + answered - NON2XX)) 600
    for q in ${queue#"$QUEUE_IN"}; do await_empty "$q" 600; done
    local done1; done1=$(processed)
    DISPATCHED=$(awk -v n=$((done1 - done0)) -v a="$t0" -v b="$EMPTY_AT" 'BEGIN{printf "%d", n/((b-a)/1e9)}')
    DRAIN_S=$(awk -v a="$t1" -v b="$EMPTY_AT" 'BEGIN{printf "%.1f", (b-a)/1e9}')
    SUSTAINED=$(( ACCEPTED < DISPATCHED ? ACCEPTED : DISPATCHED ))
    # dispatch must finish within 10% of the load's own duration: otherwise the backlog grew, nothing is sustained
    awk -v d="$DRAIN_S" -v s="$SECONDS_RUN" 'BEGIN{exit !(d > s * 0.1)}' && SUSTAINED="-"
  fi
  kill $sampler 2>/dev/null || true
  metrics > "$OUT/$name.metrics" 2>/dev/null || true
  RSS=$(sort -n "$OUT/$name.rss" | tail -1 | awk '{printf "%d", $1/1024}')
}

# rate_row NAME RATE NOTE TAG WARMUP MIX: RATE callbacks/s offered for RATE_SECONDS (bench/RateLoad.java, its MIX,
# WARMUP s of the same first), then the drain of rcs.inbound; one row of the table
rate_row() {
  local name="$1" rate="$2" note="$3" tag="$4" warmup="$5" mix="$6" file="$OUT/$4.rate" line
  java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/RateLoad.java \
    "http://127.0.0.1:$PORT/callbacks/rcs" "$rate" "$RATE_SECONDS" 256 "$tag" "$warmup" "$mix" | tee "$file"
  local end; end=$(date +%s%N); await_empty rcs.inbound 120
  local drained; drained=$(awk -v a="$end" -v b="$EMPTY_AT" 'BEGIN{printf "%.1f", (b-a)/1e9}')
  line="$(cat "$file")"
  local r50 r99 rmax rok rerr
  r50=$(echo "$line" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1ms/p'); r99=$(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1ms/p')
  rmax=$(echo "$line" | sed -n 's/.*max \([0-9.]*\) ms.*/\1ms/p'); rok=$(echo "$line" | sed -n 's/.*2xx \([0-9]*\),.*/\1/p')
  rerr=$(echo "$line" | sed -n 's/.*errors \([0-9]*\),.*/\1/p')
  row "$name" "$(( rok / RATE_SECONDS ))" "-" "-" "-" "$r50" "$r99" "$rmax" "${drained}s" "-" "-" \
    "${note}offered $rate/s for $RATE_SECONDS s: 2xx $rok of $((rate * RATE_SECONDS)), errors $rerr; rcs.inbound empty ${drained} s after the end"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b == 0 || a == "-") print "-"; else printf "%.3f", a/b }'; }
ROWS=()
row() { ROWS+=("$(printf '| %-16s | %8s | %8s | %9s | %6s | %8s | %8s | %9s | %7s | %5s | %6s | %s |' "$@")"); }
on() { [[ " $ONLY " == *" $1 "* ]]; }

B_RPS=0
if on baseline; then
  echo "== baseline: no-op platform-http route"
  start_router baseline RCS_ROUTES_DIR=bench/noop RCS_ROUTING_TABLE_FILE=routes/routing-table.yaml
  load baseline bench/mix.lua ""
  B_RPS=$ACCEPTED
  row baseline "$ACCEPTED" "-" "-" "1.000" "$P50" "$P99" "$MAX" "-" "$CPU" "$RSS" "startup ${STARTUP_MS} ms; machine CPU $MCPU ms per 1,000"
  stop_router
fi

if on embedded || on rate; then
  echo "== embedded: in-VM Artemis + H2 (the quick start's default)"
  start_router embedded RCS_BROKER_EMBEDDED_TCP_ACCEPTOR=tcp://127.0.0.1:$TCP
  start_consumers "tcp://127.0.0.1:$TCP" "" "" ""
  S=$STARTUP_MS
  if on embedded; then
    load embedded bench/mix.lua rcs.inbound
    row embedded "$ACCEPTED" "$DISPATCHED" "$SUSTAINED" "$(ratio "$SUSTAINED" "$B_RPS")" "$P50" "$P99" "$MAX" \
      "${DRAIN_S}s" "$CPU" "$RSS" "startup ${S} ms; non-2xx $NON2XX; machine CPU $MCPU ms per 1,000 accepted"
  fi
  if on rate; then
    if ! on embedded; then
      # the same warm-up as the embedded row (its JIT, pools and journal files), its backlog drained
      wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s bench/mix.lua "http://127.0.0.1:$PORT/callbacks/rcs" > "$OUT/rate-warmup.wrk" 2>&1
      await_empty rcs.inbound 300
    fi
    for rate in $RATES; do
      echo "   offered ${rate}/s for ${RATE_SECONDS} s:"
      rate_row "embedded@$rate/s" "$rate" "" rate-$rate 10 kaleyra
    done
  fi
  stop_router
fi

if on providers; then
  # issue 14: the same events from all four providers, each on its own path and signed as that provider signs
  echo "== providers: the embedded default, a quarter of the callbacks each from Kaleyra, Google RBM, Sinch, Infobip"
  # shellcheck disable=SC2046
  start_router providers RCS_BROKER_EMBEDDED_TCP_ACCEPTOR=tcp://127.0.0.1:$TCP $(java -cp 'target/lib/*' bench/RateLoad.java --env 2>/dev/null)
  start_consumers "tcp://127.0.0.1:$TCP" "" "" ""
  # the same load generator (a closed loop of $CONNS connections, as wrk runs) on the Kaleyra mix, then on the
  # providers mix: what the other paths cost, each against the other in the same router and run
  for mix in kaleyra providers; do
    echo "   closed loop, $CONNS connections, $mix mix: ${WARMUP} s warm-up, ${SECONDS_RUN} s measured"
    p0=$(processed); t0=$(date +%s%N)
    java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/RateLoad.java \
      "http://127.0.0.1:$PORT/callbacks/rcs" 0 "$SECONDS_RUN" "$CONNS" "closed-$mix" "$WARMUP" "$mix" \
      | tee "$OUT/providers-closed-$mix.rate"
    line="$(cat "$OUT/providers-closed-$mix.rate")"
    sent=$(echo "$line" | sed -n 's/.*sent \([0-9]*\) in all.*/\1/p')
    end=$(date +%s%N); QUEUE_IN=rcs.inbound; await_processed $((p0 + sent)) 600
    drained=$(awk -v a="$end" -v b="$EMPTY_AT" 'BEGIN{printf "%.1f", (b-a)/1e9}')
    disp=$(awk -v n=$(( $(processed) - p0 )) -v a="$t0" -v b="$EMPTY_AT" 'BEGIN{printf "%d", n/((b-a)/1e9)}')
    acc=$(echo "$line" | sed -n 's/.*accepted \([0-9]*\)\/s.*/\1/p')
    c50=$(echo "$line" | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1ms/p'); c99=$(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1ms/p')
    cmax=$(echo "$line" | sed -n 's/.*max \([0-9.]*\) ms.*/\1ms/p')
    [ "$mix" = kaleyra ] && K_ACC=$acc
    row "closed $mix" "$acc" "$disp" "-" "$(ratio "$acc" "${K_ACC:-0}")" "$c50" "$c99" "$cmax" "${drained}s" "-" "-" \
      "Java closed loop ($CONNS conns; ratio: to its Kaleyra-mix row); dispatched: warm-up and measured run together"
  done
  for rate in $RATES; do
    echo "   offered ${rate}/s for ${RATE_SECONDS} s after ${WARMUP} s of the same (not measured):"
    rate_row "providers@$rate/s" "$rate" "4 providers, " prov-$rate "$WARMUP" providers
  done
  stop_router
fi

if on crm; then
  echo "== crm: the embedded default, a CRM failing 1 request in 10, ${RCS_BENCH_CRM_CONSUMERS:-32} forwarder consumers"
  java -Xmx128m -XX:+UseSerialGC bench/CrmStandIn.java "$CRM_PORT" 0.1 > "$OUT/crm-standin.log" 2>&1 &
  CRM=$!
  start_router crm RCS_BROKER_EMBEDDED_TCP_ACCEPTOR=tcp://127.0.0.1:$TCP RCS_CRM_URL="http://127.0.0.1:$CRM_PORT/crm" \
    RCS_CRM_CONSUMERS="${RCS_BENCH_CRM_CONSUMERS:-32}"
  start_consumers "tcp://127.0.0.1:$TCP" "" "" ""
  S=$STARTUP_MS
  load crm bench/mix.lua "rcs.inbound rcs.crm.outbound"
  row crm "$ACCEPTED" "$DISPATCHED" "$SUSTAINED" "$(ratio "$SUSTAINED" "$B_RPS")" "$P50" "$P99" "$MAX" \
    "${DRAIN_S}s" "$CPU" "$RSS" "startup ${S} ms; non-2xx $NON2XX; CRM $(tail -1 "$OUT/crm-standin.log"); machine CPU $MCPU ms per 1,000 accepted"
  stop_router
  kill "$CRM" 2>/dev/null || true; CRM=""
fi

# A PostgreSQL server with autovacuum off (as on this project's CI machines) never analyzes a table: the planner then
# reads the whole consent table for every batch's consent queries, a cost that grows with the table and that no
# server with autovacuum on (PostgreSQL's default) has. After the warm-up, do once what autovacuum would have done.
ANALYZED=""
analyze_without_autovacuum() {
  if [ "$(psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d rcs_bench -Atc 'SHOW autovacuum')" = "off" ]; then
    psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d rcs_bench -qc 'ANALYZE'
    ANALYZED="; autovacuum off: ANALYZE after the warm-up"
  fi
}

if on postgres; then
  echo "== postgres: PostgreSQL + standalone Artemis 2.44.0"
  .ci/postgres.sh rcs_bench >/dev/null
  .ci/artemis.sh start .ci/work 61716 >/dev/null; ARTEMIS_STARTED=1
  PREFIX="bench-$(date +%s)."
  start_router postgres RCS_DB_URL=jdbc:postgresql://127.0.0.1:5432/rcs_bench RCS_DB_USER="${PGUSER:-postgres}" \
    RCS_BROKER_URL=tcp://127.0.0.1:61716 RCS_BROKER_USER=rcs RCS_BROKER_PASSWORD=rcs-it-secret \
    RCS_QUEUE_INBOUND="${PREFIX}rcs.inbound" RCS_QUEUE_DELIVERY="${PREFIX}rcs.delivery" \
    RCS_QUEUE_UNROUTED="${PREFIX}rcs.unrouted" RCS_QUEUE_OPTOUT="${PREFIX}rcs.compliance.optout" \
    RCS_QUEUE_OPTIN="${PREFIX}rcs.compliance.optin" RCS_QUEUE_CRM="${PREFIX}rcs.crm.outbound" \
    RCS_QUEUE_CRM_DLQ="${PREFIX}rcs.crm.dlq" RCS_QUEUE_DISPATCH_DLQ="${PREFIX}rcs.dispatch.dlq" \
    RCS_DISPATCH_CONSUMERS="${RCS_BENCH_PG_CONSUMERS:-1}"
  start_consumers tcp://127.0.0.1:61716 rcs rcs-it-secret "$PREFIX"
  S=$STARTUP_MS
  AFTER_WARMUP=analyze_without_autovacuum load postgres bench/mix.lua "${PREFIX}rcs.inbound"
  row postgres "$ACCEPTED" "$DISPATCHED" "$SUSTAINED" "$(ratio "$SUSTAINED" "$B_RPS")" "$P50" "$P99" "$MAX" \
    "${DRAIN_S}s" "$CPU" "$RSS" "startup ${S} ms; non-2xx $NON2XX; machine CPU $MCPU ms per 1,000 accepted$ANALYZED"
  stop_router
fi

# the parts no router code can make cheaper, alone (bench/PartsAlone.java): what bounds the rows above from below
if on parts; then
  echo "== parts alone: the database work and the broker work of the mix, without the router"
  parts() {
    local name="$1"; shift
    local line; line=$(java $HEAP $GC -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/classes:target/lib/*' \
      bench/PartsAlone.java "$@" 2>&1 | tail -1)
    echo "$line" > "$OUT/${name// /-}.parts"
    local rate; rate=$(echo "$line" | sed -n 's/.*: \([0-9]*\) events\/s.*/\1/p')
    row "$name" "-" "$rate" "-" "$(ratio "$rate" "$B_RPS")" "-" "-" "-" "-" "-" "-" "$line"
  }
  rm -rf "$OUT/parts-h2"
  parts "h2 alone" database "jdbc:h2:file:$PWD/$OUT/parts-h2/rcs;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE"
  parts "broker alone" broker embedded
  .ci/postgres.sh rcs_bench_parts >/dev/null
  parts "pg alone" database "jdbc:postgresql://127.0.0.1:5432/rcs_bench_parts?options=-c%20plan_cache_mode=force_custom_plan" "${PGUSER:-postgres}"
  .ci/artemis.sh start .ci/work 61716 >/dev/null; ARTEMIS_STARTED=1
  parts "artemis alone" broker tcp://127.0.0.1:61716 rcs rcs-it-secret
fi

{
  echo "### $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(awk '/MemTotal/{printf "%d GiB", $2/1048576}' /proc/meminfo); $(java -version 2>&1 | head -1)"
  echo
  echo "\`bash bench/run.sh\` (wrk -t2 -c$CONNS, ${WARMUP} s warm-up + ${SECONDS_RUN} s measured; heap $HEAP $GC; mix: bench/mix.lua, ${RCS_BENCH_IDS:-ordered} ids; downstream queues consumed)"
  echo
  echo "| scenario         | accepted/s | dispatched/s | sustained/s | ratio | p50 | p99 | max | drain after | CPU % | RSS MiB | notes |"
  echo "|------------------|----------|----------|-----------|--------|----------|----------|-----------|---------|-------|--------|-------|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "accepted/s: callbacks answered (wrk); dispatched/s: events routed (or found to be repeats) from the start of the load until"
  echo "rcs.inbound was empty, per second of that time; sustained/s: min(accepted/s, dispatched/s) when dispatch finished within 10% of"
  echo "the load's duration after it ended (otherwise '-'); ratio: sustained/s over the baseline's req/s; drain after: seconds from the"
  echo "end of the load until rcs.inbound was empty; CPU %: the router process, 100 = one core; RSS: its peak resident memory (MiB)."
} | tee "$OUT/table.md"
echo "raw output in $OUT"
