#!/usr/bin/env bash
# CI: the container, proven (issue 12). Builds the project's image from its own Dockerfile with podman, runs it and
# checks it; brings up docker-compose.yml with podman-compose and checks it end to end; validates k8s/ against the
# Kubernetes API schema. Fails loudly, never skips. docs/containers.md explains each part.
#
#   bash .ci/containers.sh
#
# Base images: the Dockerfile's defaults (maven:3.9-eclipse-temurin-17, eclipse-temurin:17-jre) and the compose
# file's third-party images when Docker Hub answers; otherwise local ones made here from Debian's packages
# (debootstrap, then a JRE and a build image) and local stand-ins for Artemis, PostgreSQL and WireMock, built once
# and reused while present.
#
# It removes only what it made: containers, volumes and networks named rcs-ci-* (and the compose project
# rcs-ci-compose), on exit too; the images stay as the cache of the next run (dangling ones labelled
# io.rcsrouter.ci=containers are pruned). Ports: 127.0.0.1 only, CI_CONTAINERS_PORT (47080) and the three after it,
# and CI_CONTAINERS_PORT+100 and the one after it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
HERE="$ROOT/.ci/containers"
WORK="$ROOT/.ci/work/containers"
mkdir -p "$WORK"
T_START=$(date +%s)

LABEL_KEY=io.rcsrouter.ci
LABEL="$LABEL_KEY=containers"
PORT="${CI_CONTAINERS_PORT:-47080}"
HTTP_PORT=$PORT
MGMT_PORT=$((PORT + 1))
COMPOSE_HTTP_PORT=$((PORT + 100))
COMPOSE_MGMT_PORT=$((PORT + 101))
NET=rcs-ci-net
VOL=rcs-ci-data
ROUTER=rcs-ci-router
CRM=rcs-ci-crm
PROJECT=rcs-ci-compose
SECRET=ci-container-secret

OFFICIAL_BUILD=docker.io/library/maven:3.9-eclipse-temurin-17
OFFICIAL_RUNTIME=docker.io/library/eclipse-temurin:17-jre
OFFICIAL_ARTEMIS=docker.io/apache/activemq-artemis:2.44.0
OFFICIAL_POSTGRES=docker.io/library/postgres:16
OFFICIAL_WIREMOCK=docker.io/wiremock/wiremock:3.13.2
LOCAL_DEBIAN=localhost/rcs-base/debian:bookworm
LOCAL_RUNTIME=localhost/rcs-base/jre:17
LOCAL_BUILD=localhost/rcs-base/maven:17
ARTEMIS_VERSION=2.44.0
WIREMOCK_VERSION=3.13.2
IMAGE=localhost/rcs-callback-router:ci
DEBIAN_MIRROR="${CI_CONTAINERS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# the local Maven repository of the host's Maven steps: shared with the image's build stage and the checks here
M2_REPO="${CI_CONTAINERS_M2_REPO:-$HOME/.m2/repository}"
mvn_host() { mvn -B -q -ntp -Dmaven.repo.local="$M2_REPO" "$@"; }

# --- reporting ---------------------------------------------------------------------------------------------------
PASSED=0
TIMES=()
phase_start=0
phase() { phase_start=$(date +%s); echo "== containers: $*"; }
phase_end() { TIMES+=("$(printf '%-34s %4d s' "$1" $(( $(date +%s) - phase_start )))"); }
ok() { PASSED=$((PASSED + 1)); echo "  ok: $*"; }
fail() {
  echo "FATAL: $*" >&2
  echo "containers: $PASSED passed, 1 failed"
  exit 1
}
note() { echo "  $*"; }

