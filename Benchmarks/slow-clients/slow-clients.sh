#!/usr/bin/env bash
# Slow and silent clients against energymon-collector on 127.0.0.1: /healthz latency with no other
# clients, then while 500 connections sit idle and 50 clients send their headers one byte a second,
# and how long the server keeps those connections. Optionally under a lower descriptor limit.
#   Benchmarks/slow-clients/slow-clients.sh [--bin .build/release] [--descriptors 256]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release descriptors=''
while (($#)); do
  case $1 in
    --bin) bin=$2; shift 2 ;;
    --descriptors) descriptors=$2; shift 2 ;;
    *) echo "usage: $0 [--bin DIR] [--descriptors N]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d /tmp/energymon-slow.XXXXXX)
port=$((20000 + RANDOM % 30000))
limit=()
if [[ -n $descriptors ]]; then limit=(prlimit --nofile="$descriptors:$descriptors"); fi
"${limit[@]}" "$bin/energymon-collector" --port "$port" --db "$work/c.sqlite" > "$work/collector.log" 2>&1 &
collector=$!
trap 'kill $collector 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
ulimit -n 4096 2>/dev/null || true
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
python3 - "$port" "${descriptors:-unlimited}" <<'PY'
import socket, sys, threading, time, http.client
port = int(sys.argv[1])

def latencies(n):
    out = []
    for _ in range(n):
        started = time.perf_counter()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            c.request("GET", "/healthz"); c.getresponse().read(); c.close()
            out.append((time.perf_counter() - started) * 1000)
        except OSError:
            out.append(float("inf"))
    out.sort()
    return out

def report(label, values):
    ok = [v for v in values if v != float("inf")]
    failed = len(values) - len(ok)
    print(f"slow-clients ({sys.argv[2]} descriptors) {label}: /healthz p50 {ok[len(ok)//2]:.2f} ms, "
          f"p99 {ok[int(len(ok)*0.99)-1]:.2f} ms, max {ok[-1]:.2f} ms, {failed} failed of {len(values)}")

report("alone", latencies(500))
idle = []
for _ in range(500):
    s = socket.create_connection(("127.0.0.1", port)); idle.append(s)
closed_at = {}
def trickle(i):
    s = socket.create_connection(("127.0.0.1", port))
    start = time.time()
    try:
        for ch in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200:
            s.send(bytes([ch])); time.sleep(1)
    except OSError:
        pass
    closed_at[i] = time.time() - start
threads = [threading.Thread(target=trickle, args=(i,), daemon=True) for i in range(50)]
for t in threads: t.start()
time.sleep(1)
report("with 500 idle + 50 trickling", latencies(500))
start = time.time()
def open_count():
    n = 0
    for s in idle:
        s.setblocking(False)
        try:
            if s.recv(1) == b"": n += 0
            else: n += 1
        except BlockingIOError:
            n += 1
        except OSError:
            pass
    return n
while time.time() - start < 30 and (open_count() > 0 or len(closed_at) < 50):
    time.sleep(0.5)
print(f"slow-clients: idle connections left open after {time.time() - start + 1:.0f} s: {open_count()} of 500; "
      f"trickling clients cut off after {min(closed_at.values()) if closed_at else float('nan'):.0f}-{max(closed_at.values()) if closed_at else float('nan'):.0f} s ({len(closed_at)} of 50)")
PY
