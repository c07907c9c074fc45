import Foundation

/// Which of the real programs the tests start are on this machine. A test that needs one that is
/// missing is skipped with the reason (`.enabled(if:)`), so a bare `swift test` on a machine
/// without them passes and says what it left out; `.ci/run` installs them all.
public enum Installed {
  public static let mosquitto = executable("/usr/sbin/mosquitto") && executable("/usr/bin/mosquitto_pub")
  public static let postgres = PostgresServer.isInstalled
  public static let chromium = executable("/usr/bin/chromium")
  public static let prometheus = executable("/usr/bin/promtool") && executable("/usr/bin/prometheus")
  public static let tmux = executable("/usr/bin/tmux")

  private static func executable(_ path: String) -> Bool { FileManager.default.isExecutableFile(atPath: path) }
}
