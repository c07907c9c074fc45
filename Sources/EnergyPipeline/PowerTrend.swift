/// One device's power over longer spans than the sparkline's ten minutes, for the detail view:
/// the last hour in 10-second buckets and the last day in 1-minute buckets, each with its
/// minimum, peak and mean. Fixed memory (about 45 KB a device), O(1) per reading.
public struct PowerTrend: Sendable {
  public struct Bucket: Sendable {
    var index: Int64 = .min
    var stats = RunningStats()
    var last: Float = 0
    var lastMs: Int64 = .min
  }

  /// Buckets of `bucketMs` covering `count` buckets back from the newest.
  public struct Tier: Sendable {
    public let bucketMs: Int64
    private var buckets: [Bucket]

    init(bucketMs: Int64, count: Int) {
      self.bucketMs = bucketMs
      self.buckets = Array(repeating: Bucket(), count: count)
    }

    public var spanMs: Int64 { bucketMs * Int64(buckets.count) }

    func index(_ ms: Int64) -> Int64 { ms >= 0 ? ms / bucketMs : (ms - bucketMs + 1) / bucketMs }

    func slot(_ index: Int64) -> Int { Int(((index % Int64(buckets.count)) + Int64(buckets.count)) % Int64(buckets.count)) }

    @inline(__always)
    mutating func add(timestampMs: Int64, power: Double) {
      let index = index(timestampMs)
      let slot = slot(index)
      if buckets[slot].index < index {
        buckets[slot] = Bucket(index: index)
      } else if buckets[slot].index > index {
        return
      }
      buckets[slot].stats.add(power)
      if timestampMs >= buckets[slot].lastMs {
        buckets[slot].last = Float(power)
        buckets[slot].lastMs = timestampMs
      }
    }

    /// The bucket holding `index`, if it is still kept.
    func bucket(_ index: Int64) -> Bucket? {
      let bucket = buckets[slot(index)]
      return bucket.index == index ? bucket : nil
    }
  }

  public private(set) var hour = Tier(bucketMs: 10_000, count: 360)
  public private(set) var day = Tier(bucketMs: 60_000, count: 1440)
  /// Silence longer than this is drawn as a gap.
  public let gapLimitMs: Int64
  public private(set) var firstMs: Int64?

  public init(gapLimitMs: Int64) {
    self.gapLimitMs = max(1, gapLimitMs)
  }

  @inline(__always)
  public mutating func add(timestampMs: Int64, power: Double) {
    hour.add(timestampMs: timestampMs, power: power)
    day.add(timestampMs: timestampMs, power: power)
    firstMs = min(firstMs ?? timestampMs, timestampMs)
  }

  /// The tier fine enough for `spanMs`: the hour's up to an hour, else the day's.
  public func tier(spanMs: Int64) -> Tier { spanMs <= hour.spanMs ? hour : day }

  /// One point per column over the `spanMs` up to `nowMs`: the peak of the buckets in the column;
  /// an empty column holds the last value while it is within the gap limit (or one bucket, for a
  /// device slower than the buckets), else is a gap.
  public func points(columns: Int, spanMs: Int64, nowMs: Int64) -> [ChartPoint] {
    let tier = tier(spanMs: spanMs)
    let last = tier.index(nowMs)
    let count = Int(min(Int64(max(0, columns)), spanMs / tier.bucketMs))
    guard count > 0 else { return [] }
    let buckets = spanMs / tier.bucketMs
    let first = last - buckets + 1
    var held: (value: Float, ms: Int64)?
    if let previous = tier.bucket(first - 1) { held = (previous.last, previous.lastMs) }
    var points: [ChartPoint] = []
    points.reserveCapacity(count)
    var index = first
    for column in 0..<count {
      let startMs = index * tier.bucketMs
      let end = first + Int64(column + 1) * buckets / Int64(count)
      var peak: Double?
      while index < end {
        if let bucket = tier.bucket(index) {
          peak = max(peak ?? 0, bucket.stats.max)
          held = (bucket.last, bucket.lastMs)
        }
        index += 1
      }
      if let peak {
        points.append(.value(Float(max(0, peak))))
      } else if let held, startMs - held.ms <= max(gapLimitMs, tier.bucketMs) {
        points.append(.value(max(0, held.value)))
      } else if let firstMs, firstMs < startMs {
        points.append(.gap)
      } else {
        points.append(.none)
      }
    }
    return points
  }

  /// Minimum, mean and maximum of the readings in the `spanMs` up to `nowMs`.
  public func stats(spanMs: Int64, nowMs: Int64) -> RunningStats {
    let tier = tier(spanMs: spanMs)
    let last = tier.index(nowMs)
    var stats = RunningStats()
    for index in (last - spanMs / tier.bucketMs + 1)...last {
      if let bucket = tier.bucket(index) { stats.merge(bucket.stats) }
    }
    return stats
  }
}
