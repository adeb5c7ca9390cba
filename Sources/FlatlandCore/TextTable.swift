import Foundation

/// A table for the terminal: a header row and rows of cells, columns padded to their widest
/// cell and separated by two spaces. Every report's text form uses it.
public struct TextTable: Sendable, Equatable {
  public var header: [String]
  public var rows: [[String]]

  public init(header: [String], rows: [[String]] = []) {
    self.header = header
    self.rows = rows
  }

  /// The lines, header first; a short row is padded with empty cells.
  public var lines: [String] {
    let all = [header] + rows
    let columns = all.map(\.count).max() ?? 0
    let widths = (0..<columns).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    return all.map { row in
      (0..<columns).map { c in
        let cell = c < row.count ? row[c] : ""
        return c == columns - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
      }.joined(separator: "  ")
    }
  }

  public var text: String { lines.joined(separator: "\n") }

  /// `%.Ng` of `x` (default 6 significant digits); "-" for nil.
  public static func number(_ x: Double?, digits: Int = 6) -> String {
    guard let x else { return "-" }
    return String(format: "%.\(digits)g", x)
  }
}
