#!/usr/bin/env bash
# After ./mvnw package -Daot: the fast-start artifact starts with its AOT cache, or this fails. -XX:AOTMode=on makes
# the JVM refuse to start when the cache cannot be used (another JDK build, another class path, changed jars).
# Prints the time to the first ready probe. AOT_JAVA as for train.sh.
set -euo pipefail
cd "$(dirname "$0")/../../target/quarkus-app"
JAVA25="${AOT_JAVA:-${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}"
PORT="${AOT_PORT:-18491}"
[ -s app.aot ] || { echo "aot check: target/quarkus-app/app.aot is missing (./mvnw package -DskipTests -Daot)" >&2; exit 1; }
LOG=$(mktemp)
t0=$(date +%s%N)
QUARKUS_HTTP_PORT=$PORT ALICLOUD_AUTH_ROOT_TOKEN=aot-check-root-token-0123456789 \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:mem:aot-check" \
  "$JAVA25" -XX:AOTCache=app.aot -XX:AOTMode=on -XX:+UseSerialGC -jar quarkus-run.jar > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do
  kill -0 $PID 2>/dev/null || { echo "aot check: the service did not start with its AOT cache:" >&2; cat "$LOG" >&2; exit 1; }
  sleep 0.02
done
echo "aot check: ready with the AOT cache in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
curl -sf -H "X-Vault-Token: aot-check-root-token-0123456789" "http://127.0.0.1:$PORT/v1/sys/auth" >/dev/null
