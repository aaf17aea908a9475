#!/usr/bin/env bash
# Logins against an STS that answers in BENCH_STS_DELAY ms (20), in consecutive windows (not a test): starts APP_DIR's
# quarkus-run.jar with the given java and flags on a fresh H2 file, warms it up for 60 s at 4 in flight against the
# instant stand-in, measures the delayed stand-in directly, then WINDOWS (6) windows of 10 s at C (32) in flight
# through the service. Per window: logins/s, p50/p99, the mean latency as wrk saw it and as the service's own timers
# did (the whole login, its STS call, the wait for its token's commit), the share of token writes that waited over
# 20 ms (stalls behind the store: the timer's bucket), the service's CPU and its JIT threads' per
# login, the stand-in's CPU per call, and the machine's busy and idle ticks (is it CPU-bound?).
# At the end, the H2 file's size.
# ASYNC_PROFILER=<libasyncProfiler.so> (tools.profiler:async-profiler on Maven Central carries it) writes each
# window's CPU profile, collapsed stacks; PROFILE_EVENT=wall,interval=2ms a wall-clock one instead (where threads wait).
#   src/bench/windows.sh target/quarkus-app java -XX:-UseDynamicNumberOfCompilerThreads
set -euo pipefail
cd "$(dirname "$0")/../.."
APP_DIR=$(cd "$1" && pwd); shift
OUT=target/bench-windows; rm -rf "$OUT"; mkdir -p "$OUT"
PORT=${BENCH_PORT:-18300}; ROOT=bench-root-token-0123456789; URL=http://127.0.0.1:$PORT
C=${C:-32}; WINDOWS=${WINDOWS:-6}; DELAY=${BENCH_STS_DELAY:-20}; PROFILE_EVENT=${PROFILE_EVENT:-cpu,interval=1ms}
CP="target/test-classes:target/classes:$APP_DIR/lib/main/*"
# shellcheck source=src/bench/service.sh
. src/bench/service.sh
stand_in sts; STS=$STAND_IN_URL
stand_in slow "$DELAY"; SLOW_PID=$STAND_IN_PID; SLOW=$STAND_IN_URL
start_service "$APP_DIR" "$@"
config() { curl -sf -X POST -H "X-Vault-Token: $ROOT" -d "{\"sts_endpoint\":\"$1\"}" "$URL/v1/auth/alicloud/config"; }
config "$STS"
curl -sf -X POST -H "X-Vault-Token: $ROOT" -d '{"arn":"acs:ram::1234567890123456:role/dev-role","token_policies":"dev"}' \
  "$URL/v1/auth/alicloud/role/dev-role"
