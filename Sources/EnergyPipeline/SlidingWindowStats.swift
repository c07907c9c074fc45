/// Statistics over the last `seconds` seconds, kept in one bucket per second: O(1) per reading,
/// fixed memory, and old seconds fall out as time moves on.
public struct SlidingWindowStats: Equatable, Sendable {
  struct Bucket: Equatable, Sendable {
    var second: Int64 = .min
    var stats = RunningStats()
    var kilowattHours = 0.0
  }

  public let seconds: Int
  private var buckets: [Bucket]

  public init(seconds: Int = 60) {
    self.seconds = seconds
    self.buckets = Array(repeating: Bucket(), count: seconds)
  }

  @inline(__always)
  public mutating func add(timestampMs: Int64, power: Double, kilowattHours: Double) {
    let second = timestampMs >= 0 ? timestampMs / 1000 : (timestampMs - 999) / 1000
    let index = Int(((second % Int64(seconds)) + Int64(seconds)) % Int64(seconds))
    if buckets[index].second != second {
      buckets[index] = Bucket(second: second)
    }
    buckets[index].stats.add(power)
    buckets[index].kilowattHours += kilowattHours
  }

  /// Statistics of readings stamped within the `seconds` seconds up to and including `nowMs`.
  public func summary(nowMs: Int64) -> (stats: RunningStats, kilowattHours: Double) {
    let nowSecond = nowMs >= 0 ? nowMs / 1000 : (nowMs - 999) / 1000
    let oldest = nowSecond - Int64(seconds) + 1
    var stats = RunningStats()
    var energy = 0.0
    for bucket in buckets where bucket.second >= oldest && bucket.second <= nowSecond {
      stats.merge(bucket.stats)
      energy += bucket.kilowattHours
    }
    return (stats, energy)
  }
}
