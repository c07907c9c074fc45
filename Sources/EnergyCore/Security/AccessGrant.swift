/// What one request may see and write: every home's readings, or those of some sources (homes).
public enum AccessGrant: Equatable, Sendable {
  case everything
  case sources(Set<String>)

  public func allows(source: String) -> Bool {
    switch self {
    case .everything: true
    case .sources(let names): names.contains(source)
    }
  }

  /// The sources a read covers: `asked` (a `source=` parameter) when given, else all this grant
  /// may see; nil means every source.
  public func scope(asking asked: String?) -> Set<String>? {
    switch (self, asked) {
    case (.everything, nil): nil
    case (_, let name?): [name]
    case (.sources(let names), nil): names
    }
  }
}
