import EnergyCore

/// The device list: a header line, then two lines per device (its figures, then a sparkline as
/// wide as the screen). Scrolls to keep the selected device in view.
public struct DeviceTable {
  public var devices: [DeviceRow]
  public var selected: Int
  public var window: StatsWindow

  public init(devices: [DeviceRow], selected: Int, window: StatsWindow) {
    self.devices = devices
    self.selected = selected
    self.window = window
  }

  static let marginWidth = 2

  /// How many devices fit in `height` rows under the column header.
  public static func capacity(height: Int) -> Int { max(0, (height - 1) / 2) }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1, area.width > Self.marginWidth else { return }
    let columns = DeviceColumn.fitting(width: area.width - Self.marginWidth)
    var x = area.x + Self.marginWidth
    for column in columns {
      if column.isNumeric {
        buffer.writeRightAligned(
          Array(column.title.utf8), x: x, y: area.y, width: column.width, style: .columnHeader)
      } else {
        buffer.write(column.title, x: x, y: area.y, style: .columnHeader, maxWidth: column.width)
      }
      x += column.width + 1
    }
    buffer.restyle(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: .columnHeader)

    let capacity = Self.capacity(height: area.height)
    guard capacity > 0, !devices.isEmpty else { return }
    let first = max(0, min(selected - capacity + 1, devices.count - capacity))
    let last = min(devices.count, first + capacity)
    var scratch: [UInt8] = []
    scratch.reserveCapacity(32)
    for (slot, index) in (first..<last).enumerated() {
      let y = area.y + 1 + slot * 2
      renderRow(devices[index], selected: index == selected, columns: columns,
        into: &buffer, x: area.x, y: y, width: area.width, scratch: &scratch)
      if y + 1 < area.maxY {
        Sparkline(values: devices[index].history).render(
          into: &buffer,
          area: Rect(x: area.x + Self.marginWidth, y: y + 1, width: area.width - Self.marginWidth, height: 1))
      }
    }
    if first > 0 {
      buffer.write("↑\(first)", x: area.maxX - 6, y: area.y, style: .dim)
    }
    if last < devices.count {
      buffer.write("↓\(devices.count - last) more", x: area.maxX - 12, y: area.maxY - 1, style: .dim)
    }
  }

  private func renderRow(
    _ row: DeviceRow, selected: Bool, columns: [DeviceColumn], into buffer: inout ScreenBuffer,
    x: Int, y: Int, width: Int, scratch: inout [UInt8]
  ) {
    let stats = window == .sinceStart ? row.sinceStart : row.lastMinute
    let kwh = window == .sinceStart ? row.sinceStartKWh : row.lastMinuteKWh
    if selected { buffer.put("▶", x: x, y: y, style: .selected) }
    var column = x + Self.marginWidth
    for kind in columns {
      let style: CellStyle = selected ? .selected : .plain
      switch kind {
      case .id: buffer.write(row.id.rawValue, x: column, y: y, style: style, maxWidth: kind.width)
      case .name: buffer.write(row.name, x: column, y: y, style: style, maxWidth: kind.width)
      case .now:
        buffer.writeNumber(row.current, decimals: 1, x: column, y: y, width: kind.width, style: style, scratch: &scratch)
      case .avg:
        buffer.writeNumber(stats.average, decimals: 1, x: column, y: y, width: kind.width, style: style, scratch: &scratch)
      case .min:
        buffer.writeNumber(stats.minimum, decimals: 1, x: column, y: y, width: kind.width, style: style, scratch: &scratch)
      case .max:
        buffer.writeNumber(stats.maximum, decimals: 1, x: column, y: y, width: kind.width, style: style, scratch: &scratch)
      case .kwh:
        buffer.writeNumber(kwh, decimals: 4, x: column, y: y, width: kind.width, style: style, scratch: &scratch)
      case .status:
        buffer.write(row.status.label, x: column, y: y, style: row.status.style, maxWidth: kind.width)
      }
      column += kind.width + 1
    }
  }
}
