#!/usr/bin/env bash
# MQTT figures for the README, on a private mosquitto (127.0.0.1, a free port, stopped by pid):
#  1. a backlog of N readings drained at QoS 1 by energymon's publisher, then the same messages
#     published by paho-mqtt with the same in-flight window, in the same run; the ratio.
#  2. live QoS 0 publishing of 1,000 devices at 10 Hz: the monitor's CPU with --mqtt minus without.
#     Rounds alternate without and with, since the machine's noise is of the same size.
# Usage: Benchmarks/mqtt/mqtt-benchmarks.sh [--readings 1000000] [--inflight 20] [--seconds 60] [--rounds 3] [--live-only]
set -euo pipefail
cd "$(dirname "$0")/../.."
readings=1000000 inflight=20 seconds=60 rounds=3 live_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --readings) readings=$2; shift 2 ;;
    --inflight) inflight=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --live-only) live_only=1; shift ;;
    *) echo "usage: $0 [--readings N] [--inflight N] [--seconds S]" >&2; exit 2 ;;
  esac
done
python3 -c 'import paho.mqtt' 2>/dev/null || pip install --quiet paho-mqtt
swift build -c release --product mqtt-drain-benchmark >/dev/null
swift build -c release --product energymon-tui >/dev/null
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nuser root\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

if [ "$live_only" = 0 ]; then
echo "== backlog of $readings readings at QoS 1, in-flight $inflight, mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}')"
ours=$(.build/release/mqtt-drain-benchmark "$port" "$readings" "$inflight" "$work/drain")
echo "$ours"
theirs=$(python3 Benchmarks/mqtt/paho_drain.py "$port" "$readings" "$inflight")
echo "$theirs"
python3 - "$ours" "$theirs" <<'PY'
import sys, re
rate = lambda text: float(re.search(r"([0-9.]+) \w+/s$", text).group(1))
print("ratio: %.1fx" % (rate(sys.argv[1]) / rate(sys.argv[2])))
PY
fi

echo "== live: 1,000 devices at 10 Hz for $seconds s, QoS 0, $rounds rounds"
python3 - "$work/devices.json" <<'PY'
import json, sys
json.dump({"devices": [{"id": "D%04d" % i, "kind": "refrigerator", "period": 0.1} for i in range(1000)]}, open(sys.argv[1], "w"))
PY
cpu_of() { # user+system seconds of a pid, from /proc
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
measure() { # label, extra arguments...
  local label=$1; shift
  rm -rf "$work/data"
  .build/release/energymon-tui --headless --data-dir "$work/data" --devices "$work/devices.json" "$@" > /dev/null 2>&1 &
  local pid=$!
  sleep 5
  local start; start=$(cpu_of $pid)
  sleep "$seconds"
  local end; end=$(cpu_of $pid)
  kill -INT $pid; wait $pid || true
  python3 -c "print('%-22s %.2f s of CPU in %d s = %.2f %% of a core' % ('$label', $end - $start, $seconds, ($end - $start) * 100 / $seconds))"
  python3 -c "print($end - $start)" >> "$work/cpu-$label"
}
for _ in $(seq "$rounds"); do
  measure without-mqtt
  measure with-mqtt-qos0 --mqtt "mqtt://127.0.0.1:$port" --mqtt-qos 0
done
python3 - "$work/cpu-without-mqtt" "$work/cpu-with-mqtt-qos0" "$seconds" <<'PY'
import statistics, sys
without = [float(x) for x in open(sys.argv[1])]
with_mqtt = [float(x) for x in open(sys.argv[2])]
seconds = float(sys.argv[3])
costs = [(w - o) * 100 / seconds for o, w in zip(without, with_mqtt)]
print("publishing cost per round: " + ", ".join("%.2f %%" % c for c in costs))
median = statistics.median(costs)
print("publishing cost, median: %.2f %% of a core (%.2f us per reading)" % (median, median * seconds * 1e4 / (seconds * 10000)))
PY
