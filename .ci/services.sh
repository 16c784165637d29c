#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback for the tests of the
# toolbar's stores (runtime/stores). CI runs it from .ci/run; run it
# yourself the same way:
#
#   eval "$(bash .ci/services.sh start)"   # exports DDT_TEST_POSTGRES, DDT_TEST_REDIS
#   go test ./runtime/stores/...
#   bash .ci/services.sh stop
#
#   bash .ci/services.sh install           # apt-get postgresql redis-server if missing
#
# Data lives in $DDT_SERVICES_DIR (default /tmp/ddt-services), owned by the
# user "postgres" when run as root (PostgreSQL refuses to run as root).
# Ports: $DDT_TEST_POSTGRES_PORT (54329) and $DDT_TEST_REDIS_PORT (63799).
# start prints the export lines on stdout, everything else on stderr.
set -euo pipefail

dir=${DDT_SERVICES_DIR:-/tmp/ddt-services}
pg_port=${DDT_TEST_POSTGRES_PORT:-54329}
redis_port=${DDT_TEST_REDIS_PORT:-63799}

log() { echo "services: $*" >&2; }

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] || { log "no PostgreSQL binaries (apt-get install postgresql)"; exit 1; }
  echo "$d"
}

# as_pg runs a command as the owner of the PostgreSQL data: postgres when
# root, else the current user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  local want=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || want+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
  if [ ${#want[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${want[@]}" >/dev/null
  fi
  # The packages start their own servers: stop them, the tests use theirs.
  command -v service >/dev/null 2>&1 && { service postgresql stop >/dev/null 2>&1 || true; service redis-server stop >/dev/null 2>&1 || true; }
  log "postgres: $("$(pg_bindir)/postgres" --version); redis: $(redis-server --version | cut -d' ' -f3)"
}

start() {
  mkdir -p "$dir"
  local bin pgdata=$dir/postgres
  bin=$(pg_bindir)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$pgdata" -U ddt --auth=trust -E UTF8 --no-sync >/dev/null
  fi
  as_pg "$bin/pg_ctl" -D "$pgdata" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c fsync=off -c synchronous_commit=off" start >&2
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$redis_port" ping >/dev/null || { log "redis did not start: $(cat "$dir/redis.log")"; exit 1; }
  log "postgres on 127.0.0.1:$pg_port, redis on 127.0.0.1:$redis_port (data in $dir)"
  echo "export DDT_TEST_POSTGRES='postgres://ddt@127.0.0.1:$pg_port/postgres?sslmode=disable'"
  echo "export DDT_TEST_REDIS='redis://127.0.0.1:$redis_port/0'"
}

stop() {
  local bin
  bin=$(pg_bindir)
  if [ -s "$dir/postgres/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/postgres" -m fast -w stop >&2 || true
  fi
  if [ -s "$dir/redis.pid" ]; then
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
  log "stopped"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
