#!/usr/bin/env bash
# Memory with a large backlog (the CRM down for a long time): starts the router on its embedded default with a
# dead CRM, puts N persistent CRM requests (default 1,000,000) on rcs.crm.outbound, and samples the router's
# RSS (ps) while the backlog grows and stands. Artemis pages to disk past its memory limits; the heap is capped.
#   bash bench/backlog-rss.sh [N]          (several minutes; not part of CI)
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
  RCS_BROKER_EMBEDDED_TCP_ACCEPTOR=tcp://127.0.0.1:$BROKER \
  java $HEAP -XX:+UseSerialGC -jar target/rcs-callback-router.jar > "$OUT/router.log" 2>&1 &
ROUTER=$!
trap 'kill $ROUTER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null || { echo "router not ready"; tail -20 "$OUT/router.log"; exit 1; }
rss() { ps -o rss= -p $ROUTER | tr -d ' '; }
echo "router pid $ROUTER, heap $HEAP, RSS at start: $(( $(rss) / 1024 )) MiB"
( while kill -0 $ROUTER 2>/dev/null; do echo "$(date +%s) $(rss)" >> "$OUT/rss.txt"; sleep 2; done ) &
SAMPLER=$!
# a few real callbacks first, so the circuit to the dead CRM is open and the forwarder paused
for i in $(seq 1 10); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/callbacks/rcs" -H 'Content-Type: application/json' \
    --data "{\"type\":\"USER_MESSAGE\",\"eventId\":\"warm-$i\",\"from\":\"19785550000\",\"to\":\"kio_rcs\",\"messageId\":\"w$i\",\"userMessage\":{\"type\":\"TEXT\",\"text\":\"hi\"}}"
done
sleep 5
java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/QueueFiller.java crm "tcp://127.0.0.1:$BROKER" "" "" rcs.crm.outbound "$N" backlog | tee "$OUT/filler.txt"
echo "backlog in place; standing 30 s"
sleep 30
kill $SAMPLER 2>/dev/null || true
PEAK=$(sort -k2 -n "$OUT/rss.txt" | tail -1 | awk '{print $2}')
LAST=$(tail -1 "$OUT/rss.txt" | awk '{print $2}')
DISK=$(du -sm "$OUT/data/artemis" | cut -f1)
echo "backlog: $N CRM requests on rcs.crm.outbound; router RSS peak $(( PEAK / 1024 )) MiB, at rest $(( LAST / 1024 )) MiB; broker data on disk $DISK MiB" | tee "$OUT/summary.txt"
kill $ROUTER; wait $ROUTER 2>/dev/null || true