data() { java -cp "$CP" io.alicloudauth.bench.BenchTools data "$2" "$OUT/data-$1" >/dev/null; echo "$OUT/data-$1"; }
rps() { awk '/Requests\/sec/ {print int($2)}' "$1"; }
d=$(data warm 80000)
wrk -t2 -c4 -d60s -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 2 > "$OUT/warm.txt"
d=$(data direct 60000)
wrk -t2 -c"$C" -d10s -s src/bench/wrk-lines.lua "$SLOW" -- "$d/sts-paths.txt" sts 2 > "$OUT/direct.txt"
direct=$(rps "$OUT/direct.txt")
echo "warm-up: $(rps "$OUT/warm.txt") logins/s at 4 against the instant stand-in; the ${DELAY} ms stand-in called directly at $C: $direct/s"
config "$SLOW"
# src/bench/cpu.sh PID -> service and JIT CPU in ms (the JIT threads found by their comm, which holds a space)
cpu() { src/bench/cpu.sh "$1"; }
machine() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $5 + $6}' /proc/stat; } # busy idle
# The service's own timers, summed over all outcomes: seconds and count of logins, of STS calls, of token writes,
# and the token writes done within 20 ms
timers() {
  curl -sf "http://127.0.0.1:$((PORT + 1))/q/metrics" | awk '
    /^alicloud_auth_logins_seconds_sum/ {ls += $2} /^alicloud_auth_logins_seconds_count/ {lc += $2}
    /^alicloud_auth_sts_calls_seconds_sum/ {ss += $2} /^alicloud_auth_sts_calls_seconds_count/ {sc += $2}
    /^alicloud_auth_token_writes_seconds_sum/ {ws += $2} /^alicloud_auth_token_writes_seconds_count/ {wc += $2}
    /^alicloud_auth_token_writes_seconds_bucket\{le="0.02"/ {w20 += $2}
    END {printf "%.6f %d %.6f %d %.6f %d %d\n", ls, lc, ss, sc, ws, wc, w20}'
}
echo "| window | logins/s | ratio | p50 | p99 | mean: at wrk / in the service / its STS call / its token's write |" \
  "token writes over 20 ms | non-2xx |" \
  "service / JIT CPU per login | stand-in CPU per call | machine busy / idle ticks |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for w in $(seq 1 "$WINDOWS"); do
  d=$(data "window-$w" 60000)
  [ -n "${ASYNC_PROFILER:-}" ] && jcmd $APP_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=$PROFILE_EVENT,threads\"" >/dev/null
  read -r a0 j0 < <(cpu $APP_PID); read -r s0 sj0 < <(cpu $SLOW_PID); read -r b0 i0 < <(machine)
  read -r ls0 lc0 ss0 sc0 ws0 wc0 w200 < <(timers)
  wrk -t2 -c"$C" -d10s --latency -s src/bench/wrk-lines.lua "$URL" -- "$d/login-bodies.txt" login 2 > "$OUT/window-$w.txt"
  read -r a1 j1 < <(cpu $APP_PID); read -r s1 sj1 < <(cpu $SLOW_PID); read -r b1 i1 < <(machine)
  read -r ls1 lc1 ss1 sc1 ws1 wc1 w201 < <(timers)
  [ -n "${ASYNC_PROFILER:-}" ] && jcmd $APP_PID JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$PWD/$OUT/window-$w.collapsed,collapsed\"" >/dev/null
  n=$(awk '/requests in/ {print $1}' "$OUT/window-$w.txt")
  us() { echo $(( $1 * 1000 / n )); } # ms in all -> µs per login
  echo "| $w | $(rps "$OUT/window-$w.txt") | $(awk -v a="$(rps "$OUT/window-$w.txt")" -v b="$direct" 'BEGIN {printf "%.2f", a / b}') |" \
    "$(awk '$1 == "50%" {print $2}' "$OUT/window-$w.txt") | $(awk '$1 == "99%" {print $2}' "$OUT/window-$w.txt") |" \
    "$(awk '$1 == "Latency" && $2 != "Distribution" {print $2}' "$OUT/window-$w.txt") /" \
    "$(awk -v a="$ls0" -v b="$ls1" -v c="$lc0" -v d="$lc1" \
      -v e="$ss0" -v f="$ss1" -v g="$sc0" -v h="$sc1" -v i="$ws0" -v j="$ws1" -v k="$wc0" -v l="$wc1" \
      'BEGIN {printf "%.2fms / %.2fms / %.2fms", (b - a) * 1000 / (d - c), (f - e) * 1000 / (h - g),
        (l > k ? (j - i) * 1000 / (l - k) : 0)}') |" \
    "$(awk -v k="$wc0" -v l="$wc1" -v m="$w200" -v n="$w201" \
      'BEGIN {printf "%.1f%%", (l > k ? 100 * ((l - k) - (n - m)) / (l - k) : 0)}') |" \
    "$(awk '/Non-2xx/ {print $5}' "$OUT/window-$w.txt" | grep . || echo 0) |" \
    "$(us $(( a1 - a0 ))) / $(us $(( j1 - j0 ))) µs | $(us $(( s1 + sj1 - s0 - sj0 ))) µs | $(( b1 - b0 )) / $(( i1 - i0 )) |"
done
read -r _ logins _ < <(timers)
echo "H2 file after $logins logins (the warm-up's too): $(( $(stat -c %s "$OUT/h2/db.mv.db") / 1048576 )) MiB"
