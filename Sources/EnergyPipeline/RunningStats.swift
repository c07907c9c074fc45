/// Count, mean, minimum and maximum of a stream of values in O(1) memory.
public struct RunningStats: Equatable, Sendable {
  public private(set) var count = 0
  public private(set) var sum = 0.0
  public private(set) var min = Double.infinity
  public private(set) var max = -Double.infinity

  public init() {}

  @inline(__always)
  public mutating func add(_ value: Double) {
    count += 1
    sum += value
    if value < min { min = value }
    if value > max { max = value }
  }

  public mutating func merge(_ other: RunningStats) {
    count += other.count
    sum += other.sum
    min = Swift.min(min, other.min)
    max = Swift.max(max, other.max)
  }

  /// nil until a value has been seen.
  public var average: Double? { count == 0 ? nil : sum / Double(count) }
  public var minimum: Double? { count == 0 ? nil : min }
  public var maximum: Double? { count == 0 ? nil : max }
}
