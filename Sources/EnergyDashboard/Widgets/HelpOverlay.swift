/// What every key does and what every figure on the screen means: columns, units, windows,
/// statuses, the two drop counters and the chart scale. Scrolls with ↑/↓ when it does not fit.
public struct HelpOverlay {
  public var scroll: Int

  public init(scroll: Int = 0) {
    self.scroll = scroll
  }

  /// A heading (no term) or a term with its explanation.
  public struct Line: Sendable {
    public var term: String
    public var text: String
    public var isHeading: Bool { text.isEmpty }
  }

  public static let lines: [Line] = {
    var lines = [Line(term: "KEYS", text: "")]
    lines += KeyMap.help.map { Line(term: $0.keys, text: $0.action) }
    lines += [
      Line(term: "COLUMNS", text: ""),
      Line(term: "NOW", text: "latest reading; – when OFFLINE, in dropout or not heard;"),
      Line(term: "", text: "dim while paused: the last value, not a live one"),
      Line(term: "AVG MIN MAX", text: "power over the window in the title: all = since start,"),
      Line(term: "", text: "60s = the last 60 s (w switches)"),
      Line(term: "USED", text: "energy used in that window, by the trapezoid rule"),
      Line(term: "TODAY", text: "energy since local midnight (kept across restarts)"),
      Line(term: "COST", text: "today's energy at the tariff's prices (with a tariff)"),
      Line(term: "units", text: "W below 10 kW, then kW; Wh below 1 kWh, then kWh"),
      Line(term: "STATUS", text: "OK; WAITING (no reading yet); FAULT <kind> (injected);"),
      Line(term: "", text: "OFFLINE: silent for 3 periods, left out of the total"),
      Line(term: "N bad", text: "a real (MQTT) device's messages that were not watts"),
      Line(term: "CHARTS", text: ""),
      Line(term: "bars", text: "peak power per column over time, newest on the right"),
      Line(term: "·", text: "a gap: no reading for 3 periods (dropout, pause)"),
      Line(term: "max, last", text: "the chart's highest value and the time it spans"),
      Line(term: "scale", text: "own: each chart from 0 to its own max;"),
      Line(term: "", text: "shared: all charts from 0 to the highest (s switches)"),
      Line(term: "HEADER", text: ""),
      Line(term: "total", text: "power of the devices heard now; energy since start"),
      Line(term: "today …", text: "today, yesterday, this month and its projection: kWh,"),
      Line(term: "", text: "and cost with standing charges when a tariff is loaded"),
      Line(term: "ALERT", text: "the newest alert firing (a lists them all)"),
      Line(term: "logged", text: "readings written to logs/sensor_log.csv this session"),
      Line(term: "bus drops", text: "readings lost before the CSV log (a queue overflowed)"),
      Line(term: "backlog", text: "readings in the outbox the collector (or broker) lacks"),
      Line(term: "published", text: "readings the MQTT broker acknowledged (QoS 1) or got"),
      Line(term: "outbox drops", text: "oldest readings removed by the --outbox-max-mb cap"),
      Line(term: "rejected", text: "readings the collector refused (outbox/rejected/)"),
      Line(term: "outage, slow", text: "network faults injected from the fault menu (f)"),
      Line(term: "broker down", text: "the MQTT broker outage injected from the fault menu"),
    ]
    return lines
  }()

  static let termWidth = 13

  /// The largest useful scroll for an overlay of `height` rows.
  public static func maxScroll(height: Int) -> Int { max(0, lines.count - max(1, height - 4)) }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let box = area.centered(width: 80, height: Self.lines.count + 4)
    buffer.drawBox(box, title: "help", style: .overlay)
    let rows = max(0, box.height - 4)
    let first = max(0, min(scroll, Self.lines.count - rows))
    for (offset, line) in Self.lines.dropFirst(first).prefix(rows).enumerated() {
      let y = box.y + 1 + offset
      if line.isHeading {
        buffer.write(line.term, x: box.x + 2, y: y, style: .overlayKey, maxWidth: box.width - 4)
      } else {
        buffer.write(line.term, x: box.x + 3, y: y, style: .overlayKey, maxWidth: Self.termWidth)
        buffer.write(
          line.text, x: box.x + 4 + Self.termWidth, y: y, style: .overlay, maxWidth: box.width - 6 - Self.termWidth)
      }
    }
    let more = first + rows < Self.lines.count
    let footer = more || first > 0 ? "↑↓ scroll  ? or esc closes" : "? or esc closes"
    buffer.write(footer, x: box.x + 2, y: box.maxY - 2, style: .overlay, maxWidth: box.width - 4)
    if more {
      buffer.write("↓ more", x: box.maxX - 9, y: box.maxY - 2, style: .overlayKey)
    }
  }
}
