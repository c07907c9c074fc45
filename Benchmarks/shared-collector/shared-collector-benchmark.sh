#!/usr/bin/env bash
# A shared collector against one hostile home (issue 18), on the release build:
#   swift build -c release --product energymon-collector
#   Benchmarks/shared-collector/shared-collector-benchmark.sh
# 1. /api/stats p99 for home B, idle, then while home A posts at full speed (batches of 500 for
#    its devices, and requests that make new devices until its cap of 1000);
# 2. the collector's peak memory under 300 slow 4 MiB bodies of one home, with the limits and
#    with them lifted.
# Everything runs on 127.0.0.1 in a temporary folder and is stopped by its PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=Benchmarks/shared-collector
bin=.build/release
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=5079
url=http://127.0.0.1:$port
python3 - "$work/tokens.json" <<'PY'
import hashlib, json, sys
entry = lambda token, source: {"sha256": hashlib.sha256(token.encode()).hexdigest(), "sources": [source]}
json.dump({"tokens": [entry("home-A-secret", "home-A"), entry("home-B-secret", "home-B")]}, open(sys.argv[1], "w"))
PY
start_collector() {  # extra options...
  rm -f "$work"/c.sqlite*
  "$bin/energymon-collector" --port $port --db "$work/c.sqlite" --tokens "$work/tokens.json" "$@" >"$work/collector.log" 2>&1 &
  collector=$!
  pids+=($collector)
  for _ in $(seq 50); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.1; done
  echo "collector did not start" >&2; exit 1
}
stop_collector() { kill "$collector"; wait "$collector" 2>/dev/null || true; }
p99() { grep -E " 99%" | awk '{ print $2 }'; }

echo "== 1. /api/stats of home B while home A posts"
start_collector --max-new-devices-per-minute 0
# Home B: 10 devices with a reading each.
curl -sf -H "Content-Type: application/json" -H "Authorization: Bearer home-B-secret" --data-binary \
  "{\"source\":\"home-B\",\"readings\":[$(for i in $(seq 0 9); do printf '{"device_id":"B%d","timestamp":"2025-04-10T12:00:00Z","power":5,"seq":%d}' $i $i; [ $i -lt 9 ] && printf ,; done)]}" \
  "$url/energy" >/dev/null
idle=$(wrk -t1 -c2 -d10s --latency -s $here/home-b-stats.lua "$url/api/stats" | tee "$work/idle.txt" | p99)
echo "   idle:        p99 $idle ($(grep Requests/sec "$work/idle.txt" | awk '{ print $2 }') requests/s)"
wrk -t1 -c8 -d14s -s $here/new-devices.lua "$url/energy" > "$work/attack.txt" &
pids+=($!)
attack=$!
sleep 2
busy=$(wrk -t1 -c2 -d10s --latency -s $here/home-b-stats.lua "$url/api/stats" | tee "$work/busy.txt" | p99)
wait $attack || true
echo "   under attack: p99 $busy ($(grep Requests/sec "$work/busy.txt" | awk '{ print $2 }') requests/s)"
echo "   home A: $(grep -E 'Requests/sec' "$work/attack.txt" | awk '{ print $2 }') requests/s of 100 readings, $(grep -E 'Non-2xx' "$work/attack.txt" | awk '{ print $5 }') refused (429), devices: $(curl -s -H 'Authorization: Bearer home-A-secret' "$url/api/stats" | grep -o '"count"' | wc -l)"
stop_collector

echo "== 2. 300 slow 4 MiB bodies of one home"
start_collector --body-timeout 120
echo "   with the limits (--max-inflight-mb 256 --max-requests-per-token 16): $(python3 $here/slow-bodies.py $port $collector home-A-secret)"
stop_collector
start_collector --body-timeout 120 --max-inflight-mb 65536 --max-requests-per-token 0
echo "   limits lifted (--max-inflight-mb 65536 --max-requests-per-token 0):  $(python3 $here/slow-bodies.py $port $collector home-A-secret)"
stop_collector
