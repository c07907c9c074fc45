/// Path arithmetic on plain strings. Foundation's `NSString` path methods trap on a path of one
/// character (`--data-dir d`) in this toolchain's corelibs, so every path is built here instead.
public enum PathText {
  /// `a/b` → `a/b/name`; `a/` → `a/name`; an empty base gives `name`.
  public static func join(_ base: String, _ name: String) -> String {
    if base.isEmpty { return name }
    return base.hasSuffix("/") ? base + name : base + "/" + name
  }

  /// `a/b/c` → `a/b`; `c` → ``; `/c` → `/`; trailing slashes are ignored.
  public static func parent(of path: String) -> String {
    let trimmed = trimmingTrailingSlashes(path)
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    let parent = trimmingTrailingSlashes(String(trimmed[..<slash]))
    return parent.isEmpty ? "/" : parent
  }

  /// `a/b/c.csv` → `c.csv`; trailing slashes are ignored.
  public static func lastComponent(of path: String) -> String {
    let trimmed = trimmingTrailingSlashes(path)
    guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  static func trimmingTrailingSlashes(_ path: String) -> String {
    var result = Substring(path)
    while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
    return String(result)
  }
}
