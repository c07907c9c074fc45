/// A usage or configuration problem: printed as one line, exit status 2.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
