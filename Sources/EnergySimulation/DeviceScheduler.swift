import EnergyCore

/// Runs every device task concurrently under one owner, like a FreeRTOS scheduler with its
/// run-time statistics.
public final class DeviceScheduler: Sendable {
  public let tasks: [DeviceTask]
  public let control: RunControl

  public init(catalog: DeviceCatalog, seed: UInt64, control: RunControl = RunControl()) {
    // Real devices (kind mqtt) report by themselves: no task runs for them.
    self.tasks = catalog.devices.filter(\.isSimulated).map { DeviceTask(spec: $0, seed: seed) }
    self.control = control
  }

  public func task(for id: DeviceID) -> DeviceTask? {
    tasks.first { $0.spec.id == id }
  }

  /// Runs all tasks until the calling task is cancelled.
  public func run<C: Clock>(
    clock: C, wallTime: WallTime<C>, publish: @escaping @Sendable (Reading) -> Void
  ) async where C.Duration == Duration {
    await withTaskGroup(of: Void.self) { group in
      for task in tasks {
        group.addTask(priority: Self.taskPriority(task.spec.priority)) {
          await task.run(clock: clock, wallTime: wallTime, control: self.control, publish: publish)
        }
      }
    }
  }

  static func taskPriority(_ priority: Int) -> TaskPriority {
    switch priority {
    case ...0: .background
    case 1: .low
    case 2: .medium
    default: .high
    }
  }
}
