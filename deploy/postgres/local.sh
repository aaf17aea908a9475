#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for the tests on 127.0.0.1:55432 (trust auth, data in /tmp/alicloud-auth-pg)
# and creates the database alicloud_auth_test. Installs Debian's postgresql-15 if it is missing. Needs root.
# Idempotent: an instance already answering on the port is left as it is.
set -euo pipefail

PORT="${PGPORT_TEST:-55432}"
DATA="${PGDATA_TEST:-/tmp/alicloud-auth-pg}"
BIN=/usr/lib/postgresql/15/bin

if [ ! -x "$BIN/pg_ctl" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

if runuser -u postgres -- "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "postgres: already running on 127.0.0.1:$PORT"
else
  if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    chown postgres:postgres "$DATA"
    runuser -u postgres -- "$BIN/initdb" -D "$DATA" -U postgres --auth=trust >/dev/null
  fi
  runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  echo "postgres: started on 127.0.0.1:$PORT"
fi

for _ in $(seq 1 30); do
  runuser -u postgres -- "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done

if ! runuser -u postgres -- psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
    "select 1 from pg_database where datname = 'alicloud_auth_test'" | grep -q 1; then
  runuser -u postgres -- psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "create database alicloud_auth_test"
fi
