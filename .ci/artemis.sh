#!/usr/bin/env bash
# A standalone Apache Artemis 2.44.0 broker for the integration suite and the benchmark, from the distribution
# tarball on Maven Central (org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin).
#
#   artemis.sh start WORKDIR PORT   unpack (once), create a broker instance (once), start it, wait for PORT
#   artemis.sh stop WORKDIR         stop the broker this script started (by the PID it recorded), nothing else
#
# Only the CORE acceptor is opened, on PORT (this machine runs RabbitMQ on 5672 and Mosquitto on 1883); no web
# console. Login required: user rcs / password rcs-it-secret. Fails loudly when the broker does not come up.
set -euo pipefail
VERSION=2.44.0
cmd="${1:?start|stop}"
WORK="$(mkdir -p "${2:?workdir}" && cd "$2" && pwd)"
PORT="${3:-61716}"
HOME_DIR="$WORK/apache-artemis-$VERSION"
INSTANCE="$WORK/broker-$PORT"
PIDFILE="$WORK/artemis-$PORT.pid"

# the PIDs listening on 127.0.0.1:PORT (empty when nobody is)
port_owners() { ss -Hltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# true when PID is the broker of our instance (its command line names the instance folder)
is_our_broker() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$INSTANCE"; }

wait_port() {
  local pid; pid="$(cat "$PIDFILE")"
  for _ in $(seq 1 90); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FATAL: Artemis exited during start-up; its log:" >&2; tail -50 "$INSTANCE/log/artemis.log" >&2 || true
      tail -50 "$WORK/artemis-$PORT.out" >&2 || true; return 1
    fi
    if port_open; then
      if port_owners | grep -qx "$pid"; then return 0; fi
      echo "FATAL: port $PORT answers, but not from the broker this script started (pid $pid): owners $(port_owners | tr '\n' ' ')" >&2
      return 1
    fi
    sleep 1
  done
  echo "FATAL: Artemis did not open port $PORT within 90 s" >&2; return 1
}

case "$cmd" in
  start)
    if [ -f "$PIDFILE" ] && is_our_broker "$(cat "$PIDFILE")"; then
      if port_owners | grep -qx "$(cat "$PIDFILE")"; then
        echo "Artemis already running (pid $(cat "$PIDFILE")) on port $PORT"; exit 0
      fi
      echo "FATAL: our broker (pid $(cat "$PIDFILE")) runs but does not listen on $PORT" >&2; exit 1
    fi
    rm -f "$PIDFILE"
    # a port held by anything else (a stale broker of another folder, another service) would make the suite run
    # against the wrong broker: refuse
    if port_open || [ -n "$(port_owners)" ]; then
      echo "FATAL: port $PORT is already taken (pids: $(port_owners | tr '\n' ' ')); stop that process or set RCS_IT_ARTEMIS_PORT" >&2
      ss -Hltnp "sport = :$PORT" >&2 || true
      exit 1
    fi
    if [ ! -x "$HOME_DIR/bin/artemis" ]; then
      echo "Fetching apache-artemis-$VERSION-bin.tar.gz from Maven Central"
      mvn -B -q -ntp dependency:copy -Dartifact="org.apache.activemq:apache-artemis:$VERSION:tar.gz:bin" \
        -DoutputDirectory="$WORK" -Dmdep.overWriteIfNewer=true
      tar -xzf "$WORK/apache-artemis-$VERSION-bin.tar.gz" -C "$WORK"
    fi
    if [ ! -d "$INSTANCE" ]; then
      "$HOME_DIR/bin/artemis" create "$INSTANCE" --silent --force \
        --user rcs --password rcs-it-secret --require-login \
        --host 127.0.0.1 --default-port "$PORT" --http-host 127.0.0.1 --no-web \
        --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
        --no-autotune --java-memory 512M > "$WORK/artemis-create-$PORT.log"
    fi
    nohup "$INSTANCE/bin/artemis" run > "$WORK/artemis-$PORT.out" 2>&1 &
    echo $! > "$PIDFILE"
    wait_port
    echo "Artemis $VERSION ready on tcp://127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
    ;;
  stop)
    for f in "$WORK"/artemis-*.pid; do
      [ -f "$f" ] || continue
      pid="$(cat "$f")"
      # only a broker of this work folder: a PID file can outlive its process, and the PID be reused
      if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$WORK/broker-"; then
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "Artemis (pid $pid) stopped"
      fi
      rm -f "$f"
    done
    ;;
  *) echo "usage: artemis.sh start|stop WORKDIR [PORT]" >&2; exit 2 ;;
esac
