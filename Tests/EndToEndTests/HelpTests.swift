import Foundation
import Testing

/// `--help` of both programs against the README: the same options, each with its default and an
/// example, so neither can drift from the other.
@Suite(.timeLimit(.minutes(1))) struct HelpTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"
  let readme: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
  }()

  /// The README's synopsis: the code block holding a line that starts with `firstLine`.
  func synopsisOptions(startingWith firstLine: String) -> Set<String> {
    let blocks = readme.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    guard let block = blocks.first(where: { $0.split(separator: "\n").contains { $0.hasPrefix(firstLine) } })
    else { return [] }
    return Set(block.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
  }

  /// Each option of a `--help` text and the lines that describe it.
  func helpEntries(_ text: String) -> [String: String] {
    var entries: [String: String] = [:]
    var current: String?
    var inOptions = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("OPTIONS:") { inOptions = true; continue }
      guard inOptions else { continue }
      if line.isEmpty || !line.hasPrefix(" ") { inOptions = line.isEmpty ? inOptions : false; current = nil; continue }
      if let match = line.firstMatch(of: /^  (?:-[a-z], )?(--[a-z][a-z0-9-]*)/) {
        current = String(match.output.1)
        entries[current!] = String(line)
      } else if let current {
        entries[current, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
      }
    }
    entries["--help"] = nil
    return entries
  }

  @Test func theMonitorsHelpAndTheReadmeNameTheSameOptionsEachWithDefaultAndExample() throws {
    let main = helpEntries(try runProcess(binaryPath, ["--help"]).stdout)
    let export = helpEntries(try runProcess(binaryPath, ["export", "--help"]).stdout)
    #expect(main.count >= 24, "\(main.keys.sorted())")
    #expect(Set(main.keys).union(export.keys) == synopsisOptions(startingWith: "energymon-tui "))
    for (option, text) in main.merging(export, uniquingKeysWith: { $0 + $1 }) {
      #expect(text.contains("default") || text.contains("required"), "\(option): \(text)")
      #expect(text.contains("e.g. \(option)") || text.contains("e.g. --"), "\(option): \(text)")
    }
  }

  @Test func theCollectorsHelpAndTheReadmeNameTheSameOptionsEachWithDefaultAndExample() throws {
    let main = helpEntries(try runProcess(collectorPath, ["--help"]).stdout)
    let hashToken = helpEntries(try runProcess(collectorPath, ["hash-token", "--help"]).stdout)
    #expect(main.count >= 14, "\(main.keys.sorted())")
    #expect(Set(main.keys).union(hashToken.keys) == synopsisOptions(startingWith: "swift run energymon-collector "))
    for (option, text) in main.merging(hashToken, uniquingKeysWith: { $0 + $1 }) {
      #expect(text.contains("default"), "\(option): \(text)")
      #expect(text.contains("e.g. --"), "\(option): \(text)")
    }
  }
}
