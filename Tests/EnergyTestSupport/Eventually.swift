import Foundation

/// Polls `condition` every 50 ms until it holds or `timeout` seconds pass; returns whether it held.
/// This waits on another process reaching a state, bounded in time; it never stands in for a clock.
public func eventually(timeout: Double = 15, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if condition() { return true }
    usleep(50_000)
  }
  return condition()
}

/// `eventually` for async tests: polls with `Task.sleep`, so waiting never holds one of the few
/// cooperative threads the code under test (and every other test) needs to make progress.
public func waitUntil(timeout: Double = 15, _ condition: () -> Bool) async -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if condition() { return true }
    try? await Task.sleep(for: .milliseconds(20))
  }
  return condition()
}
