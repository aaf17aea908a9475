# Sourced by src/bench/memory.sh and windows.sh (from the project's root, with OUT, PORT and ROOT set):
# start_service APP_DIR JAVA [flags...] starts APP_DIR's quarkus-run.jar on a fresh H2 file under $OUT, rate limits
# off, and waits for its first ready probe; APP_PID is its process, READY_MS the time that took.
start_service() {
  local dir=$1 t0; shift
  t0=$(date +%s%N)
  (cd "$dir" && QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) ALICLOUD_AUTH_ROOT_TOKEN=$ROOT \
    ALICLOUD_AUTH_SEAL_KEY=YmVuY2gtc2VhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA= ALICLOUD_AUTH_LOGIN_RATE_PER_ADDRESS=0 \
    ALICLOUD_AUTH_LOGIN_RATE_PER_ROLE=0 QUARKUS_DATASOURCE_JDBC_URL="jdbc:h2:file:$PWD/$OUT/h2/db" \
    MALLOC_ARENA_MAX=2 exec "$@" -jar quarkus-run.jar) > "$OUT/app.log" 2>&1 &
  APP_PID=$!
  until curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null; do
    kill -0 $APP_PID 2>/dev/null || { echo "the service did not start: $OUT/app.log" >&2; exit 1; }
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
