import EnergyCore

/// Watches readings and the day's totals against the alert rules: one `firing` event when a
/// condition has held for its time, one `recovered` when it clears, nothing in between. Pure
/// state: the caller feeds readings and ticks with the time, so tests run in virtual time.
public struct AlertEngine: Sendable {
  struct Key: Hashable, Sendable {
    var rule: Int
    var device: DeviceID?
  }

  struct Track: Sendable {
    /// When the above/below condition started holding.
    var since: Int64?
    var lastValue: Double?
    var lastChangeMs: Int64 = 0
    var lastHeardMs: Int64?
    var firing: AlertEvent?
    /// The local day a daily rule last fired on.
    var firedDay: LocalDay?
  }

  public let rules: [AlertRule]
  private var tracks: [Key: Track] = [:]
  /// Newest last, at most `recentLimit`.
  public private(set) var recent: [AlertEvent] = []
  public static let recentLimit = 100

  public init(rules: [AlertRule]) {
    self.rules = rules
  }

  /// Alerts firing now, oldest first.
  public var active: [AlertEvent] {
    tracks.values.compactMap(\.firing).sorted { ($0.atMs, $0.rule) < ($1.atMs, $1.rule) }
  }

  /// Folds in one reading; returns the alerts it starts or clears.
  public mutating func observe(_ reading: Reading) -> [AlertEvent] {
    var events: [AlertEvent] = []
    for (index, rule) in rules.enumerated() where !rule.kind.isDaily && rule.applies(to: reading.deviceID) {
      let key = Key(rule: index, device: reading.deviceID)
      var track = tracks[key] ?? Track()
      let at = reading.timestampMs
      let power = reading.power
      switch rule.kind {
      case .above, .below:
        let holds = rule.kind == .above ? power > rule.watts : power < rule.watts
        if holds {
          if track.since == nil { track.since = at }
          track.lastValue = power
          if track.firing == nil, at - track.since! >= rule.forMs { events.append(fire(rule, reading.deviceID, at, power, &track)) }
        } else {
          track.since = nil
          if track.firing != nil {
            events.append(recover(rule, reading.deviceID, at, power, "at \(AlertText.watts(power))", &track))
          }
        }
      case .silent:
        if track.firing != nil { events.append(recover(rule, reading.deviceID, at, power, "reporting again", &track)) }
      case .stuck:
        if track.lastValue != power || track.lastHeardMs == nil {
          track.lastChangeMs = at
          track.lastValue = power
          if track.firing != nil {
            events.append(recover(rule, reading.deviceID, at, power, "changed to \(AlertText.watts(power))", &track))
          }
        } else if track.firing == nil, at - track.lastChangeMs >= rule.forMs {
          events.append(fire(rule, reading.deviceID, at, power, &track))
        }
      case .dailyKWh, .dailyCost:
        break
      }
      track.lastHeardMs = at
      tracks[key] = track
    }
    remember(events)
    return events
  }

  /// Checks what time alone can start or clear: silence, a condition that still holds, and the
  /// daily budgets. `quietSinceMs`: the start or latest resume, before which nobody is silent;
  /// `today` gives today's kWh and cost of one device, or of the home for nil.
  public mutating func tick(
    nowMs: Int64, devices: [DeviceID], quietSinceMs: Int64, paused: Bool, day: LocalDay,
    today: (DeviceID?) -> (kilowattHours: Double, cost: Double?)
  ) -> [AlertEvent] {
    var events: [AlertEvent] = []
    for (index, rule) in rules.enumerated() {
      let scope: [DeviceID?] = rule.everyDevice ? devices : [rule.device]
      for device in scope {
        let key = Key(rule: index, device: device)
        var track = tracks[key] ?? Track()
        switch rule.kind {
        case .above, .below:
          if let since = track.since, track.firing == nil, nowMs - since >= rule.forMs, let device {
            events.append(fire(rule, device, nowMs, track.lastValue ?? 0, &track))
          }
        case .silent:
          let heard = max(track.lastHeardMs ?? quietSinceMs, quietSinceMs)
          if !paused, track.firing == nil, nowMs - heard >= rule.forMs, let device {
            events.append(fire(rule, device, nowMs, Double(nowMs - heard) / 1000, &track))
          }
        case .stuck:
          break
        case .dailyKWh, .dailyCost:
          let figures = today(device)
          let value = rule.kind == .dailyKWh ? figures.kilowattHours : figures.cost ?? 0
          if track.firing != nil, track.firedDay != day {
            events.append(recover(rule, device, nowMs, value, "a new day", &track))
          }
          if track.firedDay != day, value > rule.limit {
            track.firedDay = day
            events.append(fire(rule, device, nowMs, value, &track))
          }
        }
        tracks[key] = track
      }
    }
    remember(events)
    return events
  }

  private mutating func remember(_ events: [AlertEvent]) {
    guard !events.isEmpty else { return }
    recent.append(contentsOf: events)
    if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
  }

  private func fire(_ rule: AlertRule, _ device: DeviceID?, _ at: Int64, _ value: Double, _ track: inout Track) -> AlertEvent {
    let who = device.map { "\($0) " } ?? ""
    let what: String =
      switch rule.kind {
      case .above: "\(who)above \(AlertText.watts(rule.watts)) for \(Self.duration(rule.forMs)) (\(AlertText.watts(value)))"
      case .below: "\(who)below \(AlertText.watts(rule.watts)) for \(Self.duration(rule.forMs)) (\(AlertText.watts(value)))"
      case .silent: "\(who)silent for \(Self.duration(rule.forMs))"
      case .stuck: "\(who)stuck at \(AlertText.watts(value)) for \(Self.duration(rule.forMs))"
      case .dailyKWh: "\(who)used \(FixedPoint.string(value, decimals: 2)) kWh today, over \(FixedPoint.string(rule.limit, decimals: 2))"
      case .dailyCost: "\(who)cost \(FixedPoint.string(value, decimals: 2)) today, over \(FixedPoint.string(rule.limit, decimals: 2))"
      }
    let event = AlertEvent(
      rule: rule.name, kind: rule.kind, device: device, phase: .firing, atMs: at, value: value, message: "\(rule.name): \(what)")
    track.firing = event
    return event
  }

  private func recover(
    _ rule: AlertRule, _ device: DeviceID?, _ at: Int64, _ value: Double, _ how: String, _ track: inout Track
  ) -> AlertEvent {
    track.firing = nil
    let who = device.map { "\($0) " } ?? ""
    return AlertEvent(
      rule: rule.name, kind: rule.kind, device: device, phase: .recovered, atMs: at, value: value,
      message: "\(rule.name) cleared: \(who)\(how)")
  }

  /// `10 s`, `5 min`, `2 h`: as the rule was written, in the largest whole unit.
  static func duration(_ ms: Int64) -> String {
    let seconds = ms / 1000
    if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600) h" }
    if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60) min" }
    return ms % 1000 == 0 ? "\(seconds) s" : "\(FixedPoint.string(Double(ms) / 1000, decimals: 1)) s"
  }
}

/// Figures in alert lines.
enum AlertText {
  /// `1600 W`, `4.35 kW`: a threshold or reading in an alert line.
  static func watts(_ value: Double) -> String {
    abs(value) >= 10_000 ? FixedPoint.string(value / 1000, decimals: 2) + " kW"
      : FixedPoint.string(value, decimals: value == value.rounded() ? 0 : 1) + " W"
  }
}
