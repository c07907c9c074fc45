/// A settings file (tariff, alert rules) that cannot be used, naming the file and the field, so
/// the user can fix it in one go; the programs exit 2 with this one line.
public struct ConfigFileError: Error, Equatable, CustomStringConvertible {
  /// `tariff`, `alerts`.
  public var kind: String
  public var file: String
  public var message: String

  public init(kind: String, file: String, message: String) {
    self.kind = kind
    self.file = file
    self.message = message
  }

  public var description: String { "\(kind) file \(file): \(message)" }
}
