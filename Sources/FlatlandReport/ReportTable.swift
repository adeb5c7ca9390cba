/// A table of text cells under a caption.
///
/// Cells are strings the caller has already formatted (so a table shows exactly the digits the
/// caller chose). A column whose non-empty cells all read as numbers — digits with signs,
/// decimal points, exponents, intervals like `[0.12, 0.31]`, `±`, `%` — is right-aligned in
/// tabular figures so its decimals line up.
public struct ReportTable: Sendable, Equatable {
  /// One row; an emphasized row is set in bold with a shaded background (a best result, a total).
  public struct Row: Sendable, Equatable {
    public var cells: [String]
    public var emphasized: Bool

    public init(_ cells: [String], emphasized: Bool = false) {
      self.cells = cells
      self.emphasized = emphasized
    }
  }

  public var caption: String
  public var columns: [String]
  public var rows: [Row]

  public init(caption: String, columns: [String], rows: [Row]) {
    self.caption = caption
    self.columns = columns
    self.rows = rows
  }

  /// Whether `text` reads as a number or an interval of numbers.
  static func isNumeric(_ text: String) -> Bool {
    let allowed = Set("0123456789.,+-−eE[]()±×%⁻⁰¹²³⁴⁵⁶⁷⁸⁹ ")
    return text.contains { $0.isASCII && $0.isNumber } && text.allSatisfy { allowed.contains($0) }
  }
}
