import Synchronization

/// Pause switch shared by the UI and every device task: paused tasks produce nothing.
public final class RunControl: Sendable {
  private let paused = Mutex(false)

  public init() {}

  public var isPaused: Bool { paused.withLock { $0 } }

  /// Flips the state and returns the new one (true = paused).
  @discardableResult
  public func togglePause() -> Bool {
    paused.withLock { value in
      value.toggle()
      return value
    }
  }

  public func setPaused(_ value: Bool) {
    paused.withLock { $0 = value }
  }
}
