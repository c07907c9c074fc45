#!/usr/bin/env bash
# Soak: energymon-tui (headless, or the dashboard in tmux with --dashboard) forwards N devices at
# 1 Hz to energymon-collector for a while; every 10 s this samples both processes from /proc:
# resident memory, open descriptors, CPU seconds, and the readings the collector holds.
#   Benchmarks/soak/soak.sh [--minutes 30] [--devices 1000] [--dashboard] [--bin .build/release] [--out DIR]
# Writes DIR/samples.csv and prints a summary: RSS after the first 5 minutes (min/max, growth),
# descriptors first/last, CPU per reading in the first and second half.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=30 devices=1000 dashboard=0 bin=.build/release out=''
while (($#)); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --devices) devices=$2; shift 2 ;;
    --dashboard) dashboard=1; shift ;;
    --bin) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes M] [--devices N] [--dashboard] [--bin DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/energymon-soak.XXXXXX)
out=${out:-$work}
mkdir -p "$out" "$work/data"
port=$((20000 + RANDOM % 30000))
url=http://127.0.0.1:$port
python3 - "$devices" > "$work/devices.json" <<'PY'
import json, sys
kinds = ["air_conditioner", "washing_machine", "refrigerator"]
n = int(sys.argv[1])
print(json.dumps({"devices": [{"id": f"D{i:04d}", "kind": kinds[i % 3], "period": 1.0} for i in range(n)]}))
PY

"$bin/energymon-collector" --port "$port" --db "$work/collector.sqlite" > "$work/collector.log" 2>&1 &
collector=$!
for _ in $(seq 100); do curl -sf "$url/healthz" > /dev/null && break; sleep 0.1; done
tmux_socket=$work/tmux.sock
if ((dashboard)); then
  tmux -S "$tmux_socket" new-session -d -x 120 -y 40 \
    "LC_ALL=C.UTF-8 $bin/energymon-tui --data-dir $work/data --devices $work/devices.json --collector $url"
  sleep 1
  monitor=$(pgrep -f "^$bin/energymon-tui --data-dir $work/data" | head -1)
else
  "$bin/energymon-tui" --headless --data-dir "$work/data" --devices "$work/devices.json" --collector "$url" \
    > /dev/null 2> "$work/monitor.err" &
  monitor=$!
fi
stop() {
  kill -TERM "$monitor" 2>/dev/null || true
  sleep 3
  kill -TERM "$collector" 2>/dev/null || true
  [[ -S $tmux_socket ]] && tmux -S "$tmux_socket" kill-server 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap "exit 1" INT TERM

sample() {  # pid -> "rss_kb fds cpu_ticks"
  local rss fds ticks
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status")
  fds=$(ls "/proc/$1/fd" | wc -l)
  ticks=$(awk '{print $14 + $15}' "/proc/$1/stat")
  echo "$rss $fds $ticks"
}
stored() {
  curl -sf "$url/api/stats" | python3 -c 'import json,sys; print(sum(d["count"] for d in json.load(sys.stdin)["devices"].values()))' 2>/dev/null || echo 0
}
hz=$(getconf CLK_TCK)
# The machine's own CPU time stolen by the host and spent by everything else, to tell a slower
# machine from a slower program.
machine() { awk '/^cpu / {printf "%.2f %.2f\n", $9 / '"$(getconf CLK_TCK)"', ($2 + $3 + $4) / '"$(getconf CLK_TCK)"'}' /proc/stat; }
echo "seconds,monitor_rss_kb,monitor_fds,monitor_cpu_s,collector_rss_kb,collector_fds,collector_cpu_s,readings_stored,steal_s,machine_busy_s" > "$out/samples.csv"
start=$(date +%s)
end=$((start + minutes * 60))
while (( $(date +%s) < end )); do
  read -r mr mf mt < <(sample "$monitor")
  read -r cr cf ct < <(sample "$collector")
  now=$(( $(date +%s) - start ))
  read -r steal busy < <(machine)
  echo "$now,$mr,$mf,$(awk "BEGIN{printf \"%.2f\", $mt/$hz}"),$cr,$cf,$(awk "BEGIN{printf \"%.2f\", $ct/$hz}"),$(stored),$steal,$busy" >> "$out/samples.csv"
  sleep 10
done

python3 - "$out/samples.csv" "$dashboard" "$devices" <<'PY'
import csv, sys
rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1]))]
mode = "dashboard" if sys.argv[2] == "1" else "headless"
late = [r for r in rows if r["seconds"] >= 300] or rows
half = len(rows) // 2
def per_reading(a, b, key):
    n = b["readings_stored"] - a["readings_stored"]
    return (b[key] - a[key]) / n * 1e6 if n > 0 else float("nan")
thirds = len(late) // 3
def mean(values): return sum(values) / len(values)
for who in ("monitor", "collector"):
    rss = [r[f"{who}_rss_kb"] / 1024 for r in late]
    drift = 100 * (mean(rss[-thirds:]) - mean(rss[:thirds])) / mean(rss[:thirds])
    print(f"soak {mode} {sys.argv[3]} devices, {who}: RSS after 5 min {min(rss):.1f}-{max(rss):.1f} MB "
          f"(first third to last third of that {drift:+.1f} %), fds after 5 min {int(late[0][who + '_fds'])} -> "
          f"{int(rows[-1][who + '_fds'])} (max {int(max(r[who + '_fds'] for r in late))}), "
          f"CPU per reading {per_reading(rows[0], rows[half], who + '_cpu_s'):.1f} us (first half) / "
          f"{per_reading(rows[half], rows[-1], who + '_cpu_s'):.1f} us (second half)")
steal = [rows[half]["steal_s"] - rows[0]["steal_s"], rows[-1]["steal_s"] - rows[half]["steal_s"]]
print(f"soak {mode}: CPU stolen by the host {steal[0]:.1f} s (first half) / {steal[1]:.1f} s (second half)")
print(f"soak {mode}: {int(rows[-1]['readings_stored'])} readings stored in {int(rows[-1]['seconds'])} s; samples in {sys.argv[1]}")
PY
