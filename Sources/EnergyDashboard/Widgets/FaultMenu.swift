import EnergySimulation

/// A box over the table: the faults that can be injected into the selected device and, when
/// forwarding, the collector link's two faults, each with its state.
public struct FaultMenu {
  public var device: DeviceRow
  /// The injected network faults; nil without a collector (their entries are hidden).
  public var network: (outage: Bool, slow: Bool)?
  public var cursor: Int

  public init(device: DeviceRow, network: (outage: Bool, slow: Bool)?, cursor: Int) {
    self.device = device
    self.network = network
    self.cursor = cursor
  }

  var entries: [FaultMenuEntry] { DashboardViewState.faultMenuEntries(collector: network != nil) }

  /// `[on]`/`[off]` for toggles; device faults show `[on]` while active.
  func state(of entry: FaultMenuEntry) -> String? {
    switch entry {
    case .inject(let fault): device.status.faults.contains(fault) ? "[on]" : nil
    case .clear: nil
    case .collectorOutage: network.map { $0.outage ? "[on]" : "[off]" }
    case .slowNetwork: network.map { $0.slow ? "[on]" : "[off]" }
    }
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let entries = self.entries
    let sections = network == nil ? 1 : 2
    let box = area.centered(width: 48, height: entries.count + sections + 4)
    buffer.drawBox(box, title: "faults", style: .overlay)
    let inner = Rect(x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 2)
    var y = inner.y
    buffer.write(" \(device.id.rawValue) \(device.name)", x: inner.x, y: y, style: .overlayKey, maxWidth: inner.width)
    y += 1
    for (index, entry) in entries.enumerated() {
      if entry == .collectorOutage {
        buffer.write(" collector link", x: inner.x, y: y, style: .overlayKey, maxWidth: inner.width)
        y += 1
      }
      let style: CellStyle = index == cursor ? .overlaySelected : .overlay
      let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
      buffer.fill(row, with: Cell(" ", style: style))
      buffer.write("  \(index + 1) \(entry.title)", x: row.x, y: y, style: style, maxWidth: row.width - 6)
      if let state = state(of: entry) {
        buffer.write(state, x: row.maxX - state.count - 1, y: y, style: style)
      }
      y += 1
    }
    buffer.write(
      "enter/1-\(entries.count) choose  esc close", x: inner.x + 1, y: inner.maxY - 1, style: .overlay,
      maxWidth: inner.width - 2)
  }
}
