#!/usr/bin/env bash
# Early-life cost (issue #20): what a freshly started instance (a Function Compute instance, a new pod) pays for its
# first BENCH_EARLY_LOGINS (3,000) logins, the plain jar (Java 17) and the fast-start artifact (JDK 25 + app.aot,
# -XX:AOTMode=on, the container's flags) side by side, alternately, twice each: service CPU and JIT CPU per login
# (src/bench/cpu.sh), from the first ready probe on, logins sent by 4 curl processes at a time against the STS
# stand-in. Needs a -Daot build (./mvnw package -DskipTests -Daot) and target/test-classes.
#   early.sh [APP_DIR]   (default target/quarkus-app)
set -euo pipefail
cd "$(dirname "$0")/../.."
APP="$(cd "${1:-target/quarkus-app}" && pwd)"
N="${BENCH_EARLY_LOGINS:-3000}"
JAVA17="${JAVA17:-java}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
SMALL_FLAGS="${BENCH_FLAGS:--XX:MaxRAM=256m $(src/aot/container-flags.sh)}" # BENCH_FLAGS: other flags for the fast-start artifact
OUT=target/bench-early; PORT=18400; ROOT=bench-root-token-0123456789
[ -s "$APP/app.aot" ] || { echo "no $APP/app.aot: ./mvnw package -DskipTests -Daot" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
CP="target/test-classes:target/classes:$APP/lib/main/*"
# shellcheck source=src/bench/service.sh
. src/bench/service.sh
stand_in sts
STS=$STAND_IN_URL; URL="http://127.0.0.1:$PORT"

run() { # NAME JAVA FLAGS...
  local name=$1; shift
  java -cp "$CP" io.alicloudauth.bench.BenchTools data "$N" "$OUT/data-$name" >/dev/null
  local t0; t0=$(date +%s%N)
  (cd "$APP" && QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALICLOUD_AUTH_ROOT_TOKEN=$ROOT \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/../../$OUT/$name/db" ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE=0 MALLOC_ARENA_MAX=2 exec "$@" -XX:-UseDynamicNumberOfCompilerThreads \
    -jar quarkus-run.jar) > "$OUT/$name.log" 2>&1 &
  APP_PID=$!
  until curl -sf "$URL/q/health/ready" >/dev/null; do kill -0 $APP_PID; sleep 0.01; done
  local ready=$(( ($(date +%s%N) - t0) / 1000000 ))
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$STS\"}" "$URL/v1/auth/alicloud/config"
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev"}' \
    "$URL/v1/auth/alicloud/role/dev-role"
  local s0 j0 s1 j1 ok t1
  read -r s0 j0 < <(src/bench/cpu.sh "$APP_PID")
  t1=$(date +%s%N)
  ok=$(xargs -d '\n' -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d {} \
    "$URL/v1/auth/alicloud/login" < "$OUT/data-$name/login-bodies.txt" | grep -c '^200$' || true)
  local wall=$(( ($(date +%s%N) - t1) / 1000000 ))
  read -r s1 j1 < <(src/bench/cpu.sh "$APP_PID")
  echo "| $name | $ready ms | $ok / $N | $(( (s1 - s0) * 1000 / N )) µs | $(( (j1 - j0) * 1000 / N )) µs | $wall ms |"
  kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=
}
echo "Machine: $(nproc) cores; $("$JAVA17" -version 2>&1 | head -1); $("$JAVA25" -version 2>&1 | head -1); $(date -u +%Y-%m-%d)."
echo "The first $N logins after start (4 at a time), fresh H2 each run:"
echo
echo "| build | start to ready | logins answered 200 | service CPU per login | JIT CPU per login | wall time |"
echo "|---|---|---|---|---|---|"
for round in 1 2; do
  run "plain-$round" "$JAVA17"
  # shellcheck disable=SC2086
  run "fast-start-$round" "$JAVA25" -XX:AOTCache=app.aot -XX:AOTMode=on $SMALL_FLAGS
done
