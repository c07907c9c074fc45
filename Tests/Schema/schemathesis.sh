#!/usr/bin/env bash
# Schema-driven fuzzing: schemathesis (PyPI) generates requests from the running collector's own
# /openapi.yaml, valid and invalid, and runs every check on the answers (server errors, schema
# conformance of responses, valid data accepted, invalid data refused, 405 for wrong methods, ...).
#   Tests/Schema/schemathesis.sh [--max-examples N] [--bin DIR]   (N per operation; default 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
config=$PWD/Tests/Schema/schemathesis.toml
examples=1000 bin=.build/debug
while (($#)); do
  case $1 in
    --max-examples) examples=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--max-examples N] [--bin DIR]" >&2; exit 2 ;;
  esac
done
# The module, not the `st` script: pip may put scripts in a folder that is not on PATH.
python3 -m schemathesis.cli --version > /dev/null 2>&1 \
  || { echo "schemathesis is not installed: python3 -m pip install schemathesis" >&2; exit 2; }
work=$(mktemp -d /tmp/energymon-schema.XXXXXX)
# A free port, chosen by the collector and read back from its console.
"$bin/energymon-collector" --port 0 --db "$work/c.sqlite" > "$work/collector.log" 2>&1 &
collector=$!
trap 'kill $collector 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=
for _ in $(seq 300); do
  port=$(sed -n 's|.*dashboard http://127.0.0.1:\([0-9]*\)/dashboard.*|\1|p' "$work/collector.log")
  [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 0.1
done
[[ -n $port ]] || { echo "the collector did not start"; cat "$work/collector.log"; exit 1; }
cd "$work"
status=0
python3 -m schemathesis.cli --config-file "$config" run "http://127.0.0.1:$port/openapi.yaml" --checks all --max-examples "$examples" --request-timeout 10 \
  --no-color > "$work/st.log" 2>&1 || status=$?
grep -E "ST[0-9]+|generated|passed|failure" "$work/st.log" | tail -8
if ((status != 0)); then tail -80 "$work/st.log"; fi
kill -0 $collector 2>/dev/null || { echo "the collector died"; cat "$work/collector.log"; exit 1; }
exit $status
