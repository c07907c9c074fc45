#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps instants of any injected clock to wall-clock milliseconds, anchored once at start-up,
/// so readings carry real timestamps in production and deterministic ones under a `ManualClock`.
public struct WallTime<C: Clock>: Sendable where C.Duration == Duration {
  public let clock: C
  public let startInstant: C.Instant
  public let startEpochMs: Int64

  public init(clock: C, startEpochMs: Int64) {
    self.clock = clock
    self.startInstant = clock.now
    self.startEpochMs = startEpochMs
  }

  public func epochMs(at instant: C.Instant) -> Int64 {
    startEpochMs + startInstant.duration(to: instant).milliseconds
  }

  public var nowMs: Int64 { epochMs(at: clock.now) }
  public var uptime: Duration { startInstant.duration(to: clock.now) }
}

extension Duration {
  /// Whole milliseconds, truncated toward zero.
  public var milliseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }

  public var secondsDouble: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }

  public static func seconds(fraction: Double) -> Duration {
    .nanoseconds(Int64((fraction * 1e9).rounded()))
  }
}

/// The current wall-clock time in milliseconds since the epoch.
public func currentEpochMs() -> Int64 {
  var spec = timespec()
  clock_gettime(CLOCK_REALTIME, &spec)
  return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
