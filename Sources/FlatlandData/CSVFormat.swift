import FlatlandCore
import Foundation

/// Which CSV column holds the class label.
public enum CSVColumn: Sendable, Equatable, CustomStringConvertible {
  /// Zero-based column index.
  case index(Int)
  /// The column whose header cell is this name (the file must have a header).
  case name(String)
  /// The last column.
  case last

  /// Parses `0`, `last` or a header name.
  public init(parsing text: String) throws {
    if text == "last" {
      self = .last
    } else if let i = Int(text) {
      guard i >= 0 else {
        throw FlatlandError.invalid(
          "CSV label column", text, accepted: "a zero-based column index, 'last' or a header name")
      }
      self = .index(i)
    } else {
      guard !text.isEmpty else {
        throw FlatlandError.invalid(
          "CSV label column", text, accepted: "a zero-based column index, 'last' or a header name")
      }
      self = .name(text)
    }
  }

  public var description: String {
    switch self {
    case .index(let i): "\(i)"
    case .name(let name): name
    case .last: "last"
    }
  }
}

/// Comma-separated text: one sample per line, one column of integer class labels and the rest
/// numeric features, used exactly as written.
///
/// The first non-blank line is a header when none of its cells is a number. Blank lines are
/// skipped; cells may be wrapped in double quotes and padded with spaces. Every error names
/// the place as `file:line:column` (column counted in characters, 1-based) and the field.
enum CSVFormat {
  struct Table {
    var featureCount: Int
    var features: [Float]
    var labels: [Int32]
  }

  /// Parses `bytes` (the whole file) read from `name`.
  static func parse(_ bytes: [UInt8], name: String, label: CSVColumn) throws -> Table {
    var text = bytes
    text.append(0)  // strtod stops at the terminator
    return try text.withUnsafeBufferPointer { buffer in
      var parser = Parser(base: buffer.baseAddress!, end: bytes.count, name: name)
      return try parser.table(label: label)
    }
  }

  private struct Parser {
    let base: UnsafePointer<UInt8>
    let end: Int
    let name: String
    var line = 0
    var lineStart = 0
    var offset = 0

    /// Starts after a UTF-8 byte-order mark (EF BB BF), which spreadsheet programs write and
    /// which would otherwise hide inside the first cell.
    init(base: UnsafePointer<UInt8>, end: Int, name: String) {
      self.base = base
      self.end = end
      self.name = name
      if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { offset = 3 }
    }

    mutating func table(label: CSVColumn) throws -> Table {
      guard var cells = nextLine() else { throw FlatlandError(.format, "\(name): the data set is empty (no rows)") }
      var header: [String]? = nil
      if cells.allSatisfy({ number(in: $0) == nil }) {
        header = cells.map {
          String(decoding: UnsafeBufferPointer(start: base + $0.lowerBound, count: $0.count), as: UTF8.self)
        }
        guard let next = nextLine() else {
          throw FlatlandError(.format, "\(name): the data set is empty (a header and no rows)")
        }
        cells = next
      }
      let columns = header?.count ?? cells.count
      guard columns >= 2 else {
        throw FlatlandError(
          .format, "\(name):\(line): \(columns) column: expected a label column and at least one feature")
      }
      let labelColumn = try resolve(label, columns: columns, header: header)
      var table = Table(featureCount: columns - 1, features: [], labels: [])
      table.features.reserveCapacity(end / 2)
      while true {
        guard cells.count == columns else {
          throw FlatlandError(
            .format, "\(name):\(line): ragged row: \(cells.count) fields, expected \(columns) like the first row")
        }
        for (field, cell) in cells.enumerated() {
          guard let value = number(in: cell) else { throw notNumber(cell, field: field) }
          if field == labelColumn {
            guard value >= 0, value < Double(ClassCount.maximum), value.rounded() == value else {
              throw FlatlandError(
                .format,
                "\(place(cell, field: field)): label \(value) is not a class index: expected an integer 0, 1, 2, "
                  + "..., \(ClassCount.maximum - 1)"
              )
            }
            table.labels.append(Int32(value))
          } else {
            guard value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else {
              throw FlatlandError(.format, "\(place(cell, field: field)): value \(value) is not a finite Float")
            }
            table.features.append(Float(value))
          }
        }
        guard let next = nextLine() else { break }
        cells = next
      }
      return table
    }

    func resolve(_ label: CSVColumn, columns: Int, header: [String]?) throws -> Int {
      switch label {
      case .last:
        return columns - 1
      case .index(let i):
        guard i < columns else {
          throw FlatlandError.invalid(
            "CSV label column of \(name)", i, accepted: "an index below the \(columns) columns")
        }
        return i
      case .name(let wanted):
        guard let header else {
          throw FlatlandError.invalid(
            "CSV label column of \(name)", wanted, accepted: "a column index: the file has no header row")
        }
        guard let i = header.firstIndex(where: { trimmed($0) == wanted }) else {
          throw FlatlandError.invalid(
            "CSV label column of \(name)", wanted, accepted: "one of the header names \(header.map(trimmed))")
        }
        return i
      }
    }

    /// The next non-blank line's cells as byte ranges (quotes and spaces trimmed), or nil at the end.
    mutating func nextLine() -> [Range<Int>]? {
      while offset < end {
        line += 1
        lineStart = offset
        var stop = offset
        while stop < end, base[stop] != UInt8(ascii: "\n") { stop += 1 }
        var lineEnd = stop
        if lineEnd > offset, base[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        offset = stop + 1
        var blank = true
        for i in lineStart..<lineEnd where !isSpace(base[i]) {
          blank = false
          break
        }
        if blank { continue }
        var cells: [Range<Int>] = []
        var cellStart = lineStart
        for i in lineStart...lineEnd where i == lineEnd || base[i] == UInt8(ascii: ",") {
          cells.append(trim(cellStart..<i))
          cellStart = i + 1
        }
        return cells
      }
      return nil
    }

    func trim(_ range: Range<Int>) -> Range<Int> {
      var lo = range.lowerBound
      var hi = range.upperBound
      while lo < hi, isSpace(base[lo]) { lo += 1 }
      while hi > lo, isSpace(base[hi - 1]) { hi -= 1 }
      if hi - lo >= 2, base[lo] == UInt8(ascii: "\""), base[hi - 1] == UInt8(ascii: "\"") {
        lo += 1
        hi -= 1
      }
      return lo..<hi
    }

    /// The cell as a number when all of it parses (C locale strtod), else nil.
    func number(in cell: Range<Int>) -> Double? {
      guard !cell.isEmpty, !isSpace(base[cell.lowerBound]) else { return nil }
      let start = UnsafeRawPointer(base + cell.lowerBound).assumingMemoryBound(to: CChar.self)
      var stop: UnsafeMutablePointer<CChar>? = nil
      let value = strtod(start, &stop)
      guard let stop, stop - UnsafeMutablePointer(mutating: start) == cell.count else { return nil }
      return value
    }

    func notNumber(_ cell: Range<Int>, field: Int) -> FlatlandError {
      let text = String(
        decoding: UnsafeBufferPointer(start: base + cell.lowerBound, count: min(cell.count, 40)), as: UTF8.self)
      return FlatlandError(.format, "\(place(cell, field: field)): '\(text)' is not a number")
    }

    func place(_ cell: Range<Int>, field: Int) -> String {
      "\(name):\(line):\(cell.lowerBound - lineStart + 1): field \(field + 1)"
    }

    func isSpace(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
  }
}
