#!/usr/bin/env bash
# Memory with a large backlog (the CRM down for a long time), built the way it builds in production: the router
# runs on its embedded default (README's command, -Xmx384m) with a dead CRM; N user replies (default 1,000,000)
# are put on rcs.inbound, and dispatch routes every one of them (audit row, then a transactional send to
# rcs.crm.outbound, where they wait for the CRM). RSS and the queue depths are sampled every 10 s until dispatch
# has moved the whole backlog; then the live heap is read after a full GC, and one more callback is offered, to
# see what ingress answers with N events held (503 once RCS_BROKER_MAX_HELD_EVENTS is reached).
#   bash bench/backlog-rss.sh [N]          (about 30 min for 1,000,000 on 2 cores; not part of CI)
#   RCS_BENCH_HEAP=-Xmx512m RCS_BROKER_MAX_HELD_EVENTS=2000000 bash bench/backlog-rss.sh 1500000
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
OUT=bench/out/backlog
HEAP="${RCS_BENCH_HEAP:--Xmx384m}"
rm -rf "$OUT" && mkdir -p "$OUT"
mvn -q -B -DskipTests package
PORT=18181; MPORT=19191; BROKER=61626
RCS_DATA_DIR="$OUT/data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT \
  RCS_CRM_URL=http://127.0.0.1:9/dead-crm RCS_CRM_MAX_RETRIES=0 RCS_ROUTES_RELOAD=false \
  RCS_BROKER_EMBEDDED_TCP_ACCEPTOR=tcp://127.0.0.1:$BROKER RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS=5 \
  java $HEAP -jar target/rcs-callback-router.jar > "$OUT/router.log" 2>&1 &
ROUTER=$!
trap 'kill $ROUTER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null || { echo "router not ready"; tail -20 "$OUT/router.log"; exit 1; }
rss() { awk '/VmRSS/{printf "%d", $2/1024}' /proc/$ROUTER/status; }
depth() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" \
  | awk -v q="queue=\"$1\"" 'index($0, "rcs_queue_depth{") == 1 && index($0, q) {printf "%d", $2}'; }
post() { curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/callbacks/rcs" \
  -H 'Content-Type: application/json' --data "{\"code\":\"2007\",\"data\":{\"type\":\"USER_MESSAGE\",\"eventId\":\"$1\",
  \"from\":\"19785550000\",\"to\":\"kio_rcs\",\"messageId\":\"m-$1\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"hi\"}}}"; }
START_RSS=$(rss)
echo "router pid $ROUTER, heap $HEAP, RSS at start: $START_RSS MiB"
# a few real callbacks first, so that the circuit to the dead CRM is open and the forwarder paused
for i in $(seq 1 10); do post "warm-$i" >/dev/null; done
sleep 5
( while kill -0 $ROUTER 2>/dev/null; do
    echo "$(date -u +%H:%M:%S) rss=$(rss) inbound=$(depth rcs.inbound) crm=$(depth rcs.crm.outbound)"; sleep 10
  done ) > "$OUT/samples.txt" &
SAMPLER=$!
java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/QueueFiller.java replies \
  "tcp://127.0.0.1:$BROKER" "" "" rcs.inbound "$N" backlog | tee "$OUT/filler.txt"
echo "$N replies on rcs.inbound; waiting for dispatch to move them to rcs.crm.outbound"
# the heap in use right after a full GC, in MiB: survivors, eden and old generation as jstat reads them (any collector;
# GC.heap_info's first "used" is the young generation's under SerialGC)
live_heap() { jcmd $ROUTER GC.run >/dev/null 2>&1; jstat -gc $ROUTER 2>/dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i}
  NR == 2 {printf "%d", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024}'; }
echo "held=0 inbound=$(depth rcs.inbound) live_heap_mib=$(live_heap) rss_mib=$(rss)" | tee "$OUT/checkpoints.txt"
T0=$(date +%s); NEXT=100000
until [ "$(depth rcs.inbound)" = 0 ] && [ "$(depth rcs.crm.outbound)" -ge "$N" ]; do
  kill -0 $ROUTER 2>/dev/null || { echo "FAIL: the router died"; tail -30 "$OUT/router.log"; exit 1; }
  [ $(( $(date +%s) - T0 )) -lt 7200 ] || { echo "FAIL: dispatch did not finish in 2 h"; exit 1; }
  # every 100,000 events moved: the live heap, to see what each held event costs
  HELD=$(depth rcs.crm.outbound)
  if [ "${HELD:-0}" -ge "$NEXT" ]; then
    echo "held=$HELD inbound=$(depth rcs.inbound) live_heap_mib=$(live_heap) rss_mib=$(rss)" | tee -a "$OUT/checkpoints.txt"; NEXT=$(( NEXT + 100000 ))
  fi
  sleep 10
done
DRAIN=$(( $(date +%s) - T0 ))
echo "dispatched in $DRAIN s; standing 30 s"
sleep 30
kill $SAMPLER 2>/dev/null || true
jcmd $ROUTER GC.class_histogram 2>/dev/null | head -25 > "$OUT/histogram.txt" || true
LIVE=$(live_heap)
echo "held=$(depth rcs.crm.outbound) live_heap_mib=$LIVE rss_mib=$(rss) (at rest)" | tee -a "$OUT/checkpoints.txt"
PEAK=$(sed 's/.*rss=\([0-9]*\).*/\1/' "$OUT/samples.txt" | sort -n | tail -1)
LAST=$(rss)
ANSWER=$(post "after-backlog")
DISK=$(du -sm "$OUT/data" | cut -f1)
echo "backlog: $N replies dispatched to rcs.crm.outbound (CRM down) in $DRAIN s; heap $HEAP; RSS at start $START_RSS MiB," \
  "peak $PEAK MiB, at rest $LAST MiB (x$(awk -v a="$LAST" -v b="$START_RSS" 'BEGIN {printf "%.2f", a / b}') of start);" \
  "heap in use after a full GC ~$LIVE MiB; data on disk $DISK MiB; one more callback answered $ANSWER" | tee "$OUT/summary.txt"
if grep -q 'OutOfMemoryError' "$OUT/router.log"; then echo "FAIL: OutOfMemoryError in the router log"; exit 1; fi
kill $ROUTER; wait $ROUTER 2>/dev/null || true
