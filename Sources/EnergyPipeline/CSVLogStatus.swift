/// What the screen shows about the sensor log.
public struct CSVLogStatus: Equatable, Sendable {
  /// nil while writes succeed; otherwise the latest error, e.g. `logs/sensor_log.csv: No space left on device`.
  public var error: String?
  /// Readings written to the file this session.
  public var written = 0
  /// Readings waiting in memory for the next successful write.
  public var pending = 0
  /// Readings lost because the in-memory backlog hit its cap during a long outage.
  public var dropped = 0

  public init() {}
}
