#!/usr/bin/env bash
# /api/energy with 10,000,000 readings stored (issue 10: p99 under 20 ms), on the release build:
#   swift build -c release --product energymon-collector
#   Benchmarks/energy-api/energy-api-benchmark.sh [readings]
# Loads the readings with wrk (two sources, ten devices, every 5 s each, from 2025-03-01),
# then asks five kinds of /api/energy question from 4 clients for 20 s. Everything runs on
# 127.0.0.1 in a temporary folder and is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-10000000}
bin=.build/release
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=5078
url=http://127.0.0.1:$port
cp data/tariff.json "$work/tariff.json"
"$bin/energymon-collector" --port $port --db "$work/c.sqlite" --tariff "$work/tariff.json" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done
stored() { curl -s "$url/api/stats" | { grep -o '"count":[0-9]*' || true; } | awk -F: '{ total += $2 } END { print total + 0 }'; }

started=$(date +%s)
while (( $(stored) < target )); do
  wrk -t2 -c8 -d20s -s Benchmarks/energy-api/load.lua "$url/energy" | grep -E "Requests/sec" || true
done
echo "stored $(stored) readings in $(( $(date +%s) - started )) s (database $(du -sh "$work" | cut -f1))"
for query in "/api/energy?period=day&from=2025-03-10&to=2025-04-08" "/api/energy?period=hour&from=2025-03-30&to=2025-03-30&device_id=T1D2"; do
  echo "GET $query -> $(curl -s "$url$query" | head -c 300)…"
done
echo "== /api/energy, 4 clients, 20 s, five kinds of question in turn"
wrk -t2 -c4 -d20s --latency -s Benchmarks/energy-api/query.lua "$url/" | grep -E "Requests/sec|Latency Distribution| 50%| 90%| 99%|requests in|Non-2xx"
echo "== /api/energy, 1 client"
wrk -t1 -c1 -d10s --latency -s Benchmarks/energy-api/query.lua "$url/" | grep -E "Requests/sec| 50%| 99%|Non-2xx"
