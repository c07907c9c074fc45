/// A devices file that cannot be used, with the file and field named so the user can fix it in one go.
public struct CatalogError: Error, Equatable, CustomStringConvertible {
  public var file: String
  public var message: String

  public init(file: String, message: String) {
    self.file = file
    self.message = message
  }

  public var description: String { "devices file \(file): \(message)" }
}
