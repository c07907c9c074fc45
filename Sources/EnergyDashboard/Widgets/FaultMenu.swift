import EnergySimulation

/// A box over the table: the faults that can be injected into the selected device and, when
/// forwarding or publishing, the links' faults, each with its state. Entries that cannot apply
/// to a real device are shown dim with the reason.
public struct FaultMenu {
  public var device: DeviceRow
  /// The injected collector faults; nil without a collector (their entries are hidden).
  public var network: (outage: Bool, slow: Bool)?
  /// The injected broker outage; nil without `--mqtt`.
  public var brokerOutage: Bool?
  public var cursor: Int

  public init(device: DeviceRow, network: (outage: Bool, slow: Bool)?, brokerOutage: Bool? = nil, cursor: Int) {
    self.device = device
    self.network = network
    self.brokerOutage = brokerOutage
    self.cursor = cursor
  }

  var entries: [FaultMenuEntry] {
    DashboardViewState.faultMenuEntries(links: NetworkLinks(collector: network != nil, broker: brokerOutage != nil))
  }

  /// `[on]`/`[off]` for toggles; device faults show `[on]` while active.
  func state(of entry: FaultMenuEntry) -> String? {
    switch entry {
    case .inject(let fault): device.status.faults.contains(fault) ? "[on]" : nil
    case .clear: nil
    case .collectorOutage: network.map { $0.outage ? "[on]" : "[off]" }
    case .slowNetwork: network.map { $0.slow ? "[on]" : "[off]" }
    case .brokerOutage: brokerOutage.map { $0 ? "[on]" : "[off]" }
    }
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let entries = self.entries
    let sections = 1 + (network == nil ? 0 : 1) + (brokerOutage == nil ? 0 : 1)
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
      if entry == .brokerOutage {
        buffer.write(" MQTT broker link", x: inner.x, y: y, style: .overlayKey, maxWidth: inner.width)
        y += 1
      }
      let unavailable = entry.unavailability(for: device)
      let style: CellStyle = index == cursor ? .overlaySelected : unavailable == nil ? .overlay : .overlayDim
      let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
      buffer.fill(row, with: Cell(" ", style: style))
      let stateWidth = unavailable.map { $0.count + 3 } ?? 6
      buffer.write("  \(index + 1) \(entry.title)", x: row.x, y: y, style: style, maxWidth: row.width - stateWidth - 1)
      if let unavailable {
        buffer.write("(\(unavailable))", x: row.maxX - unavailable.count - 3, y: y, style: style)
      } else if let state = state(of: entry) {
        buffer.write(state, x: row.maxX - state.count - 1, y: y, style: style)
      }
      y += 1
    }
    buffer.write(
      "enter/1-\(entries.count) choose  esc close", x: inner.x + 1, y: inner.maxY - 1, style: .overlay,
      maxWidth: inner.width - 2)
  }
}
