import EnergyCore
import Synchronization

/// One simulated appliance as a periodic task: wakes every period on an injected clock, advances
/// its load model, applies faults, and publishes a reading.
public final class DeviceTask: Sendable {
  public let spec: DeviceSpec
  public let faults: FaultInjector

  private struct State {
    var model: any ApplianceModel
    var rng: SeededGenerator
    var stats = TaskStats()
  }

  private let state: Mutex<State>

  public init(spec: DeviceSpec, seed: UInt64) {
    self.spec = spec
    var rng = SeededGenerator(seed: seed, deviceID: spec.id)
    let model = makeApplianceModel(for: spec, rng: &rng)
    // Faults draw from their own stream so injecting one never shifts the power sequence.
    let faultRNG = SeededGenerator(seed: ~seed, deviceID: spec.id)
    self.faults = FaultInjector(ratedWatts: spec.ratedWatts, rng: faultRNG)
    self.state = Mutex(State(model: model, rng: rng))
  }

  public var stats: TaskStats { state.withLock { $0.stats } }

  /// Advances the model by one period and returns the reading to publish, if the device reports.
  public func step(timestampMs: Int64) -> Reading? {
    let power = state.withLock { state -> Double in
      let value = state.model.next(dt: spec.period, rng: &state.rng)
      state.stats.runs += 1
      state.stats.phase = state.model.phase
      return value
    }
    guard let faulted = faults.apply(to: power) else { return nil }
    state.withLock { $0.stats.readings += 1 }
    // Bounded to what a collector accepts: a spike of a large model is shown as 100 kW, not
    // sent as a reading the collector must refuse.
    let reported = min(max(faulted, 0), Reading.maxPower)
    return Reading(deviceID: spec.id, timestampMs: timestampMs, power: reported)
  }

  /// Runs until cancelled. Missed deadlines are counted and skipped rather than run in a burst.
  public func run<C: Clock>(
    clock: C, wallTime: WallTime<C>, control: RunControl,
    publish: @Sendable (Reading) -> Void
  ) async where C.Duration == Duration {
    let period = spec.periodDuration
    var deadline = clock.now.advanced(by: period)
    while !Task.isCancelled {
      do {
        try await clock.sleep(until: deadline, tolerance: nil)
      } catch {
        return
      }
      let now = clock.now
      let lateness = deadline.duration(to: now)
      let missed = lateness >= period ? Int(lateness / period) : 0
      deadline = deadline.advanced(by: period * (missed + 1))
      guard !control.isPaused else { continue }
      state.withLock { state in
        state.stats.deadlineMisses += missed
        state.stats.lastJitter = lateness
        if lateness > state.stats.worstJitter { state.stats.worstJitter = lateness }
      }
      if let reading = step(timestampMs: wallTime.epochMs(at: now)) {
        publish(reading)
      }
    }
  }
}
