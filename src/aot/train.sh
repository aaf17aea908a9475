#!/usr/bin/env bash
# The AOT cache's training run (./mvnw package -Daot runs it; see README "Fast start"): starts the packaged service
# on JDK 25 with -XX:AOTCacheOutput, drives real work through it (config and role writes, service and batch
# logins against the STS stand-in, lookups, renewals, refusals), then stops it with SIGTERM; the JVM writes
# target/quarkus-app/app.aot as it exits. The cache only works with the same JDK build that made it.
#   AOT_JAVA (default: $JAVA25_HOME/bin/java, else /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), AOT_LOGINS (400),
#   AOT_JAVA_OPTS (default -XX:+UseSerialGC, the collector deploy/container/Dockerfile.jvm runs with, and no method
#   profiles: -XX:-AOTRecordTraining),
#   AOT_JDBC_URL/_USERNAME (default: an H2 file under target/aot-training, the service's default store; a build for
#   PostgreSQL needs a PostgreSQL to train against).
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=target/quarkus-app
JAVA25="${AOT_JAVA:-${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java}"
LOGINS="${AOT_LOGINS:-400}"
# No method profiles: the container runs C1 only, which never reads them, and they were 9 MiB of its RSS.
OPTS="${AOT_JAVA_OPTS:--XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining}"
DB_URL="${AOT_JDBC_URL:-jdbc:h2:file:$PWD/target/aot-training/db}"
DB_USER="${AOT_JDBC_USERNAME:-sa}"
WORK=target/aot-training
PORT="${AOT_PORT:-18490}"
ROOT=aot-training-root-token-0123456789
[ -x "$JAVA25" ] || { echo "aot: no JDK 25 at $JAVA25 (set AOT_JAVA or JAVA25_HOME)" >&2; exit 1; }
rm -rf "$WORK" "$APP/app.aot" && mkdir -p "$WORK"
CP="target/test-classes:target/classes:$APP/lib/main/*"

java -cp "$CP" io.alicloudauth.bench.BenchTools sts "$WORK/sts.port" > "$WORK/sts.log" 2>&1 &
STS_PID=$!
APP_PID=
trap 'kill $STS_PID ${APP_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$WORK/sts.port" ] && break; sleep 0.1; done
STS="http://127.0.0.1:$(cat "$WORK/sts.port")"
java -cp "$CP" io.alicloudauth.bench.BenchTools data "$LOGINS" "$WORK/data" >/dev/null

# shellcheck disable=SC2086
# The jar by its absolute path: the cache records the class path as given, and one recorded absolute is relocatable
# (the JDK matches it by its place relative to the jar), so the artifact uses its cache however it is started:
# -jar quarkus-run.jar from its directory, by an absolute path from any other, or copied elsewhere (a container
# image). One trained as the relative quarkus-run.jar is silently ignored from any other directory.
ABS="$(cd "$APP" && pwd)"
(cd "$APP" && QUARKUS_HTTP_PORT=$PORT ALICLOUD_AUTH_ROOT_TOKEN=$ROOT QUARKUS_DATASOURCE_JDBC_URL="$DB_URL" \
  QUARKUS_DATASOURCE_USERNAME="$DB_USER" ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
  exec "$JAVA25" -XX:AOTCacheOutput="$ABS/app.aot" $OPTS -jar "$ABS/quarkus-run.jar") > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { echo "aot: the service did not start: see $WORK/app.log" >&2; exit 1; }
call() { curl -s -o /dev/null -w '%{http_code}\n' "$@"; }
admin() { call -H "X-Vault-Token: $ROOT" -H 'Content-Type: application/json' "$@"; }
URL="http://127.0.0.1:$PORT/v1"
{
  admin -X POST -d "{\"sts_endpoint\":\"$STS\"}" "$URL/auth/alicloud/config"
  admin -X POST -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev","token_ttl":"1h"}' \
    "$URL/auth/alicloud/role/dev-role"
  admin -X GET "$URL/auth/alicloud/role/dev-role"
  admin -X LIST "$URL/auth/alicloud/roles"
  admin -X GET "$URL/sys/auth"
} > "$WORK/setup.txt"
i=0
while read -r body; do
  i=$((i + 1))
  if [ "$i" -eq $((LOGINS / 2)) ]; then
    admin -X POST -d '{"token_type":"batch"}' "$URL/auth/alicloud/role/dev-role"
  fi
  curl -s -o "$WORK/answer" -w 'login %{http_code}\n' -H 'Content-Type: application/json' -d "$body" \
    "$URL/auth/alicloud/login"
  token=$(sed -n 's/.*"client_token":"\([^"]*\)".*/\1/p' "$WORK/answer")
  if [ -n "$token" ] && [ $((i % 4)) -eq 0 ]; then
    call -H "X-Vault-Token: $token" "$URL/auth/token/lookup-self"
    call -H "X-Vault-Token: $token" -X POST "$URL/auth/token/renew-self"
  fi
  [ $((i % 50)) -eq 0 ] && call -H 'Content-Type: application/json' -d '{"role":"dev-role"}' "$URL/auth/alicloud/login"
done < "$WORK/data/login-bodies.txt" > "$WORK/statuses.txt"
call "http://127.0.0.1:$PORT/q/health/live" >> "$WORK/setup.txt"
kill -TERM $APP_PID
wait $APP_PID || true
APP_PID=
ok=$(grep -c '^login 200' "$WORK/statuses.txt" || true)
echo "aot: trained on $LOGINS logins ($ok answered 200) and $(grep -vc '^login' "$WORK/statuses.txt") other requests;" \
  "cache $(du -h "$APP/app.aot" | cut -f1)"
[ "$ok" -gt $((LOGINS / 2)) ] || { echo "aot: most training logins failed: see $WORK/app.log" >&2; exit 1; }
[ -s "$APP/app.aot" ] || { echo "aot: no cache was written: see $WORK/app.log" >&2; exit 1; }
