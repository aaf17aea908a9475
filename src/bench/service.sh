# Sourced by the src/bench scripts (from the project's root, with OUT, CP, PORT and ROOT set).
# stand_in NAME [DELAY_MS] starts the STS stand-in (BenchTools sts: real signature, nonce and timestamp checks),
# answering after DELAY_MS if given, its port file and log under $OUT/NAME.*, and waits until it listens;
# STAND_IN_PID is its process, STAND_IN_URL its address. Every stand-in and the service (APP_PID) are stopped when
# the script exits, and waited for: the next script started right after must not find their port or file still held.
STAND_INS=; APP_PID=
trap 'kill $STAND_INS ${APP_PID:-} 2>/dev/null || true; wait $STAND_INS ${APP_PID:-} 2>/dev/null || true' EXIT
stand_in() {
  java -cp "$CP" io.alicloudauth.bench.BenchTools sts "$OUT/$1.port" ${2:+"$2"} > "$OUT/$1.log" 2>&1 &
  STAND_IN_PID=$!
  STAND_INS="$STAND_INS $STAND_IN_PID"
  for _ in $(seq 1 100); do [ -s "$OUT/$1.port" ] && break; sleep 0.1; done
  STAND_IN_URL="http://127.0.0.1:$(cat "$OUT/$1.port")"
}

# start_service APP_DIR JAVA [flags...] starts APP_DIR's quarkus-run.jar on a fresh H2 file under $OUT, rate limits
# off, and waits for its first ready probe; APP_PID is its process, READY_MS the time that took.
start_service() {
  local dir=$1 t0 h2="$PWD/$OUT/h2/db"; shift # (the path taken here: inside the subshell $PWD is APP_DIR)
  t0=$(date +%s%N)
  (cd "$dir" && QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALICLOUD_AUTH_ROOT_TOKEN=$ROOT \
    ALICLOUD_AUTH_SEAL_KEY=YmVuY2gtc2VhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA= ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE=0 QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$h2" \
    MALLOC_ARENA_MAX=2 exec "$@" -jar quarkus-run.jar) > "$OUT/app.log" 2>&1 &
  APP_PID=$!
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do
    kill -0 $APP_PID 2>/dev/null || { echo "the service did not start: $OUT/app.log" >&2; exit 1; }
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