# --- cleanup: only what this script made --------------------------------------------------------------------------
COMPOSE_UP=0
cleanup() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ]; then
    for c in $ROUTER $CRM $(podman ps -a --format '{{.Names}}' --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null); do
      podman container exists "$c" 2>/dev/null || continue
      echo "---- last log lines of $c" >&2
      podman logs --tail 40 "$c" >&2 2>&1
    done
  fi
  if [ "${CI_CONTAINERS_KEEP:-}" = 1 ]; then
    echo "CI_CONTAINERS_KEEP=1: leaving $ROUTER, $CRM, $VOL, $NET and the compose project $PROJECT in place" >&2
    exit "$rc"
  fi
  if [ "$COMPOSE_UP" = 1 ]; then compose down -v >/dev/null 2>&1; fi
  remove_own
  exit "$rc"
}
remove_own() {
  local c v
  for c in $ROUTER $CRM $(podman ps -a --format '{{.Names}}' --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null); do
    podman rm -f -t 5 --ignore "$c" >/dev/null 2>&1
  done
  for v in $VOL $(podman volume ls -q --filter "label=io.podman.compose.project=$PROJECT" 2>/dev/null); do
    podman volume exists "$v" 2>/dev/null && podman volume rm -f "$v" >/dev/null 2>&1
  done
  for n in $NET "${PROJECT}_default"; do
    podman network exists "$n" 2>/dev/null && podman network rm -f "$n" >/dev/null 2>&1
  done
  return 0
}

