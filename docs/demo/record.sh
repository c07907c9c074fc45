#!/usr/bin/env bash
# Records the demo from the real release binaries, driven through tmux by a fixed script:
# launch, sparklines filling, a spike and a dropout injected (the silent-device alert fires), a
# collector outage and the backlog draining after it, the detail view, an export, quit.
# Writes docs/demo/demo.cast (asciinema v2, from tmux's own screen), docs/demo/demo.mp4 (Xvfb +
# xterm + ffmpeg) and docs/demo/demo.png (a still, shown in the README). Installs what is missing
# (Debian packages). Usage: docs/demo/record.sh   (about 2 minutes after the release build)
set -euo pipefail
demo=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$demo/../.." && pwd)
cd "$root"

missing=()
for tool in tmux:tmux Xvfb:xvfb xterm:xterm ffmpeg:ffmpeg curl:curl; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]] || missing+=(fonts-dejavu-core)
if ((${#missing[@]})); then
  echo "record.sh: installing ${missing[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

started=$(date +%s)
swift build -c release --product energymon-tui >/dev/null
swift build -c release --product energymon-collector >/dev/null
bin=$(swift build -c release --show-bin-path)
echo "record.sh: release binaries ready after $(($(date +%s) - started)) s"

work=$(mktemp -d)
sock="$work/tmux.sock"
pids=()
cleanup() {
  touch "$work/stop"
  tmux -S "$sock" kill-server 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 10000))
"$bin/energymon-collector" --port "$port" --db "$work/collector.sqlite" --tariff data/tariff.json >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The demo's data folder: the shipped tariff and alerts, an empty log.
mkdir -p "$work/data"
cp data/tariff.json data/alerts.json "$work/data/"
[[ -f data/devices.json ]] && cp data/devices.json "$work/data/"

export LC_ALL=C.UTF-8
tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 \
  "TERM=xterm-256color TZ=Europe/London '$bin/energymon-tui' --data-dir '$work/data' --collector http://127.0.0.1:$port --interval 0.5 --seed 7; sleep 5"
tmux -S "$sock" set-option -g status off

# The video: an xterm of the same size attached to the same session, on a virtual screen.
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1000x620x24 -br -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
sleep 1
DISPLAY=$display xterm -geometry 100x30+0+0 -bw 0 -fa "DejaVu Sans Mono" -fs 11 -bg black -fg '#d0d0d0' \
  +sb -u8 -e tmux -S "$sock" attach >/dev/null 2>&1 &
pids+=($!)
sleep 1
ffmpeg -loglevel error -y -f x11grab -draw_mouse 0 -video_size 1000x620 -framerate 10 -i "$display" \
  -c:v libx264 -preset veryfast -crf 32 -pix_fmt yuv420p "$work/demo.mp4" </dev/null &
ffmpeg_pid=$!
python3 "$demo/cast.py" "$sock" "$work/demo.cast" "$work/stop" &
cast_pid=$!

keys() { tmux -S "$sock" send-keys "$@"; }
still() { DISPLAY=$display ffmpeg -loglevel error -y -f x11grab -draw_mouse 0 -video_size 1000x620 -i "$display" -frames:v 1 "$work/demo.png" </dev/null; }

sleep 14                      # sparklines fill, today's energy and cost count up
keys f; sleep 2; keys 1       # a spike on AC001
sleep 4
keys Down; sleep 1
keys f; sleep 2; keys 3       # WM002 drops out: OFFLINE, then the Silent device alert
sleep 13
still                         # the README's picture: charts, an alert, a fault
keys f; sleep 2; keys 6       # the collector "goes away": the backlog grows
sleep 10
keys f; sleep 2; keys 6       # it is back: the backlog drains at once
sleep 5
keys f; sleep 2; keys 5       # WM002's faults cleared: it reports again, the alert recovers
sleep 5
keys Enter; sleep 5           # the detail view of WM002
keys +; sleep 4
keys Escape; sleep 2
keys e; sleep 4               # a CSV snapshot of the session
keys q; sleep 5               # quit: the last readings are sent before it exits

touch "$work/stop"
wait "$cast_pid"
kill -INT "$ffmpeg_pid"; wait "$ffmpeg_pid" || true

cp "$work/demo.cast" "$work/demo.mp4" "$work/demo.png" "$demo/"
stored=$(curl -sf "http://127.0.0.1:$port/export.csv" | tail -n +2 | wc -l)
logged=$(tail -n +2 "$work/data/logs/sensor_log.csv" | wc -l)
echo "record.sh: logged $logged readings, the collector holds $stored"
ls -l "$demo"/demo.cast "$demo"/demo.mp4 "$demo"/demo.png
echo "record.sh: done in $(($(date +%s) - started)) s"
