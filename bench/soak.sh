#!/usr/bin/env bash
# The long soak (not part of CI): the router on its embedded default (README's heap and collector) under a steady
# open-model load for MINUTES (default 30) at RATE callbacks/s (default 300), with a CRM on 127.0.0.1 that fails
# one request in ten (HTTP 500), so retries and the circuit breaker work all the time, and consumers on the
# downstream queues (through the embedded broker's TCP acceptor), as an ESB would have.
# Every 30 s it records RSS, heap (jstat), threads, open files, the database file, readiness, the backlog and the
# counters (samples.txt). At the end it checks: every accepted callback routed, the backlog drained, readiness UP in
# every sample, the database never closed (no H2 error 90098/90121 in the log), and RSS, threads and open files flat:
# the last half-hour (or half of the run, if shorter) within 10% of the first (after two minutes of warm-up). Each
# sample also has the CPU seconds used so far by the router, the load generator, the CRM and the consumers.
#   bash bench/soak.sh [MINUTES] [RATE]
#   RCS_SOAK_CONSUMERS=false        leave the downstream queues unconsumed (they grow; see RCS_BROKER_MAX_HELD_EVENTS)
#   RCS_SOAK_H2_TRACE=2             H2's own trace file (rcs.trace.db) at that level: 1 errors, 2 + info (sessions
#                                   opened and closed, the database closing), 3 + every statement
#   RCS_BENCH_HEAP, RCS_BENCH_GC    default -Xmx384m, -XX:+UseSerialGC (README's command, as is MALLOC_ARENA_MAX=2)
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-30}"; RATE="${2:-300}"
OUT="bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$OUT"
PORT=18580; MPORT=19580; CRM_PORT=18590; TCP=19581
DOWNSTREAM="rcs.delivery rcs.unrouted rcs.compliance.optout rcs.compliance.optin rcs.crm.dlq rcs.dispatch.dlq"
# RCS_SOAK_NO_BUILD=1: use target/ as it is
[ -n "${RCS_SOAK_NO_BUILD:-}" ] || mvn -q -B -ntp -DskipTests package
# a CRM stand-in: 200, or 500 for one request in ten
java -Xmx128m -XX:+UseSerialGC bench/CrmStandIn.java "$CRM_PORT" 0.1 > "$OUT/crm.log" 2>&1 &
CRM=$!
DB_URL=""
if [ -n "${RCS_SOAK_H2_TRACE:-}" ]; then
  DB_URL="jdbc:h2:file:$PWD/$OUT/data/rcs;DATABASE_TO_LOWER=TRUE;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=$RCS_SOAK_H2_TRACE;TRACE_MAX_FILE_SIZE=64"
fi
RCS_DATA_DIR="$OUT/data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT RCS_ROUTES_RELOAD=false \
  RCS_CRM_URL="http://127.0.0.1:$CRM_PORT/crm" RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS=5 RCS_DB_URL="$DB_URL" \
  RCS_BROKER_EMBEDDED_TCP_ACCEPTOR="tcp://127.0.0.1:$TCP" \
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" java ${RCS_BENCH_HEAP:--Xmx384m} ${RCS_BENCH_GC:--XX:+UseSerialGC} -jar target/rcs-callback-router.jar \
  > "$OUT/router.log" 2>&1 &
ROUTER=$!
CONSUMERS=""
trap 'kill $ROUTER $CRM $CONSUMERS 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null || { echo "FAIL: the router is not ready"; tail -20 "$OUT/router.log"; exit 1; }
if [ "${RCS_SOAK_CONSUMERS:-true}" = true ]; then
  # shellcheck disable=SC2086
  java -Xmx128m -XX:+UseSerialGC -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' \
    bench/Consumers.java "tcp://127.0.0.1:$TCP" -- $DOWNSTREAM > "$OUT/consumers.log" 2>&1 &
  CONSUMERS=$!
fi
# CPU seconds (user + system) a process has used so far
cpu() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
metric() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" | awk -v n="$1" -v l="$2" 'index($0, n) == 1 && index($0, l) {s+=$2} END {printf "%d", s}'; }
( while kill -0 $ROUTER 2>/dev/null; do
    ready=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/observe/health/ready" || true)
    printf '%s rss=%sMiB threads=%s fds=%s db=%sMiB old=%s%% fgc=%s ready=%s held=%s inbound=%s refused503=%s routed=%s crm_delivered=%s crm_deferred=%s dead=%s cpu_s=router:%s,load:%s,crm:%s,consumers:%s\n' \
      "$(date -u +%H:%M:%S)" "$(awk '/VmRSS/{printf "%d", $2/1024}' /proc/$ROUTER/status)" \
      "$(awk '/^Threads/{print $2}' /proc/$ROUTER/status)" "$(ls /proc/$ROUTER/fd | wc -l)" \
      "$(du -sm "$OUT/data/rcs.mv.db" 2>/dev/null | cut -f1)" \
      "$(jstat -gcutil $ROUTER | awk 'NR==2 {print $4}')" "$(jstat -gcutil $ROUTER | awk 'NR==2 {print $9}')" \
      "$ready" "$(metric rcs_queue_depth '')" "$(metric rcs_queue_depth 'rcs.inbound')" \
      "$(metric rcs_http_responses_total 'status="503"')" \
      "$(metric rcs_routed_total '')" "$(metric rcs_crm_requests_total delivered)" \
      "$(metric rcs_crm_requests_total deferred)" "$(metric rcs_dead_letters_total '')" \
      "$(cpu $ROUTER)" "$(cpu "$(cat "$OUT/load.pid" 2>/dev/null || echo 0)")" "$(cpu $CRM)" "$(cpu "${CONSUMERS:-0}")"
    sleep 30; done ) | tee "$OUT/samples.txt" &