# --- helpers ------------------------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# wait_ready PORT SECONDS: poll /observe/health/ready on 127.0.0.1:PORT until 200
wait_ready() {
  local deadline=$(( $(date +%s) + $2 )) code
  while [ "$(date +%s)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/observe/health/ready" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.25
  done
  return 1
}

# post PORT FILE [SECRET]: POST a sample, print "<status> <body>"
post() {
  local args=(-s --max-time 10 -o "$WORK/body" -w '%{http_code}' -X POST "http://127.0.0.1:$1/callbacks/rcs"
    -H 'Content-Type: application/json' --data @"$ROOT/samples/$2")
  [ -n "${3:-}" ] && args+=(-H "X-Kaleyra-Secret: $3")
  local code
  code=$(curl "${args[@]}" || true)
  echo "$code $(cat "$WORK/body" 2>/dev/null)"
}

# crm_requests CONTAINER CRM_HOST: the CRM stand-in's request journal (WireMock admin API), read from inside the
# router's container (its image has curl); prints one line per POST /crm/rcs-events: Idempotency-Key Authorization
crm_requests() {
  podman exec "$1" curl -s --max-time 5 "http://$2:8080/__admin/requests" 2>/dev/null | python3 -c '
import json, sys
try:
    journal = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for r in journal.get("requests", []):
    q = r["request"]
    if q.get("method") == "POST" and q.get("url") == "/crm/rcs-events":
        h = {k.lower(): v for k, v in q.get("headers", {}).items()}
        print(h.get("idempotency-key", "-"), h.get("authorization", "-"))
' || true
}

# until_true SECONDS COMMAND...: retry a command once a second
until_true() {
  local deadline=$(( $(date +%s) + $1 )); shift
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ==================================================================================================================
phase "tools: podman, runc, podman-compose, debootstrap"
missing=()
# netavark and aardvark-dns: the network backend with DNS between containers (compose service names); they and
# iptables are only recommended by podman, and recommends are not installed here
for p in podman runc netavark aardvark-dns iptables podman-compose debootstrap curl python3 ca-certificates; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  note "installing ${missing[*]} (apt-get)"
  apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > "$WORK/apt.log" 2>&1 \
    || { tail -20 "$WORK/apt.log" >&2; fail "apt-get install ${missing[*]} failed"; }
fi
# podman's default runtime (crun) fails on this machine's hybrid cgroups; runc with cgroupfs works. Containers start
# only with rlimits at or below the machine's hard limits.
hard_nofile=$(ulimit -Hn); hard_nproc=$(ulimit -Hu)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
[ "$hard_nproc" = unlimited ] && hard_nproc=32768
nofile=$(( hard_nofile < 65536 ? hard_nofile : 65536 ))
nproc=$(( hard_nproc < 32768 ? hard_nproc : 32768 ))
cat > "$WORK/containers.conf" <<EOF
# written by .ci/containers.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
podman info --format '{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}} {{.Host.NetworkBackend}}' > "$WORK/podman-info" \
  || fail "podman does not work here (podman info failed)"
podman-compose version > "$WORK/podman-compose-version" 2>&1 || fail "podman-compose does not work here"
PC_VERSION=$(awk '/podman-compose/ { print $NF; exit }' "$WORK/podman-compose-version")
note "$(podman --version), podman-compose $PC_VERSION, runtime/storage/network: $(cat "$WORK/podman-info")"
for p in "$HTTP_PORT" "$MGMT_PORT" "$COMPOSE_HTTP_PORT" "$COMPOSE_MGMT_PORT"; do
  port_free "$p" || fail "127.0.0.1:$p is taken; set CI_CONTAINERS_PORT to a free range"
done
trap cleanup EXIT
remove_own   # leftovers of an interrupted run of this script (same names), nothing else
phase_end "tools"

# ==================================================================================================================
phase "base images"
# One probe: if Docker Hub answers, the official images are used as they are; otherwise local ones.
if podman image exists "$OFFICIAL_RUNTIME" || timeout 90 podman pull -q "$OFFICIAL_RUNTIME" > "$WORK/pull.log" 2>&1; then
  HUB=1
  note "Docker Hub answers: official images"
  for i in "$OFFICIAL_BUILD" "$OFFICIAL_ARTEMIS" "$OFFICIAL_POSTGRES" "$OFFICIAL_WIREMOCK"; do
    podman image exists "$i" || timeout 300 podman pull -q "$i" > /dev/null || fail "could not pull $i"
  done
  BUILD_IMAGE=$OFFICIAL_BUILD; RUNTIME_IMAGE=$OFFICIAL_RUNTIME
else
  HUB=0
  note "Docker Hub cannot be reached: local base images ($(tail -1 "$WORK/pull.log"))"
  if podman image exists "$LOCAL_DEBIAN"; then
    note "reusing $LOCAL_DEBIAN"
  else
    note "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase bookworm "$WORK/rootfs" "$DEBIAN_MIRROR" > "$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap failed"; }
    suite_base="${DEBIAN_MIRROR%/debian}"
    cat > "$WORK/rootfs/etc/apt/sources.list" <<EOF
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb ${suite_base}/debian-security bookworm-security main
EOF
    rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
    tar -C "$WORK/rootfs" -c . | podman import -q --change 'CMD ["/bin/bash"]' --change "LABEL $LABEL" - "$LOCAL_DEBIAN" > /dev/null \
      || fail "podman import of the root filesystem failed"
    rm -rf "$WORK/rootfs"
  fi
  # the host's own CA certificates (this machine reaches Maven Central through them)
  rm -rf "$WORK/ctx-jre"; mkdir -p "$WORK/ctx-jre/ca"
  if [ -d /usr/local/share/ca-certificates ]; then cp -r /usr/local/share/ca-certificates/. "$WORK/ctx-jre/ca/"; fi
  note "$(find "$WORK/ctx-jre/ca" -name '*.crt' | wc -l) CA certificate(s) of this machine go into $LOCAL_RUNTIME"
  # cached layers make these quick when nothing changed
  podman build --format docker -q --label "$LABEL" --build-arg "BASE=$LOCAL_DEBIAN" -t "$LOCAL_RUNTIME" \
    -f "$HERE/base/jre.Containerfile" "$WORK/ctx-jre" > "$WORK/build-jre.log" 2>&1 \
    || { tail -20 "$WORK/build-jre.log" >&2; fail "building $LOCAL_RUNTIME failed"; }
  podman build --format docker -q --label "$LABEL" --build-arg "BASE=$LOCAL_RUNTIME" -t "$LOCAL_BUILD" \
    -f "$HERE/base/build.Containerfile" "$HERE/base" > "$WORK/build-maven.log" 2>&1 \
    || { tail -20 "$WORK/build-maven.log" >&2; fail "building $LOCAL_BUILD failed"; }
  BUILD_IMAGE=$LOCAL_BUILD; RUNTIME_IMAGE=$LOCAL_RUNTIME
fi
ok "base images: build $BUILD_IMAGE, runtime $RUNTIME_IMAGE"
phase_end "base images"

# ==================================================================================================================
phase "stand-ins for the compose services"
if [ "$HUB" = 1 ]; then
  ARTEMIS_IMAGE=$OFFICIAL_ARTEMIS; POSTGRES_IMAGE=$OFFICIAL_POSTGRES; WIREMOCK_IMAGE=$OFFICIAL_WIREMOCK
else
  ARTEMIS_IMAGE=localhost/rcs-standin/artemis:$ARTEMIS_VERSION
  POSTGRES_IMAGE=localhost/rcs-standin/postgres:15
  WIREMOCK_IMAGE=localhost/rcs-standin/wiremock:$WIREMOCK_VERSION
  mkdir -p "$WORK/dl"
  fetch() {  # fetch GAV FILE: one artifact from Maven Central (or the local repository) into $WORK/dl
    [ -s "$WORK/dl/$2" ] && return 0
    mvn_host dependency:copy -Dartifact="$1" -DoutputDirectory="$WORK/dl" > "$WORK/dl.log" 2>&1 \
      || { tail -20 "$WORK/dl.log" >&2; fail "could not fetch $1 from Maven Central"; }
  }
  fetch "org.apache.activemq:apache-artemis:$ARTEMIS_VERSION:tar.gz:bin" "apache-artemis-$ARTEMIS_VERSION-bin.tar.gz"
  fetch "org.wiremock:wiremock-standalone:$WIREMOCK_VERSION" "wiremock-standalone-$WIREMOCK_VERSION.jar"
  standin() {  # standin NAME IMAGE BASE [FILE TARGET]
    local ctx="$WORK/ctx-$1"
    rm -rf "$ctx"; mkdir -p "$ctx"; cp -r "$HERE/$1/." "$ctx/"
    [ -n "${4:-}" ] && ln -f "$WORK/dl/$4" "$ctx/$5"
    podman build --format docker -q --label "$LABEL" --build-arg "BASE=$3" -t "$2" "$ctx" > "$WORK/build-$1.log" 2>&1 \
      || { tail -20 "$WORK/build-$1.log" >&2; fail "building the $1 stand-in failed"; }
  }
  standin artemis "$ARTEMIS_IMAGE" "$LOCAL_RUNTIME" "apache-artemis-$ARTEMIS_VERSION-bin.tar.gz" apache-artemis-bin.tar.gz
  standin postgres "$POSTGRES_IMAGE" "$LOCAL_DEBIAN"
  standin wiremock "$WIREMOCK_IMAGE" "$LOCAL_RUNTIME" "wiremock-standalone-$WIREMOCK_VERSION.jar" wiremock-standalone.jar
fi
ok "compose images: $ARTEMIS_IMAGE, $POSTGRES_IMAGE, $WIREMOCK_IMAGE"
phase_end "stand-ins"

# ==================================================================================================================
phase "the project's image (podman build --format docker, the project's Dockerfile)"
# --format docker keeps the HEALTHCHECK (the OCI format drops it). The host's Maven repository is mounted into the
# build (RUN steps only; nothing of it lands in a layer), so the build stage downloads only what .ci/run's Maven
# steps have not already fetched. The build stage is tagged too, so that its cache is not pruned as dangling.
t=$(now_ms)
build_args=(--format docker --label "$LABEL" --build-arg "BUILD_IMAGE=$BUILD_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE"
  -v "$M2_REPO:/root/.m2/repository" -f "$ROOT/Dockerfile")
mkdir -p "$M2_REPO"
[ -f "$HOME/.m2/settings.xml" ] && build_args+=(-v "$HOME/.m2/settings.xml:/root/.m2/settings.xml:ro")
podman build "${build_args[@]}" --target build -t "$IMAGE-build" "$ROOT" > "$WORK/build-image.log" 2>&1 \
  && podman build "${build_args[@]}" -t "$IMAGE" "$ROOT" >> "$WORK/build-image.log" 2>&1 \
  || { tail -30 "$WORK/build-image.log" >&2; fail "podman build of the project's Dockerfile failed"; }
BUILD_SECONDS=$(secs_since "$t")
IMAGE_BYTES=$(podman image inspect --format '{{.Size}}' "$IMAGE")
BASE_BYTES=$(podman image inspect --format '{{.Size}}' "$RUNTIME_IMAGE")
IMAGE_MB=$(( IMAGE_BYTES / 1000000 )); APP_MB=$(( (IMAGE_BYTES - BASE_BYTES) / 1000000 ))
ok "built $IMAGE in $BUILD_SECONDS s: $IMAGE_MB MB ($APP_MB MB on top of $RUNTIME_IMAGE)"
healthcheck=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
case "$healthcheck" in
  *observe/health/ready*) ok "the image keeps its HEALTHCHECK ($healthcheck)" ;;
  *) fail "the image has no HEALTHCHECK (built without --format docker?): $healthcheck" ;;
