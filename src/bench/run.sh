#!/usr/bin/env bash
# The benchmark (not a test): builds the service, starts the STS stand-in (the tests' FakeSts: real signature,
# nonce and timestamp checks, no artificial delay), and measures with wrk, on H2 and on PostgreSQL:
#   - login throughput and p50/p99 latency at several concurrency levels, next to calling the STS stand-in
#     directly with the same load generator and the same concurrency;
#   - lookup-self throughput and latency;
#   - time from process start to the first successful readiness probe, and RSS after start and after the load.
# Prints a Markdown table (also written to target/bench/results.md). Needs root for apt-get and PostgreSQL.
#   BENCH_DURATION (default 6s), BENCH_CONCURRENCY (default "1 8 32"), BENCH_REQUESTS (signed requests per run).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${BENCH_DURATION:-6s}"
LEVELS="${BENCH_CONCURRENCY:-1 8 32}"
PER_RUN="${BENCH_REQUESTS:-20000}"
STS_PER_RUN="${BENCH_STS_REQUESTS:-150000}"
OUT=target/bench
PORT=18200
ROOT=bench-root-token-0123456789
rm -rf "$OUT" && mkdir -p "$OUT"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
./mvnw -q -B -DskipTests package
deploy/postgres/local.sh >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p 55432 -U postgres -qc "drop database if exists alicloud_auth_bench" \
  -c "create database alicloud_auth_bench"

CP="target/test-classes:target/classes:target/quarkus-app/lib/main/*"
java -cp "$CP" io.alicloudauth.bench.BenchTools sts "$OUT/sts.port" > "$OUT/sts.log" 2>&1 &
STS_PID=$!
APP_PID=
trap 'kill $STS_PID ${APP_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$OUT/sts.port" ] && break; sleep 0.1; done
STS="http://127.0.0.1:$(cat "$OUT/sts.port")"

threads() { if [ "$1" -lt 2 ]; then echo 1; else echo 2; fi; }

# measure NAME CONCURRENCY [wrk options] URL [-- script args] -> "rps p50 p99 non2xx"
measure() {
  local name=$1 c=$2; shift 2
  wrk -t"$(threads "$c")" -c"$c" -d"$DURATION" --latency "$@" > "$OUT/$name.txt" 2>&1
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print int($2)}' "$OUT/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")
  bad=$(awk '/Non-2xx/ {print $5}' "$OUT/$name.txt"); bad=${bad:-0}
  echo "$rps $p50 $p99 $bad"
}

data() { # NAME [COUNT] -> a fresh file of signed requests
  java -cp "$CP" io.alicloudauth.bench.BenchTools data "${2:-$PER_RUN}" "$OUT/data-$1" >/dev/null
}

rss() { ps -o rss= -p "$1" | awk '{printf "%d MiB", $1/1024}'; }

RESULTS="$OUT/results.md"
{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)."
  echo
  echo "| store | what | concurrency | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
} > "$RESULTS"

for c in $LEVELS; do
  data "sts-$c" "$STS_PER_RUN"
  read -r rps p50 p99 bad < <(measure "sts-direct-$c" "$c" -s src/bench/wrk-lines.lua "$STS" -- \
      "$OUT/data-sts-$c/sts-paths.txt" sts "$(threads "$c")")
  echo "| - | STS stand-in, called directly | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
done

STARTUP=()
for store in h2 postgresql; do
  if [ "$store" = h2 ]; then
    JAR=target/quarkus-app/quarkus-run.jar
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2/db"
    unset QUARKUS_DATASOURCE_USERNAME || true
  else
    JAR=target/pg-app/quarkus-run.jar
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:55432/alicloud_auth_bench"
    export QUARKUS_DATASOURCE_USERNAME=postgres
  fi
  start=$(date +%s%N)
  QUARKUS_HTTP_PORT=$PORT ALICLOUD_AUTH_ROOT_TOKEN=$ROOT ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE=0 java -jar "$JAR" > "$OUT/app-$store.log" 2>&1 &
  APP_PID=$!
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do sleep 0.01; done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss_start=$(rss $APP_PID)
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$STS\"}" "http://127.0.0.1:$PORT/v1/auth/alicloud/config"
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev"}' \
    "http://127.0.0.1:$PORT/v1/auth/alicloud/role/dev-role"
  # Warm-up (JIT, pools) before anything is measured.
  data "warmup-$store" 8000
  measure "warmup-$store" 8 -s src/bench/wrk-lines.lua "http://127.0.0.1:$PORT" -- \
      "$OUT/data-warmup-$store/login-bodies.txt" login 2 >/dev/null
  for c in $LEVELS; do
    data "login-$store-$c"
    read -r rps p50 p99 bad < <(measure "login-$store-$c" "$c" -s src/bench/wrk-lines.lua "http://127.0.0.1:$PORT" -- \
        "$OUT/data-login-$store-$c/login-bodies.txt" login "$(threads "$c")")
    echo "| $store | login | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
  done
  data "token-$store"
  TOKEN=$(curl -sf -X POST -d "$(head -1 "$OUT/data-token-$store/login-bodies.txt")" \
    "http://127.0.0.1:$PORT/v1/auth/alicloud/login" | sed 's/.*"client_token":"\([^"]*\)".*/\1/')
  for c in 8 32; do
    read -r rps p50 p99 bad < <(measure "lookup-$store-$c" "$c" -H "X-Vault-Token: $TOKEN" \
        "http://127.0.0.1:$PORT/v1/auth/token/lookup-self")
    echo "| $store | lookup-self | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
  done
  rss_after=$(rss $APP_PID)
  kill $APP_PID; wait $APP_PID 2>/dev/null || true
  APP_PID=
  STARTUP+=("| $store | JVM jar | $ready_ms ms | $rss_start | $rss_after |")
done

# A native binary, where one was built (./mvnw package -Dnative -Dquarkus.profile=pg): start time and RSS.
NATIVE=$(ls target/*-runner 2>/dev/null | head -1 || true)
if [ -n "$NATIVE" ]; then
  start=$(date +%s%N)
  QUARKUS_HTTP_PORT=$PORT ALICLOUD_AUTH_ROOT_TOKEN=$ROOT QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:55432/alicloud_auth_bench" "$NATIVE" > "$OUT/app-native.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.01; done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  STARTUP+=("| postgresql | native binary | $ready_ms ms | $(rss $APP_PID) | (not loaded) |")
  kill $APP_PID; wait $APP_PID 2>/dev/null || true
  APP_PID=
fi

{
  echo
  echo "| store | artifact | start to first ready probe | RSS after start | RSS after the load |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${STARTUP[@]}"
} >> "$RESULTS"
cat "$RESULTS"
