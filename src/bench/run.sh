#!/usr/bin/env bash
# The benchmark (not a test). Builds the plain jar (fast-jar, H2 and PostgreSQL) and the fast-start artifact (-Daot:
# aot-jar and its AOT cache, trained on JDK 25), starts the STS stand-in (the tests' FakeSts: real signature, nonce
# and timestamp checks, no artificial delay), and reports, side by side in one run:
#   - per store: login and lookup-self throughput and latency (wrk, each login with its own signed request), next to
#     calling the STS stand-in directly with the same load generator and concurrency;
#   - against a stand-in that answers after BENCH_STS_DELAY ms (20): logins/s, p50 and p99 at concurrency 32
#     (BENCH_STS_ROUNDS rounds, 3) and 128 next to calling it directly and through a bare relay in the same round,
#     with the default STS slots and with 256;
#   - per store: service CPU per service-token login, per batch-token login, per lookup-self and per identity token
#     (RS256 and ES256), one request at a time after the warm-up, JIT compiler threads counted apart (src/bench/cpu.sh);
#   - start to first ready probe of the plain jar (Java 17) and the fast-start artifact (JDK 25 + app.aot, from its
#     directory and from another one), and the RSS (at the end and at its peak) of the fast-start artifact over
#     BENCH_SMALL_LOGINS (40,000) logins at concurrency 32 under -XX:MaxRAM=256m with
#     deploy/container/Dockerfile.jvm's flags, every status counted.
# Prints Markdown (also target/bench/results.md). Needs root for apt-get (wrk) and PostgreSQL.
#   BENCH_WARMUP (20000 logins), BENCH_DURATION (8s), BENCH_CONCURRENCY ("1 8 32"), JAVA25 (Temurin 25's java),
#   BENCH_STS_DELAY (20 ms), BENCH_STS_ROUNDS (3; the 20 ms windows are 10 s each, after a warm-up of their own),
#   BENCH_BASELINE: the target/quarkus-app of an earlier build, measured the same way on H2 as "h2 (baseline)", so
#   that a change is shown against what it changed, in one run. BENCH_SMALL_BASELINE_FLAGS: earlier container flags,
#   measured under the memory limit the same way, in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."

WARMUP="${BENCH_WARMUP:-20000}"
DURATION="${BENCH_DURATION:-8s}"
LEVELS="${BENCH_CONCURRENCY:-1 8 32}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
OUT=target/bench
PORT=18200
ROOT=bench-root-token-0123456789
# What the fast-start container runs (deploy/container/Dockerfile.jvm), under the Kubernetes memory limit.
SMALL_FLAGS="-XX:MaxRAM=256m $(src/aot/container-flags.sh)"
rm -rf "$OUT" && mkdir -p "$OUT"
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is taken: stop what runs there" >&2; exit 1; fi

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
./mvnw -q -B -DskipTests package
cp -rp target/quarkus-app "$OUT/plain-app"
cp -rp target/pg-app "$OUT/pg-app"
./mvnw -q -B -DskipTests -DskipPgBuild=true -Daot package
cp -rp target/quarkus-app "$OUT/aot-app" # -p: the AOT cache checks the jars' timestamps
deploy/postgres/local.sh >/dev/null
runuser -u postgres -- psql -h 127.0.0.1 -p 55432 -U postgres -qc "drop database if exists alicloud_auth_bench" \
  -c "create database alicloud_auth_bench"

CP="target/test-classes:target/classes:$OUT/plain-app/lib/main/*"
java -cp "$CP" io.alicloudauth.bench.BenchTools sts "$OUT/sts.port" > "$OUT/sts.log" 2>&1 &
STS_PID=$!
APP_PID=
trap 'kill $STS_PID ${APP_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$OUT/sts.port" ] && break; sleep 0.1; done
STS="http://127.0.0.1:$(cat "$OUT/sts.port")"
URL="http://127.0.0.1:$PORT"

threads() { if [ "$1" -lt 2 ]; then echo 1; else echo 2; fi; }
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; printf "%.2f", n }'; }