esac
[ "$(podman image inspect --format '{{.Config.User}}' "$IMAGE")" = rcs ] || fail "the image's USER is not rcs"
podman image prune -f --filter "label=$LABEL" > /dev/null 2>&1 || true   # earlier builds of ours, now untagged
phase_end "project image"

# ==================================================================================================================
phase "the container: embedded default, auth, healthcheck, non-root, data volume, restart"
podman network create --label "$LABEL" "$NET" > /dev/null
podman volume create --label "$LABEL" "$VOL" > /dev/null
# The CRM is not there yet: its name does not resolve, so the request for the reply waits on rcs.crm.outbound in
# the broker journal (the CRM circuit opens at the first failure and puts it back, instead of dead-lettering it).
run_router() {
  podman run -d --name "$ROUTER" --label "$LABEL" --network "$NET" \
    -p "127.0.0.1:$HTTP_PORT:8080" -p "127.0.0.1:$MGMT_PORT:9876" -v "$VOL:/app/data" \
    -e RCS_AUTH_MODE=header -e RCS_AUTH_HEADER_NAME=X-Kaleyra-Secret -e RCS_AUTH_HEADER_VALUE="$SECRET" \
    -e RCS_CRM_URL="http://$CRM:8080/crm/rcs-events" -e RCS_CRM_MAX_RETRIES=0 \
    -e RCS_CRM_CIRCUIT_MINIMUM_CALLS=1 -e RCS_CRM_CIRCUIT_OPEN_SECONDS=2 \
    "$IMAGE" > /dev/null 2> "$WORK/run-router.err" || { cat "$WORK/run-router.err" >&2; fail "podman run failed"; }
}
t=$(now_ms)
run_router
wait_ready "$MGMT_PORT" 120 || fail "readiness did not answer 200 within 120 s of podman run"
READY_SECONDS=$(secs_since "$t")
ok "readiness 200 on 127.0.0.1:$MGMT_PORT/observe/health/ready, $READY_SECONDS s after podman run"