SAMPLER=$!
# a live-heap histogram a third of the way in
( sleep $(( MINUTES * 20 )); jmap -histo:live $ROUTER 2>/dev/null | head -40 > "$OUT/histo.txt" ) &
java -Xmx1g -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/RateLoad.java \
  "http://127.0.0.1:$PORT/callbacks/rcs" "$RATE" $(( MINUTES * 60 )) 64 "soak" > "$OUT/load.txt" &
LOAD=$!; echo $LOAD > "$OUT/load.pid"
wait $LOAD; cat "$OUT/load.txt"
ACCEPTED=$(sed -n 's/.*2xx \([0-9]*\),.*/\1/p' "$OUT/load.txt")
for _ in $(seq 1 600); do
  [ "$(metric rcs_routed_total '')" -ge "$ACCEPTED" ] && [ "$(metric rcs_queue_depth 'rcs.inbound')" = 0 ] && break; sleep 1
done
kill $SAMPLER 2>/dev/null || true
ROUTED=$(metric rcs_routed_total ''); REPEATS=$(metric rcs_dispatch_repeats_total '')
# the first and last half-hour of samples (one every 30 s), or half of the run if shorter; the first after 2 minutes
# of warm-up
n=$(wc -l < "$OUT/samples.txt"); w=$(( n / 2 < 60 ? n / 2 : 60 )); warm=$(( n >= 16 ? 4 : 0 ))
window() { if [ "$1" = first ]; then head -n $(( w + warm )) "$OUT/samples.txt" | tail -n +$(( warm + 1 )); else tail -n "$w" "$OUT/samples.txt"; fi; }
# field K of the samples (rss, threads, fds) over the first or last window: "mean max min"
stat() { window "$1" | awk -v k="$2" '{for (i = 2; i <= NF; i++) {split($i, kv, "="); if (kv[1] == k) {v = kv[2] + 0;
    s += v; c++; if (v > m) m = v; if (c == 1 || v < lo) lo = v}}} END {printf "%d %d %d", c ? s / c : 0, m, lo}'; }
{
  echo "soak: ${MINUTES} min at ${RATE}/s: accepted $ACCEPTED, routed $ROUTED (+ $REPEATS repeats), backlog $(metric rcs_queue_depth 'rcs.inbound')"
  for part in first last; do
    line="$part $w samples:"
    for k in rss threads fds; do read -r mean max min <<< "$(stat "$part" "$k")"; line="$line $k $min-$max (mean $mean)"; done
    echo "$line"
  done
  echo "readiness not 200 in $(grep -vc 'ready=200' "$OUT/samples.txt" || true) of $n samples"
  echo "database closed: $(grep -c 'has been closed\|90098-\|90121-' "$OUT/router.log" || true) log lines; ERROR lines: $(grep -c ' ERROR ' "$OUT/router.log" || true)"
} | tee "$OUT/summary.txt"
read -r RSS1 _ <<< "$(stat first rss)"; read -r RSS2 _ <<< "$(stat last rss)"
read -r _ THR1 _ <<< "$(stat first threads)"; read -r _ THR2 _ <<< "$(stat last threads)"
read -r _ FDS1 _ <<< "$(stat first fds)"; read -r _ FDS2 _ <<< "$(stat last fds)"
echo "RSS mean ${RSS1} -> ${RSS2} MiB, threads max ${THR1} -> ${THR2}, open files max ${FDS1} -> ${FDS2}" | tee -a "$OUT/summary.txt"
[ "$ROUTED" -ge "$ACCEPTED" ] || { echo "FAIL: accepted callbacks not all routed"; exit 1; }
[ "$RSS1" -gt 0 ] && [ "$RSS2" -gt 0 ] || { echo "FAIL: no RSS samples to compare ($n samples)"; exit 1; }
[ $(( RSS2 * 100 )) -le $(( RSS1 * 110 )) ] || { echo "FAIL: RSS grew more than 10% (mean ${RSS1} -> ${RSS2} MiB)"; exit 1; }
[ $(( THR2 * 100 )) -le $(( THR1 * 110 )) ] || { echo "FAIL: threads grew (max ${THR1} -> ${THR2})"; exit 1; }
[ $(( FDS2 * 100 )) -le $(( FDS1 * 110 )) ] || { echo "FAIL: open files grew (max ${FDS1} -> ${FDS2})"; exit 1; }
! grep -vq 'ready=200' "$OUT/samples.txt" || { echo "FAIL: readiness was not UP in every sample"; exit 1; }
! grep -q 'has been closed\|90098-\|90121-' "$OUT/router.log" || { echo "FAIL: the database closed"; exit 1; }
echo "soak passed ($OUT)"
