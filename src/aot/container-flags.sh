#!/usr/bin/env bash
# Prints the JVM flags of deploy/container/Dockerfile.jvm's ENTRYPOINT (all but -XX:AOTCache, which each caller names
# itself), one line, so that the benchmark and the AOT check run the service exactly as the container does.
set -euo pipefail
cd "$(dirname "$0")/../.."
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' deploy/container/Dockerfile.jvm | grep '^ENTRYPOINT' \
  | grep -o '"[^"]*"' | tr -d '"' | sed -n '/^java$/,/^-jar$/p' | grep -v -e '^java$' -e '^-jar$' -e '^-XX:AOTCache=' \
  | paste -sd' '