health_ok() { podman healthcheck run "$ROUTER" > /dev/null 2>&1; }
until_true 10 health_ok || fail "podman healthcheck run $ROUTER: not healthy"
ok "the image's HEALTHCHECK passes (podman healthcheck run: $(podman inspect --format '{{.State.Health.Status}}' "$ROUTER"))"

uid=$(podman exec "$ROUTER" id -u); user=$(podman exec "$ROUTER" id -un)
[ "$uid" != 0 ] && [ "$uid" = 10001 ] || fail "the router runs as uid $uid, not the image's rcs (10001)"
java_uid=$(podman top "$ROUTER" huser,args 2>/dev/null | awk '/java/ { print $1; exit }')
ok "runs as a non-root user: $user, uid $uid (java's host uid in podman top: ${java_uid:-?})"

read -r code body <<< "$(post "$HTTP_PORT" mo/05-reply.json wrong-secret)"
[ "$code" = 401 ] || fail "a wrong secret was answered $code $body, not 401"
read -r code body <<< "$(post "$HTTP_PORT" mo/05-reply.json)"
[ "$code" = 401 ] || fail "no secret was answered $code $body, not 401"
ok "a wrong secret and no secret: 401"
read -r code body <<< "$(post "$HTTP_PORT" mo/05-reply.json "$SECRET")"
[ "$code" = 200 ] && [ "$body" = '{"status":"accepted"}' ] || fail "mo/05-reply.json was answered $code $body"
ok "mo/05-reply.json accepted: 200 $body"

