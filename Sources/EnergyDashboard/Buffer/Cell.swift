/// One character cell of the screen. Every character we draw is one column wide.
public struct Cell: Equatable, Sendable {
  public var scalar: Unicode.Scalar
  public var style: CellStyle

  public init(_ scalar: Unicode.Scalar, style: CellStyle = .plain) {
    self.scalar = scalar
    self.style = style
  }

  public static let blank = Cell(" ")
}
