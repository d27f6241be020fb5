#!/usr/bin/env bash
# Runs the project's routes with Camel JBang, the way docs/camel-run.md documents it, and checks that a callback is
# routed: builds and installs the router's jar, installs the `camel` launcher (Camel JBang's command line from Maven
# Central, .ci/camel-jbang/), starts `camel run` on free 127.0.0.1 ports with a fresh data folder, posts the STOP
# sample, waits for it to be routed OPT_OUT (metrics and the audit row), and stops it by its PID. Fails loudly, with
# the log's tail, never skips.
#
#   camel-run.sh            the whole check
#   camel-run.sh install    build, install the jar and the launcher only; prints the launcher's path
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/.ci/work/camel-jbang"
CAMEL="$WORK/bin/camel"
started=$(date +%s)

fail() {
  echo "FAIL: camel-run: $*" >&2
  if [ -n "${LOG:-}" ] && [ -f "$LOG" ]; then
    echo "---- last 60 lines of $LOG" >&2
    tail -n 60 "$LOG" >&2
    echo "----" >&2
  fi
  exit 1
}

echo "== camel-run: mvn install (the jar camel run names with --dep)"
mvn -q -B -ntp -DskipTests install || fail "mvn install failed"

echo "== camel-run: the camel launcher (camel-jbang-core from Maven Central, .ci/camel-jbang/pom.xml)"
mkdir -p "$WORK/bin" "$WORK/classes"
(cd .ci/camel-jbang && mvn -q -B -ntp dependency:build-classpath -Dmdep.includeTypes=jar \
  -Dmdep.outputFile="$WORK/classpath") || fail "could not resolve Camel JBang from .ci/camel-jbang/pom.xml"
javac -d "$WORK/classes" -cp "$(cat "$WORK/classpath")" .ci/camel-jbang/CamelJBang.java \
  || fail "could not compile .ci/camel-jbang/CamelJBang.java"
cat > "$CAMEL" <<EOF
#!/usr/bin/env bash
# Camel JBang's command line without JBang (written by .ci/camel-run.sh; see docs/camel-run.md)
exec java \${JAVA_OPTS:-} -cp "$WORK/classes:\$(cat "$WORK/classpath")" CamelJBang "\$@"
EOF
chmod +x "$CAMEL"
if [ "${1:-}" = install ]; then
  echo "$CAMEL"
  exit 0
fi

# a free port on 127.0.0.1: nothing answers on it
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  fail "no free port found"
}
HTTP_PORT=$(free_port)
MGMT_PORT=$(free_port)
[ "$HTTP_PORT" != "$MGMT_PORT" ] || MGMT_PORT=$(free_port)
DATA=$(mktemp -d /tmp/rcs-camel-run.XXXXXX)
LOG="$DATA/camel-run.log"
TOKEN="camel-run-$RANDOM$RANDOM"
PID=

stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$PID" 2>/dev/null; then
      echo "camel-run: $PID did not stop within 20 s of SIGTERM; SIGKILL" >&2
      kill -KILL "$PID" 2>/dev/null || true
    fi
  fi
}
trap stop EXIT

echo "== camel-run: camel run on 127.0.0.1:$HTTP_PORT (callbacks) and :$MGMT_PORT (management), data in $DATA"
# The command of docs/camel-run.md, as it is written there (CamelRunCommandTest keeps the two the same)
RCS_HTTP_PORT=$HTTP_PORT RCS_MANAGEMENT_PORT=$MGMT_PORT RCS_DATA_DIR=$DATA RCS_ADMIN_TOKEN=$TOKEN \
"$CAMEL" run --camel-version=4.18.0 --kamelets-version=4.18.0 --source-dir=routes \
  --properties=src/main/resources/application.properties \
  --dep=io.rcsrouter:rcs-callback-router:0.1.0-SNAPSHOT \
  --property=camel.main.configuration-classes=io.rcsrouter.infra.InfraConfiguration,io.rcsrouter.infra.EngineConfiguration,io.rcsrouter.infra.JolokiaAccessCheck \
  > "$LOG" 2>&1 &
PID=$!

echo "== camel-run: waiting for readiness (pid $PID)"
deadline=$(( $(date +%s) + 150 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MGMT_PORT/observe/health/ready")" = 200 ]; do
  kill -0 "$PID" 2>/dev/null || { wait "$PID" && rc=0 || rc=$?; PID=; fail "camel run exited ($rc) before it was ready"; }
  [ "$(date +%s)" -lt "$deadline" ] || fail "not ready within 150 s"
  sleep 2
done
echo "   ready after $(( $(date +%s) - started )) s (build included)"
grep -q 'Apache Camel (JBang) 4.18.0' "$LOG" || fail "the log does not say Apache Camel (JBang) 4.18.0 started"

SAMPLE=samples/mo/02-unsubscribe-followed-by-stop.json
MESSAGE_ID=79d81bcb-1747-4c5f-bb18-a32XXXXXXXX2
grep -q "\"$MESSAGE_ID\"" "$SAMPLE" || fail "$SAMPLE does not carry messageId $MESSAGE_ID"
echo "== camel-run: POST $SAMPLE (a STOP user message)"
answer=$(curl -s -w ' %{http_code}' -X POST "http://127.0.0.1:$HTTP_PORT/callbacks/rcs" \
  -H 'Content-Type: application/json' --data @"$SAMPLE")
echo "   $answer"
[ "$answer" = '{"status":"accepted"} 200' ] || fail "the callback was answered '$answer', not {\"status\":\"accepted\"} 200"

echo "== camel-run: waiting for it to be routed OPT_OUT"
deadline=$(( $(date +%s) + 30 ))
while :; do
  routed=$(curl -s "http://127.0.0.1:$MGMT_PORT/observe/metrics" \
    | awk '/^rcs_routed_total\{route="OPT_OUT"\}/ {print $2}')
  audit=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/admin/audit?messageId=$MESSAGE_ID")
  if [ -n "$routed" ] && awk -v v="$routed" 'BEGIN {exit !(v >= 1)}' \
     && grep -q '"route":"OPT_OUT","status":"ROUTED"' <<<"$audit"; then
    break
  fi
  [ "$(date +%s)" -lt "$deadline" ] \
    || fail "not routed within 30 s: rcs_routed_total{route=\"OPT_OUT\"}='$routed', audit: $audit"
  sleep 1
done
echo "   rcs_routed_total{route=\"OPT_OUT\"} $routed; audit row: route OPT_OUT, status ROUTED"

echo "== camel-run: stopping pid $PID (SIGTERM)"
kill -TERM "$PID"
wait "$PID" && rc=0 || rc=$?
PID=
# 143: the JVM ended by SIGTERM after its shutdown hooks ran, as java -jar does
[ "$rc" = 0 ] || [ "$rc" = 143 ] || fail "camel run exited $rc on SIGTERM"
grep -q 'Apache Camel (JBang) 4.18.0 shutdown' "$LOG" || fail "no clean Camel shutdown in the log"
rm -rf "$DATA"
echo "== camel-run passed in $(( $(date +%s) - started )) s"
