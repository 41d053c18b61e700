#!/usr/bin/env bash
# Starts what the tests need when it is not running: Redis on 127.0.0.1:6390 and the local PostgreSQL.
# Under CI (CI=true) a service that cannot be started fails the run; elsewhere the tests that need it skip.
set -uo pipefail
REDIS_PORT="${ANTRE_TEST_REDIS_PORT:-6390}"
PG_URL="${ANTRE_TEST_PG_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}"
fail=0

if command -v redis-server >/dev/null; then
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --logfile /tmp/antre-test-redis.log >/dev/null
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || { echo "services: Redis did not start on $REDIS_PORT" >&2; fail=1; }
else
  echo "services: redis-server is not installed" >&2; fail=1
fi

if command -v pg_isready >/dev/null; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
      for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.1; done
    fi
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    if ! psql "$PG_URL" -qtAc 'select 1' >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
      # A fresh Debian cluster wants a password on TCP: give the test role the one in ANTRE_TEST_PG_URL.
      runuser -u postgres -- psql -qc "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null 2>&1 || true
    fi
    psql "$PG_URL" -qtAc 'select 1' >/dev/null 2>&1 || { echo "services: cannot log in to PostgreSQL at $PG_URL" >&2; fail=1; }
  else
    echo "services: PostgreSQL is not running on 127.0.0.1:5432" >&2; fail=1
  fi
else
  echo "services: PostgreSQL client tools are not installed" >&2; fail=1
fi

if [ "$fail" != 0 ] && [ "${CI:-}" = "true" ]; then
  echo "services: required test services are missing under CI" >&2
  exit 1
fi
exit 0
