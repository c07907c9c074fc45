#!/usr/bin/env bash
# Builds the libFuzzer targets (swiftc -sanitize=fuzzer,address) and runs each on its seed corpus.
#   Tests/Fuzz/fuzz.sh                 10,000,000 executions per target (the long form)
#   Tests/Fuzz/fuzz.sh --seconds 15    15 s per target (what CI runs)
# A crash, a trap or a sanitizer report fails the script; the input that caused it is kept in
# .build/fuzz/artifacts/. New inputs found go to .build/fuzz/corpus/ (the committed seeds stay as they are).
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=(-runs=10000000)
if [[ "${1:-}" == "--seconds" ]]; then limit=(-max_total_time="${2:?seconds}"); fi

out=.build/fuzz
mkdir -p "$out/artifacts"
flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -I "$out" -L "$out")
core=($(find Sources/EnergyCore -name '*.swift'))
echo "building fuzz targets in $out"
swiftc "${flags[@]}" -emit-library -static -module-name EnergyCore -emit-module \
  -emit-module-path "$out/EnergyCore.swiftmodule" -o "$out/libEnergyCore.a" "${core[@]}" 2>/dev/null

collector=Sources/EnergyCollector
build() {  # name, sources...
  local name=$1; shift
  swiftc "${flags[@]}" -lEnergyCore -module-name "${name//-/_}" "$@" -o "$out/$name-fuzzer" 2> "$out/$name.build.log" \
    || { cat "$out/$name.build.log"; exit 1; }
}
build ingest $collector/{JSONScanner,JSONNumber,IngestDecoder,IngestError,IncomingReading,ReadingKey}.swift \
  Tests/Fuzz/Targets/IngestFuzzer.swift
build timestamp Tests/Fuzz/Targets/TimestampFuzzer.swift
build catalog Tests/Fuzz/Targets/CatalogFuzzer.swift
build settings Tests/Fuzz/Targets/SettingsFuzzer.swift
# The pipeline without its Services (OutboxLink, the webhook): plain swiftc cannot see ServiceLifecycle.
build outbox $(find Sources/EnergyPipeline -name '*.swift' ! -name OutboxLink.swift ! -name AlertWebhook.swift ! -name Forwarder.swift) \
  Tests/Fuzz/Targets/OutboxLineFuzzer.swift
# The MQTT codec only: the connection's files need SwiftNIO, which plain swiftc cannot see.
build mqtt Sources/MQTT/{QoS,Packet,RemainingLength,Encoder,Decoder}.swift Tests/Fuzz/Targets/MQTTDecoderFuzzer.swift

status=0
for name in ingest timestamp catalog settings outbox mqtt; do
  corpus="$out/corpus/$name"
  mkdir -p "$corpus"
  log="$out/$name.log"
  started=$(date +%s)
  if ASAN_OPTIONS=detect_leaks=0 "$out/$name-fuzzer" "${limit[@]}" -max_len=4096 -print_final_stats=1 \
      -artifact_prefix="$out/artifacts/$name-" "$corpus" "Tests/Fuzz/Corpus/$name" > "$log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
    echo "fuzz $name: ${runs:-?} executions in $(( $(date +%s) - started )) s, ${cov:-cov: ?}, no crash"
  else
    echo "fuzz $name: FAILED (see $log and $out/artifacts/)"
    tail -30 "$log"
    status=1
  fi
done
exit $status
