import EnergyCore

/// FreeRTOS-style run-time statistics of every device task, plus the bus consumers' counts.
public struct TasksPanel {
  public var tasks: [TaskRow]
  public var model: DashboardModel

  public init(model: DashboardModel) {
    self.tasks = model.tasks
    self.model = model
  }

  /// Rows wanted for all tasks: border, header, tasks, bus line, border.
  public var preferredHeight: Int { tasks.count + 4 }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 3 else { return }
    buffer.drawBox(area, title: "tasks", style: .plain)
    let inner = Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    let header = pad("TASK", 7) + pad("PRIO", 5, right: true) + pad("PERIOD", 9, right: true)
      + pad("RUNS", 8, right: true) + pad("MISSED", 8, right: true) + pad("JITTER MAX", 12, right: true)
      + "  PHASE"
    buffer.write(header, x: inner.x, y: inner.y, style: .columnHeader, maxWidth: inner.width)
    let rowsForTasks = max(0, inner.height - 2)
    for (offset, task) in tasks.prefix(rowsForTasks).enumerated() {
      let line = pad(task.id.rawValue, 7) + pad("\(task.priority)", 5, right: true)
        + pad(FixedPoint.string(task.period.secondsDouble, decimals: 2) + "s", 9, right: true)
        + pad("\(task.stats.runs)", 8, right: true)
        + pad("\(task.stats.deadlineMisses)", 8, right: true)
        + pad(FixedPoint.string(task.stats.worstJitter.secondsDouble * 1000, decimals: 1) + "ms", 12, right: true)
        + "  " + task.stats.phase
      buffer.write(
        line, x: inner.x, y: inner.y + 1 + offset,
        style: task.stats.deadlineMisses > 0 ? .warning : .plain, maxWidth: inner.width)
    }
    let consumers = model.consumers.map { "\($0.name) \($0.delivered)/\($0.dropped)" }
      .joined(separator: "  ")
    buffer.write(
      "bus: published \(model.published)  delivered/dropped: \(consumers)", x: inner.x, y: inner.maxY - 1,
      style: .dim, maxWidth: inner.width)
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let count = text.unicodeScalars.count
    guard count < width else { return String(text.unicodeScalars.prefix(width - 1)) + " " }
    let spaces = String(repeating: " ", count: width - count)
    return right ? spaces + text : text + spaces
  }
}
