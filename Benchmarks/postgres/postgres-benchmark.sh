#!/usr/bin/env bash
# The collector on PostgreSQL beside SQLite, in one run, on 127.0.0.1 with the release build:
#   swift build -c release --product energymon-collector
#   Benchmarks/postgres/postgres-benchmark.sh [--stats-readings N]   (default 10,000,000)
# 1. Batched ingest (500 readings a request, 32 forwarders, wrk + forwarder500.lua) into SQLite,
#    then into PostgreSQL through one collector, then through two (16 forwarders each), with the
#    CPU seconds per million readings of each collector and of PostgreSQL (all its processes).
# 2. /api/stats latency with N readings stored in PostgreSQL (loaded through the collector), after
#    a checkpoint.
# A private cluster (initdb in a temp folder, as the postgres user when root) on a free port;
# everything started here is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
stats_readings=10000000
[[ ${1:-} == --stats-readings ]] && stats_readings=$2
bin=.build/release
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -n ${pg_pid:-} ]] && kill -INT "$pg_pid" 2>/dev/null && sleep 2
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }

mkdir "$work/pg"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work/pg"
as_postgres "$pg/initdb" -D "$work/pg/data" -U energymon --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
pg_port=25$((RANDOM % 900 + 100))
as_postgres sh -c "exec '$pg/postgres' -D '$work/pg/data' -c listen_addresses=127.0.0.1 -c port=$pg_port \
  -c unix_socket_directories='$work/pg' -c shared_buffers=2GB -c max_wal_size=8GB -c checkpoint_timeout=30min \
  -c max_connections=100 > '$work/pg/log' 2>&1" &
pg_pid=$!
for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.1; done
db_url="postgres://energymon@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL 15 on port $pg_port (fsync on, synchronous_commit on, shared_buffers 2GB)"

start_collector() {  # port, --db value
  "$bin/energymon-collector" --port "$1" --db "$2" >"$work/collector-$1.log" 2>&1 &
  pids+=($!)
  eval "collector_$1=$!"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done
  echo "collector did not start" >&2; exit 1
}
stop_collector() { local pid; eval "pid=\$collector_$1"; kill "$pid"; wait "$pid" 2>/dev/null || true; }
stored() {  # readings stored, from /api/stats
  curl -s "http://127.0.0.1:$1/api/stats" | { grep -o '"count":[0-9]*' || true; } | awk -F: '{ t += $2 } END { print t + 0 }'
}
cpu_seconds() {  # utime + stime of the given pids, in seconds
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total $(getconf CLK_TCK)" | awk '{ printf "%.2f", $1 / $2 }'
}
postgres_pids() { pgrep -u postgres -f "postgres" | tr '\n' ' '; }
postgres_cpu() {  # every postgres process, the ones that ended included (cutime of the postmaster)
  local live; live=$(cpu_seconds $(postgres_pids))
  local reaped; reaped=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($16 + $17) / hz }' "/proc/$pg_pid/stat")
  echo "$live $reaped" | awk '{ printf "%.2f", $1 + $2 }'
}

ingest() {  # title, seconds, then ports
  local title=$1 seconds=$2; shift 2
  local before=0 port
  for port in "$@"; do before=$((before + $(stored "$port"))); done
  local per=$((32 / $#))
  local c_before=() p_before; p_before=$(postgres_cpu)
  for port in "$@"; do local pid; eval "pid=\$collector_$port"; c_before+=("$(cpu_seconds "$pid")"); done
  local started; started=$(date +%s.%N)
  local loads=()
  for port in "$@"; do
    wrk -t2 -c"$per" -d"${seconds}s" -s Benchmarks/wrk/forwarder500.lua "http://127.0.0.1:$port/energy" -- "p$port" \
      >"$work/wrk-$port.txt" &
    loads+=($!)
  done
  wait "${loads[@]}"
  local elapsed; elapsed=$(echo "$(date +%s.%N) - $started" | bc)
  local after=0; for port in "$@"; do after=$((after + $(stored "$port"))); done
  # With two collectors on one database, each sees every reading: count once.
  [[ $# -gt 1 ]] && after=$(stored "$1") && before=$((before / $#))
  local readings=$((after - before))
  echo "== $title: $readings readings in ${elapsed%.*} s = $(echo "$readings / $elapsed" | bc) readings/s"
  for port in "$@"; do grep -E " 50%| 99%|Requests/sec" "$work/wrk-$port.txt" | tr -s ' ' | sed "s/^/   collector :$port /"; done
  local i=0 millions; millions=$(echo "scale=6; $readings / 1000000" | bc)
  for port in "$@"; do
    local pid; eval "pid=\$collector_$port"
    local used; used=$(echo "$(cpu_seconds "$pid") - ${c_before[$i]}" | bc)
    echo "   collector :$port CPU $used s = $(echo "scale=2; $used / $millions" | bc) s per million readings"
    i=$((i + 1))
  done
  local pg_used; pg_used=$(echo "$(postgres_cpu) - $p_before" | bc)
  [[ $title == *PostgreSQL* ]] && echo "   postgres (all processes) CPU $pg_used s = $(echo "scale=2; $pg_used / $millions" | bc) s per million readings"
  return 0
}

start_collector 5101 "$work/c.sqlite"
ingest "SQLite, one collector, 32 forwarders" 20 5101
stop_collector 5101

start_collector 5102 "$db_url"
ingest "PostgreSQL, one collector, 32 forwarders" 20 5102
start_collector 5103 "$db_url"
ingest "PostgreSQL, two collectors, 16 forwarders each" 20 5102 5103
stop_collector 5103

echo "== loading PostgreSQL to $stats_readings readings"
while (($(stored 5102) < stats_readings)); do
  wrk -t2 -c32 -d30s -s Benchmarks/wrk/forwarder500.lua "http://127.0.0.1:5102/energy" -- "load$RANDOM" >/dev/null
done
echo "   $(stored 5102) readings stored; $(psql -h 127.0.0.1 -p "$pg_port" -U energymon -d postgres -Atc "SELECT count(*) FROM pg_inherits WHERE inhparent = 'readings'::regclass") partitions"
# Measured at rest: the checkpoint and autovacuum that follow 10 million inserts are not
# /api/stats's cost (they share the two cores with it otherwise).
psql -q -h 127.0.0.1 -p "$pg_port" -U energymon -d postgres -c "CHECKPOINT" -c "VACUUM ANALYZE devices"
sleep 5
for clients in 1 4 8; do
  echo "== /api/stats, $clients clients, $(stored 5102) readings in PostgreSQL"
  wrk -t1 -c"$clients" -d10s --latency "http://127.0.0.1:5102/api/stats" | grep -E "Requests/sec| 50%| 90%| 99%"
done
