#!/usr/bin/env bash
# The cost of deciding a request (issue #17: keep lookup-self within 10% of what it was before ACL policies).
# lookup.sh BEFORE_APP AFTER_APP: two built application directories (an earlier build and this one: target/quarkus-app,
# or target/pg-app with BENCH_STORE=postgresql), each started on a fresh store, measured alternately (A B A B): after a warm-up of BENCH_WARMUP lookups, the service
# CPU per lookup-self one request at a time (JIT compiler threads apart, src/bench/cpu.sh), then lookups/s at
# concurrency 8 and 32. Needs wrk (apt-get install wrk) and target/test-classes (./mvnw test-compile).
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=$1; AFTER=$2
WARMUP="${BENCH_WARMUP:-200000}"; DURATION="${BENCH_DURATION:-8s}"
OUT=target/bench-lookup; PORT=18300; ROOT=bench-root-token-0123456789
rm -rf "$OUT" && mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
CP="target/test-classes:target/classes:$AFTER/lib/main/*"
# shellcheck source=src/bench/service.sh
. src/bench/service.sh
stand_in sts
STS=$STAND_IN_URL; URL="http://127.0.0.1:$PORT"
java -cp "$CP" io.alicloudauth.bench.BenchTools data 16 "$OUT/data" >/dev/null
LINE=0

STORE="${BENCH_STORE:-h2}"
run() { # NAME DIR
  local name=$1 dir=$2
  local url="jdbc:h2:file:$PWD/$OUT/$name/db" user=sa
  if [ "$STORE" = postgresql ]; then
    deploy/postgres/local.sh >/dev/null
    runuser -u postgres -- psql -h 127.0.0.1 -p 55432 -U postgres -qc "drop database if exists alicloud_auth_lookup" \
      -c "create database alicloud_auth_lookup"
    url="jdbc:postgresql://127.0.0.1:55432/alicloud_auth_lookup"; user=postgres
  fi
  (cd "$dir" && QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALICLOUD_AUTH_ROOT_TOKEN=$ROOT \
    QUARKUS_DATASOURCE_JDBC_URL="$url" QUARKUS_DATASOURCE_USERNAME=$user ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_SEAL_KEY=YmVuY2gtc2VhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA= \
    exec java -XX:-UseDynamicNumberOfCompilerThreads -jar quarkus-run.jar) > "$OUT/$name.log" 2>&1 &
  APP_PID=$!
  until curl -sf "$URL/q/health/ready" >/dev/null; do kill -0 $APP_PID; sleep 0.05; done
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$STS\"}" "$URL/v1/auth/alicloud/config"
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev"}' \
    "$URL/v1/auth/alicloud/role/dev-role"
  local token
  LINE=$((LINE + 1)) # each login its own signed request: the stand-in refuses a nonce used before
  token=$(curl -sf -X POST -d "$(sed -n "${LINE}p" "$OUT/data/login-bodies.txt")" "$URL/v1/auth/alicloud/login" \
    | sed 's/.*"client_token":"\([^"]*\)".*/\1/')
  wrk -t2 -c8 -d"$((WARMUP / 10000))s" -H "X-Vault-Token: $token" "$URL/v1/auth/token/lookup-self" > /dev/null
  local s0 j0 s1 j1
  read -r s0 j0 < <(src/bench/cpu.sh "$APP_PID")
  wrk -t1 -c1 -d"$DURATION" --latency -H "X-Vault-Token: $token" "$URL/v1/auth/token/lookup-self" > "$OUT/$name-1.txt"
  read -r s1 j1 < <(src/bench/cpu.sh "$APP_PID")
  local n; n=$(awk '/requests in/ {print $1}' "$OUT/$name-1.txt")
  local rps8 rps32
  rps8=$(wrk -t2 -c8 -d"$DURATION" -H "X-Vault-Token: $token" "$URL/v1/auth/token/lookup-self" | awk '/Requests\/sec/ {print int($2)}')
  rps32=$(wrk -t2 -c32 -d"$DURATION" -H "X-Vault-Token: $token" "$URL/v1/auth/token/lookup-self" | awk '/Requests\/sec/ {print int($2)}')
  echo "| $name | $n | $(( (s1 - s0) * 1000000 / n )) ns | $(( (j1 - j0) * 1000000 / n )) ns | $rps8 | $rps32 |"
  kill $APP_PID; wait $APP_PID 2>/dev/null || true; APP_PID=
}
echo "Machine: $(nproc) cores; $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d). lookup-self, one token, $STORE."
echo
echo "| build | requests one at a time | service CPU per lookup | JIT CPU per lookup | lookups/s at 8 | at 32 |"
echo "|---|---|---|---|---|---|"
for round in 1 2; do
  run "before-$round" "$BEFORE"
  run "after-$round" "$AFTER"
done
