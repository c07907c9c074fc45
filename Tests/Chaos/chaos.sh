#!/usr/bin/env bash
# Chaos: readings flow at about 100/s from energymon-tui to energymon-collector while, for each
# seeded round, one of three things happens at a random moment: the collector is killed with
# SIGKILL (and restarted), the monitor is killed with SIGKILL (and restarted), or the monitor's
# data dir (a small tmpfs) is filled for a few seconds. At the end the collector must hold exactly
# the readings of the monitor's sensor_log.csv, each once.
#   Tests/Chaos/chaos.sh [--rounds N] [--seed S] [--bin DIR]
# Needs root (it mounts a tmpfs), curl and the built binaries (default: swift build's debug folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=20 seed=1 bin=.build/debug
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--seed S] [--bin DIR]" >&2; exit 2 ;;
  esac
done
RANDOM=$seed
work=$(mktemp -d /tmp/energymon-chaos.XXXXXX)
data=$work/monitor
mkdir -p "$data"
mount -t tmpfs -o size=8m tmpfs "$data"
port=$((20000 + RANDOM % 30000))
url=http://127.0.0.1:$port
collector_pid='' monitor_pid=''

cleanup() {
  [[ -n $monitor_pid ]] && kill -9 "$monitor_pid" 2>/dev/null || true
  [[ -n $collector_pid ]] && kill -9 "$collector_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  umount "$data" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_collector() {
  "$bin/energymon-collector" --port "$port" --db "$work/collector.sqlite" > "$work/collector.log" 2>&1 &
  collector_pid=$!
  for _ in $(seq 100); do curl -sf "$url/healthz" > /dev/null && return; sleep 0.05; done
  echo "collector did not start"; cat "$work/collector.log"; exit 1
}
start_monitor() {
  "$bin/energymon-tui" --headless --data-dir "$data" --collector "$url" --interval 0.03 --seed "$seed" \
    > /dev/null 2>> "$work/monitor.err" &
  monitor_pid=$!
}
pause() { sleep "$(( $1 + RANDOM % $2 )).$(( RANDOM % 10 ))"; }

start_collector
start_monitor
collector_kills=0 monitor_kills=0 disk_fills=0
# Each block of three rounds holds each kind of trouble once, in a seeded order, so even a short
# run has all three.
order=()
for round in $(seq "$rounds"); do
  if ((${#order[@]} == 0)); then
    order=(0 1 2)
    for i in 2 1; do j=$((RANDOM % (i + 1))); t=${order[i]}; order[i]=${order[j]}; order[j]=$t; done
  fi
  action=${order[0]}
  order=("${order[@]:1}")
  pause 0 3
  case $action in
    0) kill -9 "$collector_pid"; wait "$collector_pid" 2>/dev/null || true
       collector_kills=$((collector_kills + 1)); pause 0 2; start_collector ;;
    1) kill -9 "$monitor_pid"; wait "$monitor_pid" 2>/dev/null || true
       monitor_kills=$((monitor_kills + 1)); pause 0 1; start_monitor ;;
    2) dd if=/dev/zero of="$data/filler" bs=64k 2> /dev/null || true
       disk_fills=$((disk_fills + 1)); pause 2 3; rm -f "$data/filler" ;;
  esac
done
# Let the backlog drain, then stop the monitor the normal way.
sleep 3
kill -TERM "$monitor_pid"; wait "$monitor_pid" || { echo "monitor exited $?"; exit 1; }
monitor_pid=''
# Whatever the last run left in its outbox goes out with a short final run.
for _ in 1 2 3 4 5; do
  ls "$data"/outbox/segment-* > /dev/null 2>&1 || break
  "$bin/energymon-tui" --headless --data-dir "$data" --collector "$url" --duration 2 --seed "$seed" > /dev/null 2>> "$work/monitor.err"
done

tail -n +2 "$data/logs/sensor_log.csv" | sort > "$work/csv.txt"
curl -sf "$url/export.csv" | tail -n +2 | sort > "$work/collector.txt"
logged=$(wc -l < "$work/csv.txt")
stored=$(wc -l < "$work/collector.txt")
missing=$(comm -23 "$work/csv.txt" "$work/collector.txt" | wc -l)
extra=$(comm -13 "$work/csv.txt" "$work/collector.txt" | wc -l)
duplicates=$(uniq -d "$work/collector.txt" | wc -l)
rejected=$(cat "$data"/outbox/rejected/* 2>/dev/null | grep -c '^[0-9]' || true)
echo "chaos seed $seed: $rounds rounds ($collector_kills collector kills, $monitor_kills monitor kills, $disk_fills disk fills)"
echo "chaos seed $seed: $logged readings in the CSV, $stored in the collector, $missing missing, $extra extra, $duplicates duplicated, $rejected quarantined"
[[ $missing -eq 0 && $extra -eq 0 && $duplicates -eq 0 && $rejected -eq 0 && $logged -gt 0 ]]