deferred() {
  curl -s --max-time 3 "http://127.0.0.1:$MGMT_PORT/observe/metrics" \
    | grep -q '^rcs_crm_requests_total{.*outcome="deferred".*} [1-9]'
}
until_true 30 deferred || fail "the CRM request did not wait for the CRM (no deferred attempt in the metrics)"
ok "the CRM request waits on rcs.crm.outbound (CRM unreachable: rcs_crm_requests_total{outcome=\"deferred\"} > 0)"

mountpoint=$(podman volume inspect --format '{{.Mountpoint}}' "$VOL")
journal_files=$(find "$mountpoint/artemis/journal" -name '*.amq' -user 10001 2>/dev/null | wc -l)
[ "$journal_files" -gt 0 ] && [ -f "$mountpoint/rcs.mv.db" ] || fail "the data volume holds no broker journal or database: $(ls -la "$mountpoint")"
ok "the data volume $VOL is written by uid 10001: artemis/journal ($journal_files .amq files), rcs.mv.db"

t=$(now_ms)
podman restart -t 45 "$ROUTER" > /dev/null 2>> "$WORK/podman.err" || fail "podman restart failed: $(tail -3 "$WORK/podman.err")"
wait_ready "$MGMT_PORT" 120 || fail "readiness did not come back within 120 s of podman restart"
ok "podman restart: ready again after $(secs_since "$t") s"

# Now the CRM appears: the request accepted before the restart, kept in the journal on the volume, reaches it.
podman run -d --name "$CRM" --label "$LABEL" --network "$NET" -v "$ROOT/compose/crm:/home/wiremock:ro" \
  "$WIREMOCK_IMAGE" --port 8080 > /dev/null 2> "$WORK/run-crm.err" || { cat "$WORK/run-crm.err" >&2; fail "could not start the CRM stand-in"; }
REPLY_KEY="event:Mxj1-Cl49JSHekXXXXXMSlYw"   # the Idempotency-Key of samples/mo/05-reply.json
crm_got_reply() { crm_requests "$ROUTER" "$CRM" | grep -q "^$REPLY_KEY "; }
t=$(now_ms)
until_true 120 crm_got_reply || fail "the reply accepted before the restart never reached the CRM"
ok "after podman restart, the reply accepted before it reached the CRM ($(secs_since "$t") s after the CRM started), Idempotency-Key $REPLY_KEY"

# A new container on the same volume: the audit row is there, so the same callback is a duplicate, not routed again.
podman rm -f -t 45 "$ROUTER" > /dev/null 2>> "$WORK/podman.err"
run_router
wait_ready "$MGMT_PORT" 120 || fail "a new container on $VOL did not become ready"
read -r code body <<< "$(post "$HTTP_PORT" mo/05-reply.json "$SECRET")"
[ "$code" = 200 ] && [ "$body" = '{"status":"duplicate"}' ] || fail "the same reply to a new container on the same volume: $code $body, not a duplicate"
sleep 2
[ "$(crm_requests "$ROUTER" "$CRM" | grep -c "^$REPLY_KEY ")" = 1 ] || fail "the CRM got the reply more than once"
ok "a new container on the same volume answers the same reply as a duplicate (its database is on the volume); the CRM got it once"
podman rm -f -t 45 "$ROUTER" "$CRM" > /dev/null 2>> "$WORK/podman.err"
podman volume rm "$VOL" > /dev/null
podman network rm "$NET" > /dev/null
phase_end "container checks"

