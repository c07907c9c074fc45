import EnergyCore
import EnergyMonitor
import EnergyPipeline
import Foundation
import MQTT

// Drains an outbox backlog of N readings to a broker at QoS 1 through the monitor's own
// publisher, and prints readings per second. Used by Benchmarks/mqtt/mqtt-benchmarks.sh beside
// paho-mqtt publishing the same messages with the same in-flight window.
//   mqtt-drain-benchmark <port> <readings> <inflight> <folder>

let arguments = CommandLine.arguments
guard arguments.count == 5, let port = Int(arguments[1]), let count = Int(arguments[2]), let inflight = Int(arguments[3]),
  (1...65535).contains(port), (1...100_000_000).contains(count), (1...1000).contains(inflight)
else {
  FileHandle.standardError.write(Data("usage: mqtt-drain-benchmark <port 1-65535> <readings> <inflight 1-1000> <folder>\n".utf8))
  exit(2)
}
let folder = arguments[4]
try? FileManager.default.removeItem(atPath: folder)
let devices = (0..<1000).map { DeviceID(String(format: "D%04d", $0))! }
let outbox = try OutboxSpool(directory: folder + "/outbox", maxBytes: 1 << 40, consumers: [.mqtt])
// The readings are the same ones the paho-mqtt script publishes: device i % 1000, one second apart.
var batch: [Reading] = []
for index in 0..<count {
  batch.append(Reading(deviceID: devices[index % 1000], timestampMs: 1_744_286_520_000 + Int64(index / 1000) * 1000, power: Double(index % 2000) + 0.5))
  if batch.count == 100_000 {
    try outbox.append(batch)
    batch.removeAll(keepingCapacity: true)
  }
}
try outbox.append(batch)
let catalog = DeviceCatalog(devices: devices.map { DeviceSpec(id: $0, name: $0.rawValue, kind: .refrigerator, ratedWatts: 200) })
var settings = MQTTSink<ContinuousClock>.Settings(
  broker: BrokerAddress(host: "127.0.0.1", port: port), topics: MQTTTopics(prefix: "energymon", source: "bench"),
  clientID: "energymon-bench")
settings.inflight = inflight
let publisher = MQTTPublisher(
  outbox: outbox, catalog: catalog, settings: settings, wallTime: WallTime(clock: ContinuousClock(), startEpochMs: currentEpochMs()), commLog: nil,
  discoveryListPath: folder + "/mqtt-discovery")
let started = ContinuousClock.now
let running = Task { await publisher.run() }
while publisher.status.sent < count {
  try await Task.sleep(for: .milliseconds(5))
}
let elapsed = started.duration(to: .now)
publisher.beginDrain(within: .zero)
await running.value
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "energymon: %d readings at QoS 1, in-flight %d, in %.2f s: %.0f readings/s", count, inflight, seconds, Double(count) / seconds))