# measure NAME CONCURRENCY [wrk options] URL [-- script args] -> "requests rps p50 p99 non2xx"
measure() {
  local name=$1 c=$2; shift 2
  wrk -t"$(threads "$c")" -c"$c" -d"$DURATION" --latency "$@" > "$OUT/$name.txt" 2>&1
  awk '/requests in/ {n=$1} /Requests\/sec/ {r=int($2)} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
       /Non-2xx/ {bad=$5} END {print n, r, p50, p99, bad+0}' "$OUT/$name.txt"
}

data() { # NAME COUNT -> a fresh file of COUNT signed login bodies (and as many direct STS paths)
  java -cp "$CP" io.alicloudauth.bench.BenchTools data "$2" "$OUT/data-$1" >/dev/null
  echo "$OUT/data-$1"
}

rss_mib() { ps -o rss= -p "$1" | awk '{printf "%d", $1/1024}'; }

# start DIR JAVA [flags] -> starts the service from DIR (its own working directory: the AOT cache is bound to the
# class path as trained); START_MS is the time to the first ready probe
start() {
  local dir=$1; shift
  local t0; t0=$(date +%s%N)
  (cd "$dir" && QUARKUS_HTTP_PORT=$PORT ALICLOUD_AUTH_ROOT_TOKEN=$ROOT ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_SEAL_KEY=YmVuY2gtc2VhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA= QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) \
    ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE=0 MALLOC_ARENA_MAX=2 exec "$@" -jar "${JAR:-quarkus-run.jar}") > "$OUT/app-$RUN.log" 2>&1 &
  APP_PID=$!
  until curl -sf "$URL/q/health/ready" >/dev/null; do
    kill -0 "$APP_PID" 2>/dev/null || { echo "the service did not start: $OUT/app-$RUN.log" >&2; exit 1; }
    sleep 0.01
  done
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }
role() { # TOKEN_TYPE
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"arn\":\"acs:ram::1234567890123456:role/dev-role\",\"token_policies\":\"dev\",\"token_type\":\"$1\"}" \
    "$URL/v1/auth/alicloud/role/dev-role"
}
setup() {
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$STS\"}" "$URL/v1/auth/alicloud/config"
  role service
}
logins() { # NAME CONCURRENCY DATA -> measure's answer
  measure "$1" "$2" -s src/bench/wrk-lines.lua "$URL" -- "$3/login-bodies.txt" login "$(threads "$2")"
}
# cpu_per NAME WRK-ARGS... -> "requests non2xx p50 service_us jit_us", one request at a time
cpu_per() {
  local name=$1; shift
  local s0 j0 s1 j1 n r p50 p99 bad
  read -r s0 j0 < <(src/bench/cpu.sh "$APP_PID")
  read -r n r p50 p99 bad < <(measure "$name" 1 "$@")
  read -r s1 j1 < <(src/bench/cpu.sh "$APP_PID")
  echo "$n $bad $p50 $(( (s1 - s0) * 1000 / n )) $(( (j1 - j0) * 1000 / n ))"
}

RESULTS="$OUT/results.md"
{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1) and" \
    "$("$JAVA25" -version 2>&1 | head -1); $(date -u +%Y-%m-%d). Warm-up: $WARMUP logins before anything is measured."
  echo
  echo "| store | what | concurrency | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|---|"
} > "$RESULTS"

declare -A STS_P50
for c in $LEVELS; do
  d=$(data "sts-$c" $(( c == 1 ? 120000 : 320000 )))
  read -r n rps p50 p99 bad < <(measure "sts-direct-$c" "$c" -s src/bench/wrk-lines.lua "$STS" -- \
      "$d/sts-paths.txt" sts "$(threads "$c")")
  STS_P50[$c]=$p50
  echo "| - | STS stand-in, called directly | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
done