# ==================================================================================================================
phase "the compose stack: docker-compose.yml with podman-compose"
export ROUTER_IMAGE=$IMAGE ARTEMIS_IMAGE POSTGRES_IMAGE WIREMOCK_IMAGE
export ROUTER_HTTP_PORT=$COMPOSE_HTTP_PORT ROUTER_MANAGEMENT_PORT=$COMPOSE_MGMT_PORT
export RCS_AUTH_HEADER_VALUE=ci-compose-secret RCS_DB_PASSWORD=ci-db-password RCS_BROKER_PASSWORD=ci-broker-password
export RCS_CRM_TOKEN=ci-crm-token RCS_ADMIN_TOKEN=ci-admin-token
compose() { podman-compose --no-ansi -p "$PROJECT" -f "$ROOT/docker-compose.yml" "$@"; }
snapshot() {
  { podman ps -a --format 'container {{.Names}}'; podman volume ls --format 'volume {{.Name}}'
    podman network ls --format 'network {{.Name}}'; podman pod ps --format 'pod {{.Name}}'; } | sort
}
snapshot > "$WORK/before-compose"
COMPOSE_UP=1
# podman-compose 1.0.3 ignores "condition: service_healthy" and, without systemd, healthchecks do not run by
# themselves: start the services, run their compose healthchecks until they pass, then start the router.
t=$(now_ms)
compose up -d --no-build postgres artemis crm > "$WORK/compose-up.log" 2>&1 || { tail -30 "$WORK/compose-up.log" >&2; fail "podman-compose up failed"; }
for s in postgres artemis; do
  c="${PROJECT}_${s}_1"
  healthy() { podman healthcheck run "$c" > /dev/null 2>&1; }
  until_true 120 healthy || fail "$s did not pass its compose healthcheck within 120 s"
  ok "$s passes its compose healthcheck ($(secs_since "$t") s after up)"
done
compose up -d --no-build router >> "$WORK/compose-up.log" 2>&1 || { tail -30 "$WORK/compose-up.log" >&2; fail "podman-compose up router failed"; }
wait_ready "$COMPOSE_MGMT_PORT" 180 || fail "the compose router did not become ready (PostgreSQL + Artemis) within 180 s"
ok "the router on PostgreSQL + Artemis is ready ($(secs_since "$t") s after up)"
ROUTERC="${PROJECT}_router_1"

for f in mo/05-reply.json mo/01-unsubscribe.json; do
  read -r code body <<< "$(post "$COMPOSE_HTTP_PORT" "$f" "$RCS_AUTH_HEADER_VALUE")"
  [ "$code" = 200 ] && [ "$body" = '{"status":"accepted"}' ] || fail "compose: $f was answered $code $body"
done
ok "compose: mo/05-reply.json and mo/01-unsubscribe.json accepted"

crm_reply() { crm_requests "$ROUTERC" crm | grep -qx "$REPLY_KEY Bearer $RCS_CRM_TOKEN"; }
until_true 60 crm_reply || fail "compose: the reply did not reach the CRM with its Idempotency-Key and token: $(crm_requests "$ROUTERC" crm)"
ok "compose: the reply reached the CRM stand-in with Idempotency-Key $REPLY_KEY and Authorization: Bearer"

