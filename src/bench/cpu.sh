#!/usr/bin/env bash
# Used by src/bench/run.sh.
# cpu.sh PID -> "service_ms jit_ms": the process's CPU time (dead threads included), JIT compiler threads apart
# (run the JVM with -XX:-UseDynamicNumberOfCompilerThreads so that compiler threads never exit).
pid=$1; tick=$(getconf CLK_TCK)
read -r -a p < <(sed 's/^.*) //' /proc/$pid/stat)
total=$(( p[11] + p[12] ))
jit=0
for t in /proc/$pid/task/*; do
  comm=$(cat $t/comm 2>/dev/null) || continue
  case "$comm" in
    "C2 CompilerThre"*|"C1 CompilerThre"*)
      read -r -a f < <(sed 's/^.*) //' $t/stat); jit=$((jit + f[11] + f[12]));;
  esac
done
echo "$(( (total - jit) * 1000 / tick )) $(( jit * 1000 / tick ))"
