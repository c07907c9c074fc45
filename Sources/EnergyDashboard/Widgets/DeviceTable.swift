import EnergyCore
import EnergyPipeline

/// The device list: a header line, then two lines per device (its figures, then a chart of its
/// power over time with its peak and span). Scrolls to keep the selected device in view.
public struct DeviceTable {
  public var devices: [DeviceRow]
  public var selected: Int
  public var window: StatsWindow
  public var chartScale: ChartScale
  public var nowMs: Int64
  /// Paused: the NOW figures are the last ones heard, drawn dim.
  public var paused: Bool
  /// The tariff's currency: the COST column is shown with one.
  public var currency: String?

  public init(
    devices: [DeviceRow], selected: Int, window: StatsWindow, chartScale: ChartScale = .own,
    nowMs: Int64 = 0, paused: Bool = false
  ) {
    self.devices = devices
    self.selected = selected
    self.window = window
    self.chartScale = chartScale
    self.nowMs = nowMs
    self.paused = paused
  }

  static let marginWidth = 2

  /// How many devices fit in `height` rows under the column header, two rows each.
  public static func capacity(height: Int) -> Int { max(0, (height - 1) / 2) }

  /// Rows of chart per device, and whether a blank row follows it: with room, charts grow (up
  /// to eight rows) instead of leaving the screen's lower part empty.
  public static func layout(height: Int, devices: Int) -> (chartRows: Int, spacer: Bool) {
    let each = min(10, max(0, height - 1) / max(1, devices))
    if each >= 5 { return (each - 2, true) }
    if each >= 3 { return (each - 1, false) }
    return (1, false)
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1, area.width > Self.marginWidth else { return }
    let columns = DeviceColumn.fitting(width: area.width - Self.marginWidth, withCost: currency != nil)
    buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), with: Cell(" ", style: .columnHeader))
    var x = area.x + Self.marginWidth
    for column in columns {
      let title = column.title(window: window)
      if column.isNumeric {
        buffer.writeRightAligned(Array(title.utf8), x: x, y: area.y, width: column.width, style: .columnHeader)
      } else {
        buffer.write(title, x: x, y: area.y, style: .columnHeader, maxWidth: column.width)
      }
      x += column.width + 1
    }

    // When not every device fits, the last row says how many more there are.
    let (chartRows, spacer) = Self.layout(height: area.height, devices: devices.count)
    let rowsEach = 1 + chartRows + (spacer ? 1 : 0)
    var capacity = max(0, (area.height - 1) / rowsEach)
    if devices.count > capacity { capacity = Self.capacity(height: area.height - 1) }
    guard capacity > 0, !devices.isEmpty else { return }
    let first = max(0, min(selected - capacity + 1, devices.count - capacity))
    let last = min(devices.count, first + capacity)

    let labelWidth = Sparkline.labelWidth(totalWidth: area.width)
    let chartArea = area.width - Self.marginWidth - labelWidth - 1
    let span = ChartSpan(columns: chartArea)
    func chart(_ index: Int) -> Sparkline {
      Sparkline(
        points: devices[index].history.points(columns: span.columns, spanSeconds: span.seconds, nowMs: nowMs),
        span: span)
    }
    // Shared: a first pass finds the top; each chart is then built again and drawn at once, while
    // its points are still in cache.
    let sharedTop = chartScale == .shared ? (first..<last).compactMap { chart($0).peak }.max() : nil

    for (slot, index) in (first..<last).enumerated() {
      let y = area.y + 1 + slot * rowsEach
      renderRow(devices[index], selected: index == selected, columns: columns, into: &buffer, x: area.x, y: y, width: area.width)
      guard y + 1 < area.maxY, chartArea > 0 else { continue }
      var sparkline = chart(index)
      sparkline.top = sharedTop
      let rows = min(chartRows, area.maxY - y - 1)
      let chartRect = Rect(x: area.x + Self.marginWidth, y: y + 1, width: chartArea, height: rows)
      if rows > 1 {
        BarChart(points: sparkline.points, top: sharedTop ?? sparkline.peak ?? 0).render(into: &buffer, area: chartRect)
      } else {
        sparkline.render(into: &buffer, area: chartRect)
      }
      let label = sparkline.label(compact: labelWidth < 20)
      buffer.write(label, x: area.maxX - labelWidth, y: y + 1, style: .dim, maxWidth: labelWidth)
    }
    if first > 0 || last < devices.count {
      let more = [first > 0 ? "↑\(first)" : nil, last < devices.count ? "↓\(devices.count - last)" : nil]
        .compactMap { $0 }.joined(separator: " ")
      buffer.write("  \(more) more (↑↓ select)", x: area.x, y: area.maxY - 1, style: .dim, maxWidth: area.width)
    }
  }

  private func renderRow(
    _ row: DeviceRow, selected: Bool, columns: [DeviceColumn], into buffer: inout ScreenBuffer,
    x: Int, y: Int, width: Int
  ) {
    let stats = window == .sinceStart ? row.sinceStart : row.lastMinute
    let kwh = window == .sinceStart ? row.sinceStartKWh : row.lastMinuteKWh
    let style: CellStyle = selected ? .selected : .plain
    let notLive: CellStyle = selected ? .selectedDim : .dim
    // The selected row is one solid bar, gaps between columns included.
    if selected {
      buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: .selected))
      buffer.put("▶", x: x, y: y, style: .selected)
    }
    var column = x + Self.marginWidth
    var scratch: [UInt8] = []
    scratch.reserveCapacity(16)
    /// Right-aligns a figure written by `fill` into the scratch bytes, or `–` when there is none.
    func figure(_ width: Int, _ style: CellStyle, _ fill: ((inout [UInt8]) -> Void)?) {
      scratch.removeAll(keepingCapacity: true)
      guard let fill else {
        buffer.put("–", x: column + width - 1, y: y, style: style)
        return
      }
      fill(&scratch)
      buffer.writeRightAligned(scratch, x: column, y: y, width: width, style: style)
    }
    func power(_ watts: Double?) -> ((inout [UInt8]) -> Void)? {
      watts.map { value in { Units.appendPower(value, to: &$0) } }
    }
    for kind in columns {
      switch kind {
      case .id: buffer.write(row.id.rawValue, x: column, y: y, style: style, maxWidth: kind.width)
      case .name: buffer.write(row.name, x: column, y: y, style: style, maxWidth: kind.width)
      case .now:
        // An OFFLINE or WAITING device draws nothing we know of: a dash, not its last reading.
        let live = row.isReporting && !paused
        figure(kind.width, live ? style : notLive, row.isReporting ? power(row.current) : nil)
      case .avg: figure(kind.width, style, power(stats.average))
      case .min: figure(kind.width, style, power(stats.minimum))
      case .max: figure(kind.width, style, power(stats.maximum))
      case .used: figure(kind.width, style) { Units.appendEnergy(kwh, to: &$0) }
      case .today: figure(kind.width, style) { Units.appendEnergy(row.todayKWh, to: &$0) }
      case .cost:
        if let cost = row.todayCost, let currency {
          let text = Money.format(cost, currency: currency)
          let start = column + max(0, kind.width - text.unicodeScalars.count)
          buffer.write(text, x: start, y: y, style: style, maxWidth: kind.width)
        } else {
          buffer.put("–", x: column + kind.width - 1, y: y, style: style)
        }
      case .status:
        let label = row.status.label
        let written = buffer.write(label, x: column, y: y, style: selected ? .selected : row.status.style, maxWidth: kind.width)
        // A real device's messages that could not be read as watts: counted where it is seen.
        if row.unreadable > 0 {
          // The status column is the last: a problem worth naming may use the rest of the line.
          let room = x + width - column - written
          let long = row.unreadableProblem.map { " \(row.unreadable) bad \($0)" }
          let text = long.flatMap { $0.count <= room ? $0 : nil } ?? " \(row.unreadable) bad"
          buffer.write(
            text, x: column + written, y: y, style: selected ? .selected : .warning,
            maxWidth: max(kind.width - written, min(room, text.count)))
        }
      }
      column += kind.width + 1
    }
  }
}
