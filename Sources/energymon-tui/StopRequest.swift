import Synchronization

/// Set once by whichever comes first: a signal, the end of `--duration`.
final class StopRequest: Sendable {
  private let flag = Atomic<Bool>(false)

  func request() { flag.store(true, ordering: .relaxed) }
  var isRequested: Bool { flag.load(ordering: .relaxed) }
}
