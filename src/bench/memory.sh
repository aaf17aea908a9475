#!/usr/bin/env bash
# Memory of one JVM configuration under load (not a test): starts APP_DIR's quarkus-run.jar with the given java and
# flags on a fresh H2 file, sends LOGINS logins at concurrency C against the STS stand-in (each its own signed
# request), and prints the time to ready, logins/s, non-2xx, RSS at the end and at its peak (sampled every 0.2 s), and
# the largest mappings (the AOT cache, anonymous memory, malloc's heap, libjvm). NMT=1 adds the JVM's own summary
# (start the JVM with -XX:NativeMemoryTracking=summary), HISTO=1 the live heap's total and its
# largest classes (all of them in target/bench-memory/histogram.txt). Run after ./mvnw package.
#   src/bench/memory.sh target/quarkus-app 20000 32 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:AOTCache=app.aot \
#     -XX:MaxRAM=256m $(src/aot/container-flags.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
APP_DIR=$(cd "$1" && pwd); LOGINS=$2; C=$3; shift 3
OUT=target/bench-memory; rm -rf "$OUT"; mkdir -p "$OUT"
PORT=${BENCH_PORT:-18400}; ROOT=bench-root-token-0123456789; URL=http://127.0.0.1:$PORT
CP="target/test-classes:target/classes:$APP_DIR/lib/main/*"
# shellcheck source=src/bench/service.sh
. src/bench/service.sh
stand_in sts
STS=$STAND_IN_URL
java -cp "$CP" io.alicloudauth.bench.BenchTools data "$((LOGINS + 2000))" "$OUT/data" >/dev/null
start_service "$APP_DIR" "$@"
echo "ready_ms=$READY_MS rss_after_start=$(ps -o rss= -p $APP_PID | awk '{print int($1/1024)}') MiB"
curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$STS\"}" "$URL/v1/auth/alicloud/config"
curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev"}' \
  "$URL/v1/auth/alicloud/role/dev-role"
( while kill -0 $APP_PID 2>/dev/null; do ps -o rss= -p $APP_PID 2>/dev/null || true; sleep 0.2; done ) > "$OUT/rss.txt" &
SAMPLER=$!
t1=$(date +%s%N)
wrk -t2 -c"$C" -d900s -s src/bench/wrk-lines-once.lua "$URL" -- "$OUT/data/login-bodies.txt" login 2 "$LOGINS" \
  "$OUT/done" > "$OUT/wrk.txt" 2>&1 &
WRK=$!
until [ -e "$OUT/done.0" ] && [ -e "$OUT/done.1" ]; do kill -0 $WRK 2>/dev/null || break; sleep 0.2; done
kill -INT $WRK 2>/dev/null || true; wait $WRK || true
kill $SAMPLER 2>/dev/null || true
echo "logins_per_s=$(( LOGINS * 1000000000 / ($(date +%s%N) - t1) )) non_2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt" | grep . || echo 0)" \
  "rss_end=$(ps -o rss= -p $APP_PID | awk '{print int($1/1024)}') MiB rss_peak=$(sort -n "$OUT/rss.txt" | tail -1 | awk '{print int($1/1024)}') MiB" \
  "out_of_memory=$(grep -c OutOfMemoryError "$OUT/app.log" || true)"
if [ -n "${HISTO:-}" ]; then
  jcmd $APP_PID GC.class_histogram > "$OUT/histogram.txt"
  tail -1 "$OUT/histogram.txt" | awk '{printf "live heap after a full collection: %d KiB; largest:\n", $3/1024}'
  sed -n '4,15p' "$OUT/histogram.txt"
fi
[ -n "${NMT:-}" ] && jcmd $APP_PID VM.native_memory summary | grep -E "^-|Total" | grep -v "^ *(" | sed 's/(reserved=[0-9]*KB, //'
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6; if (name == "") name="[anonymous]"} /^Rss:/{rss[name]+=$2}
     END {for (k in rss) if (rss[k] > 2048) printf "%8d KiB %s\n", rss[k], k}' /proc/$APP_PID/smaps | sort -rn | head -6
