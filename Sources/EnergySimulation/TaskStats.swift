/// FreeRTOS-style run-time statistics of one periodic task.
public struct TaskStats: Equatable, Sendable {
  /// Times the task ran while not paused.
  public var runs = 0
  /// Periods whose deadline passed before the task could run (skipped, not bunched up).
  public var deadlineMisses = 0
  /// The latest wake-up after a deadline seen so far.
  public var worstJitter: Duration = .zero
  public var lastJitter: Duration = .zero
  /// Readings actually published (runs minus dropout).
  public var readings = 0
  public var phase = ""

  public init() {}
}