artemis_cli() {
  podman exec "${PROJECT}_artemis_1" /var/lib/artemis-instance/bin/artemis "$@" \
    --url tcp://localhost:61616 --user rcs --password "$RCS_BROKER_PASSWORD"
}
optout_on_queue() {
  artemis_cli browser --destination queue://rcs.compliance.optout --message-count 10 > "$WORK/optout.txt" 2>&1 || return 1
  [ "$(grep -c 'browsing {' "$WORK/optout.txt")" = 1 ] \
    && grep -q '"action":"OPT_OUT".*"msisdn":"19XXXXXXXXX"' "$WORK/optout.txt"
}
until_true 60 optout_on_queue || fail "compose: no single opt-out on rcs.compliance.optout: $(grep -m3 browsing "$WORK/optout.txt")"
ok "compose: exactly one OPT_OUT for 19XXXXXXXXX on rcs.compliance.optout in the Artemis container"

audit() {
  podman exec "${PROJECT}_postgres_1" psql -U rcs -d rcs -tA -F ' ' \
    -c "SELECT route, status FROM rcs_audit WHERE message_id IN ('bdf242e6-817c-4656-b433-2aXXXXXXXXba', 'e467ccda-179b-472f-9c73-6XXXXXXXX0XX') ORDER BY route" 2>/dev/null
}
audit_rows() { [ "$(audit | tr '\n' ';')" = "CRM DELIVERED;OPT_OUT ROUTED;" ]; }
until_true 60 audit_rows || fail "compose: the audit rows in PostgreSQL are not as expected: $(audit | tr '\n' ';')"
ok "compose: the audit rows are in the PostgreSQL container (rcs_audit: CRM DELIVERED, OPT_OUT ROUTED)"

compose down -v > "$WORK/compose-down.log" 2>&1 || { tail -20 "$WORK/compose-down.log" >&2; fail "podman-compose down -v failed"; }
COMPOSE_UP=0
snapshot > "$WORK/after-compose"
left=$(comm -13 "$WORK/before-compose" "$WORK/after-compose")
# podman-compose 1.0.x never removes networks (its "down" has no such step; 1.3 does, docker compose does): that one
# network, and nothing else, is removed here and named in the log.
if [ "$left" = "network ${PROJECT}_default" ] && [ "${PC_VERSION#1.0.}" != "$PC_VERSION" ]; then
  podman network rm "${PROJECT}_default" > /dev/null
  note "podman-compose 1.0.x left its network ${PROJECT}_default (it never removes networks); removed by this script"
  left=$(snapshot | comm -13 "$WORK/before-compose" -)
fi
[ -z "$left" ] || fail "compose: down -v left behind: $(echo "$left" | tr '\n' ' ')"
ok "compose: down -v left no container and no volume behind"
phase_end "compose checks"

# ==================================================================================================================
phase "k8s/: the manifests against the Kubernetes API schema (fabric8 kubernetes-model-validator)"
mvn_host -f "$HERE/k8s-schema/pom.xml" test -Dk8s.dir="$ROOT/k8s" > "$WORK/k8s-schema.log" 2>&1 \
  || { tail -40 "$WORK/k8s-schema.log" >&2; fail "k8s/ does not validate against the Kubernetes schema"; }
grep -h 'Tests run' "$HERE/k8s-schema/target/surefire-reports/"*.txt | sed 's/^/  /'
ok "every document of k8s/*.yaml validates against the Kubernetes API schema"
phase_end "k8s schema"

# ==================================================================================================================
TOTAL=$(( $(date +%s) - T_START ))
{
  echo "== containers: summary"
  echo "  image $IMAGE: $IMAGE_MB MB ($APP_MB MB on top of $RUNTIME_IMAGE), built in $BUILD_SECONDS s"
  echo "  start to readiness (podman run -> /observe/health/ready 200): $READY_SECONDS s"
  for line in "${TIMES[@]}"; do echo "  $line"; done
  echo "  total                              $(printf '%4d' "$TOTAL") s"
} | tee "$WORK/summary.txt"
echo "containers: $PASSED passed, 0 failed"
