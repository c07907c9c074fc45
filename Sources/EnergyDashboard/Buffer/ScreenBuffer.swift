import EnergyCore

/// An off-screen grid of cells that widgets draw into. The terminal diffs two of them and writes
/// only what changed; tests read `lines`.
public struct ScreenBuffer: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.cells = Array(repeating: fill, count: self.width * self.height)
  }

  public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  @inline(__always)
  public mutating func put(_ scalar: Unicode.Scalar, x: Int, y: Int, style: CellStyle) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    cells[y * width + x] = Cell(scalar, style: style)
  }

  /// Direct access to the cells of row `y` from column `x` on, clipped to the buffer, for widgets
  /// that fill many cells (sparklines) and should not pay a bounds check per cell.
  @inline(__always)
  public mutating func withRow<R>(
    _ y: Int, from x: Int, _ body: (inout UnsafeMutableBufferPointer<Cell>) -> R
  ) -> R? {
    guard y >= 0, y < height, x >= 0, x < width else { return nil }
    let start = y * width + x
    let count = width - x
    return cells.withUnsafeMutableBufferPointer { all in
      var row = UnsafeMutableBufferPointer(rebasing: all[start..<(start + count)])
      return body(&row)
    }
  }

  /// Writes `text` from (x, y), clipped to `maxWidth` columns and the buffer; returns columns used.
  /// Text cut short ends in `…` so a truncated name never reads as a whole one.
  @discardableResult
  public mutating func write(
    _ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int = .max
  ) -> Int {
    guard y >= 0, y < height, x < width else { return 0 }
    let limit = min(maxWidth, width - x)
    guard limit > 0 else { return 0 }
    var column = 0
    var scalars = text.unicodeScalars.makeIterator()
    var pending = scalars.next()
    while let scalar = pending, column < limit {
      pending = scalars.next()
      let isCut = column == limit - 1 && pending != nil
      put(isCut ? "…" : scalar, x: x + column, y: y, style: style)
      column += 1
    }
    return column
  }

  /// Writes ASCII bytes right-aligned in a field of `width` columns ending before `x + width`.
  public mutating func writeRightAligned(
    _ bytes: [UInt8], x: Int, y: Int, width fieldWidth: Int, style: CellStyle
  ) {
    let shown = min(bytes.count, fieldWidth)
    let start = x + fieldWidth - shown
    for index in 0..<shown {
      put(Unicode.Scalar(bytes[bytes.count - shown + index]), x: start + index, y: y, style: style)
    }
  }

  public mutating func fill(_ rect: Rect, with cell: Cell) {
    Self.forEachIndex(in: rect, width: width, height: height) { cells[$0] = cell }
  }

  /// Calls `body` with the index of every cell of `rect` that lies inside the buffer.
  private static func forEachIndex(in rect: Rect, width: Int, height: Int, _ body: (Int) -> Void) {
    let x0 = max(0, rect.x)
    let x1 = min(width, rect.maxX)
    let y0 = max(0, rect.y)
    let y1 = min(height, rect.maxY)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      for x in x0..<x1 { body(y * width + x) }
    }
  }

  /// Draws a single-line box around `rect` with an optional title in the top edge.
  public mutating func drawBox(_ rect: Rect, title: String? = nil, style: CellStyle) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    fill(rect, with: Cell(" ", style: style))
    for x in (rect.x + 1)..<(rect.maxX - 1) {
      put("─", x: x, y: rect.y, style: style)
      put("─", x: x, y: rect.maxY - 1, style: style)
    }
    for y in (rect.y + 1)..<(rect.maxY - 1) {
      put("│", x: rect.x, y: y, style: style)
      put("│", x: rect.maxX - 1, y: y, style: style)
    }
    put("┌", x: rect.x, y: rect.y, style: style)
    put("┐", x: rect.maxX - 1, y: rect.y, style: style)
    put("└", x: rect.x, y: rect.maxY - 1, style: style)
    put("┘", x: rect.maxX - 1, y: rect.maxY - 1, style: style)
    if let title {
      write(" \(title) ", x: rect.x + 2, y: rect.y, style: style, maxWidth: rect.width - 4)
    }
  }

  /// The text of every row, trailing blanks kept, for tests and headless snapshots.
  public var lines: [String] {
    (0..<height).map { y in
      var line = String.UnicodeScalarView()
      for x in 0..<width { line.append(cells[y * width + x].scalar) }
      return String(line)
    }
  }
}
