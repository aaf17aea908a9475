#!/usr/bin/env bash
# Prints the JVM flags of deploy/container/Dockerfile.jvm (all but -XX:AOTCache, which each caller names itself), one
# line, so that the benchmark and the AOT check run the service exactly as the container does:
#   container-flags.sh          the ENTRYPOINT's (the service)
#   container-flags.sh check    the build-time RUN check's (login --help with -XX:AOTMode=on)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "${1:-}" = check ] && instruction=RUN || instruction=ENTRYPOINT
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' deploy/container/Dockerfile.jvm | grep "^$instruction *\[ *\"java\"" \
  | grep -o '"[^"]*"' | tr -d '"' | sed -n '/^java$/,/^-jar$/p' | grep -v -e '^java$' -e '^-jar$' -e '^-XX:AOTCache=' \
  | paste -sd' '