CPU_ROWS=()
RATIO_ROWS=()
STORES="h2 postgresql"
[ -n "${BENCH_BASELINE:-}" ] && STORES="baseline $STORES"
for store in $STORES; do
  RUN=$store
  if [ "$store" = baseline ]; then
    DIR="$BENCH_BASELINE"
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2-baseline/db"
    unset QUARKUS_DATASOURCE_USERNAME || true
  elif [ "$store" = h2 ]; then
    DIR="$OUT/plain-app"
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2/db"
    unset QUARKUS_DATASOURCE_USERNAME || true
  else
    DIR="$OUT/pg-app"
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:55432/alicloud_auth_bench"
    export QUARKUS_DATASOURCE_USERNAME=postgres
  fi
  start "$DIR" java -XX:-UseDynamicNumberOfCompilerThreads
  setup > /dev/null
  sent=0
  # Warm-up: the C2 compiler competes with the service for the first tens of thousands of requests.
  d=$(data "warmup-$store" "$WARMUP")
  read -r n rps p50 p99 bad < <(logins "warmup-$store" 4 "$d")
  sent=$(( sent + n )); remaining=$(( WARMUP - n ))
  while [ "$remaining" -gt 0 ]; do # wrk ran out of time first: finish the file
    d=$(data "warmup-more-$store-$remaining" "$remaining")
    read -r n rps p50 p99 bad < <(logins "warmup-more-$store" 4 "$d")
    sent=$(( sent + n )); remaining=$(( remaining - n ))
  done

  d=$(data "cpu-service-$store" 40000)
  read -r n bad p50 svc jit < <(cpu_per "cpu-service-$store" -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 1)
  CPU_ROWS+=("| $store | login, service token | $n | $bad | $p50 | $svc µs | $jit µs |")
  sent=$(( sent + n ))
  p50_login=$p50
  role batch
  d=$(data "cpu-batch-$store" 60000)
  read -r n bad p50 svc jit < <(cpu_per "cpu-batch-$store" -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 1)
  CPU_ROWS+=("| $store | login, batch token | $n | $bad | $p50 | $svc µs | $jit µs |")
  sent=$(( sent + n ))
  role service
  # Identity tokens (SPEC §9): the dev policy may mint; one RS256 role (the default key), one ES256 role.
  [ "$store" != baseline ] && {
  curl -sf -X PUT -H "X-Vault-Token: $ROOT" -d '{"policy":"path \"identity/oidc/token/*\" { capabilities = [\"read\"] }"}' \
    "$URL/v1/sys/policies/acl/dev"
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"issuer\":\"https://auth.example.com\"}" "$URL/v1/identity/oidc/config" >/dev/null
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"key":"default","client_id":"sts.amazonaws.com","ttl":"1h"}' \
    "$URL/v1/identity/oidc/role/rs256"
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"algorithm":"ES256","allowed_client_ids":"*"}' \
    "$URL/v1/identity/oidc/key/ec" >/dev/null
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"key":"ec","client_id":"sts.aliyuncs.com","ttl":"1h"}' \
    "$URL/v1/identity/oidc/role/es256"
  }
  d=$(data "token-$store" 2)
  TOKEN=$(curl -sf -X POST -d "$(head -1 "$d/login-bodies.txt")" "$URL/v1/auth/alicloud/login" \
    | sed 's/.*"client_token":"\([^"]*\)".*/\1/')
  read -r n bad p50 svc jit < <(cpu_per "cpu-lookup-$store" -H "X-Vault-Token: $TOKEN" "$URL/v1/auth/token/lookup-self")
  CPU_ROWS+=("| $store | lookup-self | $n | $bad | $p50 | $svc µs | $jit µs |")
  for alg in $([ "$store" != baseline ] && echo rs256 es256); do
    wrk -t2 -c4 -d"$DURATION" -H "X-Vault-Token: $TOKEN" "$URL/v1/identity/oidc/token/$alg" > /dev/null # warm-up
    read -r n bad p50 svc jit < <(cpu_per "cpu-mint-$alg-$store" -H "X-Vault-Token: $TOKEN" "$URL/v1/identity/oidc/token/$alg")
    CPU_ROWS+=("| $store | identity token, ${alg^^} | $n | $bad | $p50 | $svc µs | $jit µs |")
  done

  for c in $LEVELS; do
    d=$(data "login-$store-$c" $(( c == 1 ? 30000 : 60000 )))
    read -r n rps p50 p99 bad < <(logins "login-$store-$c" "$c" "$d")
    echo "| $store | login | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
    sent=$(( sent + n ))
    [ "$c" = 1 ] && RATIO_ROWS+=("| $store | login p50 minus direct STS p50, one at a time | $(awk -v a="$(ms "$p50_login")" -v b="$(ms "${STS_P50[1]}")" 'BEGIN {printf "%.2f ms", a - b}') |")
  done
  for c in 8 32; do
    read -r n rps p50 p99 bad < <(measure "lookup-$store-$c" "$c" -H "X-Vault-Token: $TOKEN" "$URL/v1/auth/token/lookup-self")
    echo "| $store | lookup-self | $c | $rps | $p50 | $p99 | $bad |" >> "$RESULTS"
  done
  if [ "$store" != postgresql ]; then # the H2 file as it is while the service runs (closing compacts it)
    RATIO_ROWS+=("| $store | H2 file after $sent logins, while it runs | $(( $(stat -c %s "${QUARKUS_DATASOURCE_JDBC_URL#jdbc:h2:file:}.mv.db") / 1048576 )) MiB |")
  fi
  stop
done

# A realistic STS: the stand-in answering after BENCH_STS_DELAY ms (20), called directly, through two relays (the
# least any login service does: BenchTools relay sends each request on as it came, answering on its event loop, and
# waiting for the answer on a worker thread as a login does), and through the service (plain jar, H2), with the
# default STS slots (64) and with 256: does a login cost its round trip and no more while many are in flight? Each
# is measured in 10 s windows once C2 has settled (about 120,000 logins on 2 cores: 60 s at 4 in flight against the
# instant stand-in, then 30 s at 32 against the slow one), one after the other in each round, so that every ratio
# is to the direct calls of its own round; the relays show what this machine, shared with wrk and the stand-in,
# leaves for a service.
DELAY="${BENCH_STS_DELAY:-20}"
ROUNDS="${BENCH_STS_ROUNDS:-3}"
java -cp "$CP" io.alicloudauth.bench.BenchTools sts "$OUT/sts-slow.port" "$DELAY" > "$OUT/sts-slow.log" 2>&1 &
SLOW_PID=$!
RELAY_PIDS=
trap 'kill $STS_PID $SLOW_PID $RELAY_PIDS ${APP_PID:-} 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$OUT/sts-slow.port" ] && break; sleep 0.1; done
SLOW="http://127.0.0.1:$(cat "$OUT/sts-slow.port")"
declare -A RELAY_URL RELAY_PID
for r in loop worker; do
  java -XX:-UseDynamicNumberOfCompilerThreads -cp "$CP" io.alicloudauth.bench.BenchTools relay "$OUT/relay-$r.port" \
    "$SLOW" "$r" > "$OUT/relay-$r.log" 2>&1 &
  RELAY_PID[$r]=$!; RELAY_PIDS="$RELAY_PIDS $!"
  for _ in $(seq 1 100); do [ -s "$OUT/relay-$r.port" ] && break; sleep 0.1; done
  RELAY_URL[$r]="http://127.0.0.1:$(cat "$OUT/relay-$r.port")"
  d=$(data "relay-warmup-$r" 80000)
  wrk -t2 -c4 -d20s -s src/bench/wrk-lines.lua "${RELAY_URL[$r]}" -- "$d/sts-paths.txt" sts 2 > /dev/null
done
LATENCY_ROWS=()
# window LABEL CONCURRENCY URL MODE PID -> a row; PID "-" is the stand-in called directly, whose figure (DIRECT_RPS)
# the windows after it in its round are measured against
window() {
  local label=$1 c=$2 url=$3 mode=$4 pid=$5 name d f s0=0 j0=0 s1=0 j1=0 n rps p50 p99 bad cpu workers=-
  name="slow-${label//[^a-z0-9]/}-$c-$RANDOM"
  d=$(data "$name" 80000)
  f=sts-paths.txt; [ "$mode" = login ] && f=login-bodies.txt
  [ "$pid" != - ] && read -r s0 j0 < <(src/bench/cpu.sh "$pid")
  read -r n rps p50 p99 bad < <(DURATION=10s measure "$name" "$c" -s src/bench/wrk-lines.lua "$url" -- "$d/$f" \
    "$mode" "$(threads "$c")")
  [ "$pid" != - ] && read -r s1 j1 < <(src/bench/cpu.sh "$pid")
  [ "$pid" = - ] && DIRECT_RPS=$rps # nothing in front of the stand-in: the direct calls
  cpu=-; [ "$pid" != - ] && cpu="$(( (s1 - s0) * 1000 / n )) / $(( (j1 - j0) * 1000 / n )) µs"
  [ "$mode" = login ] && workers=$(grep -l '^executor-thread' /proc/"$pid"/task/*/comm 2>/dev/null | wc -l)
  LATENCY_ROWS+=("| $label | $c | $rps | $p50 | $p99 | $bad | $(awk -v a="$rps" -v b="$DIRECT_RPS" 'BEGIN {printf "%.2f", a / b}') | $cpu | $workers |")
}
for slots in 64 256; do
  RUN=latency-$slots
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2-latency-$slots/db"
  unset QUARKUS_DATASOURCE_USERNAME || true
  export ALICLOUD_AUTH_STS_MAX_CONCURRENT_CALLS=$slots
  start "$OUT/plain-app" java -XX:-UseDynamicNumberOfCompilerThreads
  unset ALICLOUD_AUTH_STS_MAX_CONCURRENT_CALLS
  setup > /dev/null
  d=$(data "latency-warmup-$slots" 120000)
  wrk -t2 -c4 -d60s -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 2 > /dev/null
  curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$SLOW\"}" "$URL/v1/auth/alicloud/config"
  d=$(data "latency-warmup-slow-$slots" 60000)
  wrk -t2 -c32 -d30s -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 2 > /dev/null
  # the relays and the 128 figures once, with the default slots; 256 slots for one round, to show what they bound
  for round in $(seq 1 "$([ "$slots" = 64 ] && echo "$ROUNDS" || echo 1)"); do
    window "STS stand-in (${DELAY} ms), called directly, round $round" 32 "$SLOW" sts -
    if [ "$slots" = 64 ]; then
      window "relay, on its event loop, round $round" 32 "${RELAY_URL[loop]}" sts "${RELAY_PID[loop]}"
      window "relay, waiting on a worker, round $round" 32 "${RELAY_URL[worker]}" sts "${RELAY_PID[worker]}"
    fi
    window "login, STS slots $slots, round $round" 32 "$URL" login "$APP_PID"
  done
  window "STS stand-in (${DELAY} ms), called directly" 128 "$SLOW" sts -
  window "login, STS slots $slots" 128 "$URL" login "$APP_PID"
  stop
done

# Start to ready, plain jar (Java 17) and fast-start artifact (JDK 25 + AOT cache, from its directory and from another
# one), alternately, 5 times each, H2.
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2-start/db"
unset QUARKUS_DATASOURCE_USERNAME || true
PLAIN=(); FAST=(); ELSEWHERE=()
AOT_ABS="$PWD/$OUT/aot-app"
for i in 1 2 3 4 5; do
  RUN=start-plain-$i; start "$OUT/plain-app" java; PLAIN+=("$START_MS"); PLAIN_RSS=$(rss_mib "$APP_PID"); stop
  # shellcheck disable=SC2086
  RUN=start-aot-$i; start "$OUT/aot-app" "$JAVA25" -XX:AOTCache=app.aot -XX:AOTMode=on $SMALL_FLAGS; FAST+=("$START_MS")
  FAST_RSS=$(rss_mib "$APP_PID"); stop
  # the same artifact by absolute paths from another working directory (a systemd unit, a script)
  # shellcheck disable=SC2086
  RUN=start-aot-elsewhere-$i; JAR="$AOT_ABS/quarkus-run.jar" start "$OUT" "$JAVA25" -XX:AOTCache="$AOT_ABS/app.aot" \
    -XX:AOTMode=on $SMALL_FLAGS; ELSEWHERE+=("$START_MS"); stop
done
median() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
plain_ms=$(median "${PLAIN[@]}"); fast_ms=$(median "${FAST[@]}"); elsewhere_ms=$(median "${ELSEWHERE[@]}")
if grep -q "\[error" "$OUT/app-start-aot-1.log"; then
  echo "the AOT cache was refused:" >&2; grep "\[error" "$OUT/app-start-aot-1.log" >&2
fi

# The fast-start artifact under the container's memory limit: BENCH_SMALL_LOGINS (40,000) logins at concurrency 32,
# every status counted, the RSS sampled every 0.2 s (its peak is what a memory limit kills on; 20,000 hid a heap
# that thrashed once the load lasted). BENCH_SMALL_BASELINE_FLAGS: earlier flags, measured the same way first (side
# by side in one run).
SMALL_LOGINS="${BENCH_SMALL_LOGINS:-40000}"
# small_run NAME LABEL FLAGS... -> a row for the figures table
small_run() {
  local name=$1 label=$2; shift 2
  RUN=small-$name
  rm -rf "$OUT/h2-small"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2-small/db"
  start "$OUT/aot-app" "$JAVA25" -XX:AOTCache=app.aot -XX:AOTMode=on "$@"
  setup > /dev/null
  ( while kill -0 "$APP_PID" 2>/dev/null; do ps -o rss= -p "$APP_PID" || true; sleep 0.2; done ) > "$OUT/$RUN-rss.txt" &
  local sampler=$! d wrk_pid t0 sent bad rss peak ooms
  d=$(data "$RUN" $((SMALL_LOGINS + 2000))) # more lines than logins: wrk-lines-once.lua never sends one twice
  rm -f "$OUT/$RUN-done".*
  t0=$(date +%s%N)
  wrk -t2 -c32 -d900s -s src/bench/wrk-lines-once.lua "$URL" -- "$d/login-bodies.txt" login 2 "$SMALL_LOGINS" \
    "$OUT/$RUN-done" \
    > "$OUT/$RUN.txt" 2>&1 &
  wrk_pid=$!
  until [ -e "$OUT/$RUN-done.0" ] && [ -e "$OUT/$RUN-done.1" ]; do kill -0 $wrk_pid 2>/dev/null || break; sleep 0.2; done
  kill -INT $wrk_pid 2>/dev/null || true; wait $wrk_pid || true
  sent=$(awk '/requests in/ {print $1}' "$OUT/$RUN.txt")
  bad=$(awk '/Non-2xx/ {print $5}' "$OUT/$RUN.txt")
  rss=$(rss_mib "$APP_PID")
  kill $sampler 2>/dev/null || true
  peak=$(sort -n "$OUT/$RUN-rss.txt" | tail -1 | awk '{printf "%d", $1/1024}')
  ooms=$(grep -c OutOfMemoryError "$OUT/app-$RUN.log" || true)
  stop
  echo "| h2 | fast-start artifact, $label, -XX:MaxRAM=256m: $sent logins at 32 in $(( ($(date +%s%N) - t0) / 1000000000 )) s; RSS at the end / at its peak | $rss / $peak MiB (${bad:-0} non-2xx, $ooms OutOfMemoryError) |"
}
SMALL_ROWS=()
# shellcheck disable=SC2086
[ -n "${BENCH_SMALL_BASELINE_FLAGS:-}" ] && SMALL_ROWS+=("$(small_run baseline "earlier flags" $BENCH_SMALL_BASELINE_FLAGS)")
# shellcheck disable=SC2086
SMALL_ROWS+=("$(small_run container "the container's flags" $SMALL_FLAGS)")

{
  echo
  echo "One request at a time after the warm-up (service CPU: the whole process less its JIT compiler threads):"
  echo
  echo "| store | what | requests | non-2xx | p50 | service CPU per request | JIT CPU per request |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${CPU_ROWS[@]}"
  echo
  echo "Against an STS that answers in ${DELAY} ms (h2, plain jar; ratio: requests/s over the stand-in's own, called"
  echo "directly by the same load generator at the same concurrency in the same round; CPU per request of the relay"
  echo "or the service in front of the stand-in, JIT threads apart; 10 s windows after about 120,000 logins):"
  echo
  echo "| what | concurrency | requests/s | p50 | p99 | non-2xx | ratio | CPU / JIT per request | worker threads |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${LATENCY_ROWS[@]}"
  echo
  echo "| store | figure | value |"
  echo "|---|---|---|"
  printf '%s\n' "${RATIO_ROWS[@]}"
  echo "| h2 | start to ready, fast-start artifact / plain jar (medians of 5) | $(awk -v a="$fast_ms" -v b="$plain_ms" 'BEGIN {printf "%.2f", a / b}') ($fast_ms ms / $plain_ms ms) |"
  echo "| h2 | start to ready, fast-start artifact from another directory / plain jar (medians of 5) | $(awk -v a="$elsewhere_ms" -v b="$plain_ms" 'BEGIN {printf "%.2f", a / b}') ($elsewhere_ms ms / $plain_ms ms) |"
  echo "| h2 | RSS after start: plain jar (Java 17, no limit) / fast-start artifact (256 MiB flags) | $PLAIN_RSS MiB / $FAST_RSS MiB |"
  printf '%s\n' "${SMALL_ROWS[@]}"
} >> "$RESULTS"
cat "$RESULTS"
