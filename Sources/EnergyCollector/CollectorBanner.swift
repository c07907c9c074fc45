import EnergyCore
import Foundation

/// What the collector prints when it starts and stops: the dashboard's URL, the database, whether
/// a token is required, and how many readings it holds, so nobody has to guess.
public enum CollectorBanner {
  public static func baseURL(host: String, port: Int) -> String {
    let shown = host.contains(":") ? "[\(host)]" : host
    return "http://\(shown):\(port)"
  }

  public static func starting(_ arguments: CollectorArguments, port: Int, readings: Int) -> [String] {
    let base = baseURL(host: arguments.host, port: port)
    var lines = [
      "energymon-collector: dashboard \(base)/dashboard",
      "energymon-collector: database \(shown(arguments)) (\(readings) readings)",
      Self.accessLine(arguments, base: base),
    ]
    if let tariff = arguments.tariff {
      let source = arguments.tariffPath.map { " from \(absolute($0))" } ?? ""
      lines.append(
        "energymon-collector: prices\(source): \(tariff.currency), days in \(tariff.calendar.identifier), \(tariff.rates.count) rate\(tariff.rates.count == 1 ? "" : "s")")
    }
    if let mqtt = arguments.mqtt {
      lines.append("energymon-collector: mqtt: storing \(mqtt.filter) from \(mqtt.broker) (client id \(mqtt.clientID))")
    }
    return lines
  }

  static func accessLine(_ arguments: CollectorArguments, base: String) -> String {
    if let tokens = arguments.tokens {
      let admins = tokens.entries.filter { $0.grant == .everything }.count
      let from = arguments.tokensPath.map { " from \(absolute($0))" } ?? ""
      return "energymon-collector: \(tokens.entries.count) tokens\(from) (\(admins) admin): each home posts and reads only its own sources"
    }
    return arguments.token == nil
      ? "energymon-collector: no token: anyone who can reach \(base) may post and read readings"
      : "energymon-collector: token required (Authorization: Bearer …) to post and read readings"
  }

  public static func stopped(_ arguments: CollectorArguments, readings: Int) -> String {
    "energymon-collector: stopped; \(shown(arguments)) holds \(readings) readings"
  }

  /// The database for the console: a PostgreSQL URL without its password, or the file's full path.
  static func shown(_ arguments: CollectorArguments) -> String {
    if case .success(let location) = PostgresLocation.parse(arguments.databasePath) {
      let retention = arguments.retainRawDays.map { ", raw readings kept \($0) days" } ?? ""
      return location.description + retention
    }
    return absolute(arguments.databasePath)
  }

  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : PathText.join(FileManager.default.currentDirectoryPath, path)
  }
}
