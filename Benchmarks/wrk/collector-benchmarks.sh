#!/usr/bin/env bash
# Measures the collector and the forwarder on 127.0.0.1 with the release builds:
#   swift build -c release --product energymon-collector && swift build -c release --product energymon-tui
#   Benchmarks/wrk/collector-benchmarks.sh
# Each scenario starts from a fresh database in a temporary folder; every process started here
# is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=5077
url=http://127.0.0.1:$port

start_collector() {
  rm -f "$work"/c.sqlite*
  "$bin/energymon-collector" --port $port --db "$work/c.sqlite" >"$work/collector.log" 2>&1 &
  pids+=($!)
  collector=$!
  for _ in $(seq 50); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.1; done
  echo "collector did not start" >&2; exit 1
}
stop_collector() { kill "$collector"; wait "$collector" 2>/dev/null || true; }
stored() {  # the sum of every device's count; no Python here, it would cost the run a core
  curl -s "$url/api/stats" | { grep -o '"count":[0-9]*' || true; } | awk -F: '{ total += $2 } END { print total + 0 }'
}
run_wrk() {  # title, wrk arguments...
  local title=$1; shift
  echo "== $title"
  wrk "$@" | grep -E "Requests/sec|Latency Distribution| 50%| 99%|requests in"
}

start_collector
run_wrk "batches of 500 from 32 forwarders (source+seq, new data every request)" \
  -t2 -c32 -d10s --latency -s Benchmarks/wrk/forwarder500.lua "$url/energy"
run_wrk "batches of 500 from 8 forwarders" -t2 -c8 -d10s --latency -s Benchmarks/wrk/forwarder500.lua "$url/energy"
run_wrk "the same 500-reading array without source, 32 clients" \
  -t2 -c32 -d10s --latency -s Benchmarks/wrk/batch500.lua "$url/energy"
run_wrk "single-reading requests, 32 clients" -t2 -c32 -d10s --latency -s Benchmarks/wrk/single.lua "$url/energy"
echo "readings stored: $(stored)"
run_wrk "/api/stats, 8 clients" -t2 -c8 -d5s --latency "$url/api/stats"
echo "== /api/stats, 2 clients, while 8 forwarders send batches of 500"
wrk -t1 -c8 -d8s -s Benchmarks/wrk/forwarder500.lua "$url/energy" >/dev/null &
pids+=($!)
sleep 1
run_wrk "/api/stats under ingest" -t1 -c2 -d5s --latency "$url/api/stats"
wait "${pids[-1]}" || true
run_wrk "/healthz (the HTTP stack alone), 8 clients" -t2 -c8 -d5s --latency "$url/healthz"
stop_collector

echo "== forwarder draining a 1,000,000-reading backlog"
start_collector
mkdir -p "$work/monitor"
python3 Benchmarks/wrk/make_backlog.py "$work/monitor" 1000000
began=$(date +%s.%N)
"$bin/energymon-tui" --headless --collector "$url" --interval 3600 --data-dir "$work/monitor" >/dev/null 2>&1 &
pids+=($!)
monitor=$!
first=""
while true; do
  count=$(stored)
  now=$(date +%s.%N)
  if [ -z "$first" ] && [ "$count" -gt 0 ]; then first=$now; firstCount=$count; fi
  [ "$count" -ge 1000000 ] && break
  sleep 0.2
done
kill "$monitor"
python3 - "$began" "$first" "$firstCount" "$now" <<'PY'
import sys
began, first, first_count, done = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
print(f"from launch: {done - began:.1f} s = {1_000_000 / (done - began):,.0f} readings/s")
print(f"from the first reading stored: {done - first:.1f} s = {(1_000_000 - first_count) / (done - first):,.0f} readings/s")
PY
echo "readings stored: $(stored) (expected exactly 1000000)"
