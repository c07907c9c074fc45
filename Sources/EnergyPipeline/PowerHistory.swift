/// The last ten minutes of one device's power, one bucket per second, for a chart whose x axis is
/// time: a resize changes the detail, not the span, and a silent stretch shows as a gap instead
/// of the readings on either side being drawn next to each other.
public struct PowerHistory: Sendable {
  public static let seconds = 600

  struct Bucket: Sendable {
    var second: Int64 = .min
    var peak: Float = 0
    var last: Float = 0
    var lastMs: Int64 = .min
  }

  /// Readings further apart than this are not joined: the stretch between them is a gap.
  public let gapLimitMs: Int64
  private var buckets: [Bucket]
  /// The first reading ever added: before it a chart is blank, after it silence is a gap.
  public private(set) var firstMs: Int64?

  public init(gapLimitMs: Int64) {
    self.gapLimitMs = max(1, gapLimitMs)
    self.buckets = Array(repeating: Bucket(), count: Self.seconds)
  }

  @inline(__always)
  public mutating func add(timestampMs: Int64, power: Double) {
    let second = Self.second(timestampMs)
    let index = Self.index(second)
    let value = Float(max(0, power))
    if buckets[index].second < second {
      buckets[index] = Bucket(second: second, peak: value, last: value, lastMs: timestampMs)
    } else if buckets[index].second == second {
      buckets[index].peak = max(buckets[index].peak, value)
      if timestampMs >= buckets[index].lastMs {
        buckets[index].last = value
        buckets[index].lastMs = timestampMs
      }
    } else {
      return  // older than ten minutes
    }
    firstMs = min(firstMs ?? timestampMs, timestampMs)
  }

  /// One point per column of a chart `columns` wide spanning the `spanSeconds` seconds up to and
  /// including `nowMs`'s second, oldest first. A column is the peak of the readings in it; an
  /// empty column holds the previous reading while it is within the gap limit, else is a gap.
  public func points(columns: Int, spanSeconds: Int, nowMs: Int64) -> [ChartPoint] {
    let span = max(1, min(Self.seconds, spanSeconds))
    let count = max(0, min(columns, span))
    guard count > 0 else { return [] }
    let nowSecond = Self.second(nowMs)
    let firstSecond = nowSecond - Int64(span) + 1
    // The reading in force when the chart begins, if any is close enough to matter.
    var held: (value: Float, ms: Int64)?
    let lookback = min(Int64(Self.seconds - span), (gapLimitMs + 999) / 1000 + 1)
    if lookback > 0 {
      for second in stride(from: firstSecond - 1, through: firstSecond - lookback, by: -1) {
        let bucket = buckets[Self.index(second)]
        if bucket.second == second {
          held = (bucket.last, bucket.lastMs)
          break
        }
      }
    }
    var points: [ChartPoint] = []
    points.reserveCapacity(count)
    buckets.withUnsafeBufferPointer { buckets in
      var second = firstSecond
      var index = Self.index(firstSecond)
      for column in 0..<count {
        let start = second
        let end = firstSecond + Int64((column + 1) * span / count)
        var peak: Float = -1
        while second < end {
          let bucket = buckets[index]
          if bucket.second == second {
            peak = max(peak, bucket.peak)
            held = (bucket.last, bucket.lastMs)
          }
          second += 1
          index = index == Self.seconds - 1 ? 0 : index + 1
        }
        if peak >= 0 {
          points.append(.value(peak))
        } else if let held, start * 1000 - held.ms <= gapLimitMs {
          points.append(.value(held.value))
        } else if let firstMs, firstMs < start * 1000 {
          points.append(.gap)
        } else {
          points.append(.none)
        }
      }
    }
    return points
  }

  @inline(__always)
  static func second(_ ms: Int64) -> Int64 { ms >= 0 ? ms / 1000 : (ms - 999) / 1000 }

  @inline(__always)
  static func index(_ second: Int64) -> Int {
    Int(((second % Int64(seconds)) + Int64(seconds)) % Int64(seconds))
  }
}

/// One column of a chart.
public enum ChartPoint: Equatable, Sendable {
  /// Before the device's first reading.
  case none
  /// Silence longer than the gap limit: nobody knows what the device drew.
  case gap
  case value(Float)
}
