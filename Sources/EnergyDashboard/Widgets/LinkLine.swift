import EnergyCore
import EnergyPipeline

/// A link (to the collector, or to the MQTT broker) in one line: what the link is doing in plain
/// words, then its backlog, which no width cuts.
public struct LinkLine {
  public var label: String
  public var status: LinkStatus
  public var nowMs: Int64

  public init(label: String = "collector", status: LinkStatus, nowMs: Int64) {
    self.label = label
    self.status = status
    self.nowMs = nowMs
  }

  /// `connected`, `unreachable since 16:31:05 (connection refused), retry in 3 s`, …; each level
  /// of `compact` moves what matters less to the end, so a narrow screen cuts that first.
  public func healthText(compact: Int = 0) -> (text: String, style: CellStyle) {
    switch status.health {
    case .starting:
      return ("connecting…", .dim)
    case .connected:
      return (status.endpoint.map { "connected to \($0)" } ?? "connected", .ok)
    case .unreachable(let sinceMs, let reason, let retryAtMs):
      let time = Timestamp.timeOfDay(sinceMs)
      let text = switch compact {
      case 0: "unreachable since \(time) (\(reason)), \(retry(retryAtMs))"
      case 1: "unreachable since \(time), \(retry(retryAtMs)) (\(reason))"
      default: "unreachable, \(retry(retryAtMs)) (since \(time), \(reason))"
      }
      return (text, .warning)
    case .retrying(let untilMs, let reason):
      return (compact > 0 ? "\(retry(untilMs)) (\(label) answered \(reason))" : "\(label) answered \(reason), \(retry(untilMs))", .warning)
    case .authError(let reason):
      return ("auth error: \(reason)", .fault)
    case .configError(let reason):
      return ("config error: \(reason)", .fault)
    }
  }

  /// A countdown that never shows 0: once the time has come, the attempt is under way.
  func retry(_ atMs: Int64) -> String {
    let left = atMs - nowMs
    guard atMs > 0, left > 0 else { return "retrying now" }
    return "retry in \((left + 999) / 1000) s"
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let y = area.y
    let maxX = area.maxX
    var x = area.x
    x += buffer.write(" \(label) ", x: x, y: y, style: .dim, maxWidth: maxX - x)
    // The backlog always shows: the health text gives way before it.
    let backlog = "  backlog \(status.backlog)"
    let room = maxX - x - backlog.count - 1
    var health = healthText()
    for level in 1...2 where health.text.unicodeScalars.count > room { health = healthText(compact: level) }
    x += buffer.write(health.text, x: x, y: y, style: health.style, maxWidth: max(1, room))
    x += buffer.write(backlog, x: x, y: y, maxWidth: maxX - x)
    if let error = status.outboxError {
      buffer.write(
        "  outbox error: \(error) (\(status.waitingForOutbox) waiting)", x: x, y: y, style: .fault,
        maxWidth: maxX - x)
    }
  }
}
