import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergySimulation
import EnergyTestSupport
import Foundation
import Testing

/// Alerts in virtual time, triggered the way a user does it: from the fault menu's commands.
@Suite(.timeLimit(.minutes(2))) struct MonitorAlertsTests {
  func runtime(
    rules: String, folder: TemporaryFolder, clock: ManualClock, seed: UInt64 = 7, startMs: Int64 = sessionStart,
    webhook: String? = nil
  ) throws -> MonitorRuntime<ManualClock> {
    var configuration = MonitorConfiguration(dataDirectory: folder.path, catalog: .defaults, seed: seed)
    configuration.calendar = .utc
    configuration.alertRules = try AlertRule.parse(Data(rules.utf8), file: "alerts.json", hasTariff: false)
    configuration.alertWebhook = webhook
    return MonitorRuntime(configuration: configuration, clock: clock, startEpochMs: startMs)
  }

  func withAlerts(
    _ rules: String, seed: UInt64 = 7, startMs: Int64 = sessionStart, webhook: String? = nil,
    _ body: (MonitorRuntime<ManualClock>, ManualClock, TemporaryFolder) async throws -> Void
  ) async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let runtime = try runtime(rules: rules, folder: folder, clock: clock, seed: seed, startMs: startMs, webhook: webhook)
    let running = Task { await runtime.run() }
    await clock.waitForSleepers(runtime.clockLoops)
    try await body(runtime, clock, folder)
    running.cancel()
    _ = await running.value
  }

  func alertLines(_ folder: TemporaryFolder) -> [String] {
    (folder.read("logs/comm_log.txt") ?? "").split(separator: "\n").filter { $0.contains(" alert: ") }
      .map { String($0.split(separator: " ", maxSplits: 1)[1]) }
  }

  /// A seed whose air conditioner starts with its compressor on, so a spike goes far above 1600 W.
  var compressorSeed: UInt64 {
    let spec = DeviceCatalog.defaults.devices[0]
    return (1...200).first { seed in
      (DeviceTask(spec: spec, seed: seed).step(timestampMs: sessionStart + 1000)?.power ?? 0) > 1000
    }!
  }

  @Test func aSpikeFiresAboveOnceAndTheNextReadingClearsIt() async throws {
    let rules = #"{"rules":[{"name":"AC overload","device_id":"AC001","kind":"above","watts":1600,"for_seconds":0}]}"#
    try await withAlerts(rules, seed: compressorSeed) { runtime, clock, folder in
      _ = runtime.perform(.inject(.spike, DeviceID("AC001")!))
      await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops)
      let active = runtime.activeAlerts
      #expect(active.count == 1)
      #expect(active.first?.message.hasPrefix("AC overload: AC001 above 1600 W for 0 s (") == true, "\(active)")
      #expect(runtime.snapshot().activeAlerts.count == 1, "the screen's banner has it")
      await advance(clock, by: .seconds(5), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.isEmpty)
      let lines = alertLines(folder)
      #expect(lines.count == 2, "\(lines)")
      #expect(lines.first?.hasPrefix("alert: AC overload: AC001 above 1600 W") == true)
      #expect(lines.last?.hasPrefix("alert: AC overload cleared: AC001 at 1") == true, "\(lines)")
    }
  }

  @Test func aDropoutFiresSilentOnceAndRecoversWhenTheDeviceReportsAgain() async throws {
    let rules = #"{"rules":[{"name":"Silent device","device_id":"*","kind":"silent","for_seconds":5}]}"#
    try await withAlerts(rules) { runtime, clock, folder in
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      _ = runtime.perform(.inject(.dropout, DeviceID("WM002")!))
      await advance(clock, by: .seconds(4), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.isEmpty, "4 s of silence is not 5")
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.map(\.message) == ["Silent device: WM002 silent for 5 s"])
      await advance(clock, by: .seconds(20), sleepers: runtime.clockLoops)
      #expect(alertLines(folder) == ["alert: Silent device: WM002 silent for 5 s"], "one alert per episode, not one a second")
      _ = runtime.perform(.clearFaults(DeviceID("WM002")!))
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.isEmpty)
      #expect(alertLines(folder) == ["alert: Silent device: WM002 silent for 5 s", "alert: Silent device cleared: WM002 reporting again"])
      // A pause silences every device, but is not an outage.
      _ = runtime.perform(.togglePause)
      await advance(clock, by: .seconds(10), sleepers: runtime.clockLoops)
      _ = runtime.perform(.togglePause)
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(alertLines(folder).count == 2)
    }
  }

  @Test func aStuckSensorFiresStuckAndClearingTheFaultRecovers() async throws {
    let rules = #"{"rules":[{"name":"Stuck sensor","device_id":"FR003","kind":"stuck","for_seconds":5}]}"#
    try await withAlerts(rules) { runtime, clock, folder in
      await advance(clock, by: .seconds(3), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.isEmpty, "a live sensor never repeats itself exactly")
      _ = runtime.perform(.inject(.stuck, DeviceID("FR003")!))
      await advance(clock, by: .seconds(7), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.first?.message.hasPrefix("Stuck sensor: FR003 stuck at ") == true, "\(runtime.activeAlerts)")
      _ = runtime.perform(.clearFaults(DeviceID("FR003")!))
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.isEmpty)
      #expect(alertLines(folder).count == 2)
    }
  }

  @Test func aDailyBudgetFiresOnceADayAndANewDayClearsIt() async throws {
    // 0.5 Wh a day: the three appliances pass it within seconds; start 20 s before midnight.
    let rules = #"{"rules":[{"name":"Daily energy","kind":"daily_kwh","limit":0.0005}]}"#
    let start = Timestamp.parseRFC3339("2025-04-10T23:59:40.000Z")!
    try await withAlerts(rules, startMs: start) { runtime, clock, folder in
      await advance(clock, by: .seconds(15), sleepers: runtime.clockLoops)
      #expect(runtime.activeAlerts.count == 1)
      #expect(runtime.activeAlerts.first?.message.hasPrefix("Daily energy: used 0.00 kWh today, over 0.00") == true)
      await advance(clock, by: .seconds(10), sleepers: runtime.clockLoops)
      var lines = alertLines(folder)
      #expect(lines.count == 2, "\(lines)")
      #expect(lines.last == "alert: Daily energy cleared: a new day")
      await advance(clock, by: .seconds(20), sleepers: runtime.clockLoops)
      lines = alertLines(folder)
      #expect(lines.count == 3, "the new day's budget is passed too: \(lines)")
      #expect(runtime.energyTotals.yesterday.kilowattHours > 0.0005)
    }
  }

  @Test func alertsArePostedToTheWebhookInOrderAndNoneIsLostWhileItIsDown() async throws {
    let receiver = WebhookReceiver()
    defer { receiver.stop() }
    receiver.answer(503)
    let rules = #"{"rules":[{"name":"Silent device","device_id":"*","kind":"silent","for_seconds":2}]}"#
    try await withAlerts(rules, webhook: "http://127.0.0.1:\(receiver.port)/hook") { runtime, clock, folder in
      await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops)
      _ = runtime.perform(.inject(.dropout, DeviceID("WM002")!))
      await advance(clock, by: .seconds(4), sleepers: runtime.clockLoops)
      _ = runtime.perform(.clearFaults(DeviceID("WM002")!))
      _ = runtime.perform(.inject(.dropout, DeviceID("FR003")!))
      await advance(clock, by: .seconds(4), sleepers: runtime.clockLoops)
      #expect(alertLines(folder).count == 3)
      // The webhook answered 503 throughout: everything waits, nothing was taken as delivered.
      let pending = runtime.alertWebhook!.status
      #expect(pending.sent == 0 && pending.pending == 3 && pending.lastError == "HTTP 503", "\(pending)")
      #expect(folder.read("logs/comm_log.txt")?.contains("alert webhook: HTTP 503; retrying with backoff") == true)
      receiver.answer(200)
      // Backoff sleeps are on the virtual clock: move it until all three have gone.
      var moved = 0
      while runtime.alertWebhook!.status.sent < 3, moved < 120 {
        await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops)
        try await Task.sleep(for: .milliseconds(20))
        moved += 1
      }
      let bodies = receiver.bodies.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      #expect(bodies.count == 3)
      #expect(bodies.map { "\($0["device_id"] ?? "") \($0["state"] ?? "")" } == ["WM002 firing", "WM002 recovered", "FR003 firing"])
      #expect(bodies.first?["rule"] as? String == "Silent device")
      #expect(bodies.first?["kind"] as? String == "silent")
      #expect((bodies.first?["timestamp"] as? String)?.hasPrefix("2025-04-10T12:02:0") == true)
      #expect(bodies.first?["message"] as? String == "Silent device: WM002 silent for 2 s")
    }
  }
}
