#!/usr/bin/env bash
# After ./mvnw package -Daot: the fast-start artifact starts with its AOT cache however it is started, or this fails.
# -XX:AOTMode=on makes the JVM refuse to start when the cache cannot be used (another JDK build, another class path,
# changed jars), where the default mode would ignore it without a word. Three starts, each to its first ready probe:
#   1. as README says: cd target/quarkus-app && java -XX:AOTCache=app.aot -jar quarkus-run.jar
#   2. by absolute paths from another working directory (a systemd unit, a script: the data directory stays there)
#   3. a copy of the directory elsewhere (what a container image's COPY makes), by absolute paths
# each with deploy/container/Dockerfile.jvm's JVM flags (src/aot/container-flags.sh) under -XX:MaxRAM=256m, so that
# a flag the cache does not accept fails here, not in a container.
# Then the JVM Dockerfile's own build-time check (login --help under its flags) on the copy. AOT_JAVA as for train.sh.
set -euo pipefail
APP="$(cd "$(dirname "$0")/../../target/quarkus-app" && pwd)"
JAVA25="${AOT_JAVA:-${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}"
PORT="${AOT_PORT:-18491}"
[ -s "$APP/app.aot" ] || { echo "aot check: target/quarkus-app/app.aot is missing (./mvnw package -DskipTests -Daot)" >&2; exit 1; }
ELSEWHERE=$(mktemp -d)
LOG=$(mktemp)
FLAGS="-XX:MaxRAM=256m $("$(dirname "$0")/container-flags.sh")"
PID=
trap 'kill $PID 2>/dev/null || true; rm -rf "$ELSEWHERE" "$LOG"' EXIT

# start WHAT DIR CACHE JAR: from DIR, with -XX:AOTMode=on
start() {
  local what=$1 dir=$2 cache=$3 jar=$4 t0
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  (cd "$dir" && QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
    ALICLOUD_AUTH_ROOT_TOKEN=aot-check-root-token-0123456789 QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:mem:aot-check" \
    exec "$JAVA25" -XX:AOTCache="$cache" -XX:AOTMode=on $FLAGS -jar "$jar") > "$LOG" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do
    kill -0 $PID 2>/dev/null || { echo "aot check: $what: the service did not start with its AOT cache:" >&2; cat "$LOG" >&2; exit 1; }
    sleep 0.02
  done
  echo "aot check: $what: ready with the AOT cache in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  curl -sf -H "X-Vault-Token: aot-check-root-token-0123456789" "http://127.0.0.1:$PORT/v1/sys/auth" >/dev/null
  kill $PID; wait $PID 2>/dev/null || true; PID=
}

start "from its directory (README)" "$APP" app.aot quarkus-run.jar
start "from another directory" "$ELSEWHERE" "$APP/app.aot" "$APP/quarkus-run.jar"
cp -rp "$APP" "$ELSEWHERE/app" # -p: the JVM checks the jars' sizes and times
start "copied elsewhere" "$ELSEWHERE" "$ELSEWHERE/app/app.aot" "$ELSEWHERE/app/quarkus-run.jar"
# deploy/container/Dockerfile.jvm runs this at build time, so that an image never ships a cache its JVM ignores.
CHECK_FLAGS="$("$(dirname "$0")/container-flags.sh" check)"
# shellcheck disable=SC2086
(cd "$ELSEWHERE/app" && "$JAVA25" -XX:AOTCache=app.aot $CHECK_FLAGS -jar quarkus-run.jar login --help > /dev/null) \
  || { echo "aot check: the Dockerfile's build-time check refused the cache" >&2; exit 1; }
echo "aot check: the Dockerfile's build-time check accepts the copied cache"
