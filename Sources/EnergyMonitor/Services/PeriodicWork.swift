import ServiceLifecycle

/// Does `work` every `interval` on the clock until a graceful shutdown, then `last` once: the CSV
/// flush (whose last run writes what the devices produced before they stopped) and statistics.
public struct PeriodicWork<C: Clock>: Service where C.Duration == Duration {
  public let interval: Duration
  let clock: C
  let work: @Sendable () -> Void
  let last: @Sendable () -> Void

  public init(every interval: Duration, on clock: C, work: @escaping @Sendable () -> Void, last: @escaping @Sendable () -> Void) {
    self.interval = interval
    self.clock = clock
    self.work = work
    self.last = last
  }

  public func run() async throws {
    try? await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        try await clock.sleep(for: interval)
        work()
      }
    }
    last()
  }
}
