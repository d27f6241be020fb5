#!/usr/bin/env bash
# The long soak (not part of CI): the router on its embedded default under a steady offered load for MINUTES
# (default 30) at RATE callbacks/s (default 300), with a CRM on 127.0.0.1 that fails one request in ten (HTTP 500),
# so retries and the circuit breaker work all the time. Every 30 s it records RSS, the inbound backlog and the
# routed count; at the end it checks that every accepted callback was routed and the backlog drained.
# Nothing consumes rcs.delivery or the compliance queues, so the broker's held events grow all the time: with a
# low RCS_BROKER_MAX_HELD_EVENTS the soak shows what happens at the limit (503s, RSS flat).
#   bash bench/soak.sh [MINUTES] [RATE]
#   RCS_BROKER_MAX_HELD_EVENTS=150000 bash bench/soak.sh 15 300
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-30}"; RATE="${2:-300}"
OUT="bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$OUT"
PORT=18580; MPORT=19580; CRM_PORT=18590
mvn -q -B -DskipTests package
# a CRM stand-in: 200, or 500 for one request in ten
python3 - "$CRM_PORT" > "$OUT/crm.log" 2>&1 <<'PY' &
import http.server, random, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        code = 500 if random.random() < 0.1 else 200
        self.send_response(code); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
CRM=$!
RCS_DATA_DIR="$OUT/data" RCS_HTTP_PORT=$PORT RCS_MANAGEMENT_PORT=$MPORT RCS_ROUTES_RELOAD=false \
  RCS_CRM_URL="http://127.0.0.1:$CRM_PORT/crm" RCS_METRICS_QUEUE_DEPTH_INTERVAL_SECONDS=5 \
  java ${RCS_BENCH_HEAP:--Xmx384m} -jar target/rcs-callback-router.jar > "$OUT/router.log" 2>&1 &
ROUTER=$!
trap 'kill $ROUTER $CRM 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$MPORT/observe/health/ready" >/dev/null && break; sleep 1; done
metric() { curl -s "http://127.0.0.1:$MPORT/observe/metrics" | awk -v n="$1" -v l="$2" 'index($0, n) == 1 && index($0, l) {s+=$2} END {printf "%d", s}'; }
( while kill -0 $ROUTER 2>/dev/null; do
    printf '%s rss=%sMiB held=%s inbound=%s refused503=%s routed=%s crm_delivered=%s crm_deferred=%s dead=%s\n' \
      "$(date -u +%H:%M:%S)" "$(awk '/VmRSS/{printf "%d", $2/1024}' /proc/$ROUTER/status)" \
      "$(metric rcs_queue_depth '')" "$(metric rcs_queue_depth 'rcs.inbound')" \
      "$(metric rcs_http_responses_total 'status="503"')" \
      "$(metric rcs_routed_total '')" "$(metric rcs_crm_requests_total delivered)" \
      "$(metric rcs_crm_requests_total deferred)" "$(metric rcs_dead_letters_total '')"
    sleep 30; done ) | tee "$OUT/samples.txt" &
SAMPLER=$!
java -Dlogback.configurationFile=bench/logback-tool.xml -cp 'target/lib/*' bench/RateLoad.java \
  "http://127.0.0.1:$PORT/callbacks/rcs" "$RATE" $(( MINUTES * 60 )) 64 "soak" | tee "$OUT/load.txt"
ACCEPTED=$(sed -n 's/.*2xx \([0-9]*\),.*/\1/p' "$OUT/load.txt")
for _ in $(seq 1 600); do
  [ "$(metric rcs_routed_total '')" -ge "$ACCEPTED" ] && [ "$(metric rcs_queue_depth 'rcs.inbound')" = 0 ] && break; sleep 1
done
kill $SAMPLER 2>/dev/null || true
ROUTED=$(metric rcs_routed_total '')
echo "soak: ${MINUTES} min at ${RATE}/s: accepted $ACCEPTED, routed $ROUTED, backlog $(metric rcs_queue_depth 'rcs.inbound')" | tee "$OUT/summary.txt"
[ "$ROUTED" -ge "$ACCEPTED" ] || { echo "FAIL: accepted callbacks not all routed"; exit 1; }
