import EnergyCore
import ServiceLifecycle

/// The last service of the monitor's group: it returns, starting the group's graceful shutdown,
/// when `quit()` is called (`q`, the end of `--duration`, a test cancelling the run), and it is
/// the first told when a signal starts the shutdown, so `isQuitting` answers either way.
public final class QuitSwitch: Service, Sendable, CustomStringConvertible {
  private let latch = Latch()

  public init() {}

  public var description: String { "quit switch" }

  public func quit() { latch.open() }

  public var isQuitting: Bool { latch.isOpen }

  public func run() async throws {
    await withGracefulShutdownHandler {
      await latch.wait()
    } onGracefulShutdown: {
      self.latch.open()
    }
  }

  /// In a group: returning shuts the group down gracefully.
  public var configuration: ServiceGroupConfiguration.ServiceConfiguration {
    .init(service: self, successTerminationBehavior: .gracefullyShutdownGroup)
  }
}
