import FlatlandCore
import Foundation

extension CombinationMatrix {
  /// A user-given matrix from a CSV file: K lines of K comma-separated entries, line l holding
  /// row l (a_l0, …, a_l,K−1), so **column k is agent k's weights**. An entry is a decimal
  /// (`0.25`) or an exact fraction (`1/3`), so weights like one third sum to one exactly enough
  /// for the 1e-9 checks. Blank lines and lines starting with `#` are skipped.
  ///
  /// Throws when the file cannot be read, the matrix is not square, an entry is not a number,
  /// or an entry is negative. Sums are not checked here (see `validate(requirement:)`).
  public init(csvFile path: String) throws {
    let lines = try readLines(path)
    let agents = lines.count
    var weights: [Double] = []
    for (row, (number, line)) in lines.enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == agents else {
        throw FlatlandError(
          .format,
          "matrix \(path) line \(number) (row \(row)) has \(fields.count) entries: a \(agents)×\(agents) matrix "
            + "needs \(agents)"
        )
      }
      for field in fields {
        let text = field.trimmingCharacters(in: .whitespaces)
        guard let value = Self.parseEntry(text) else {
          throw FlatlandError(
            .format,
            "matrix \(path) line \(number) (row \(row)): entry '\(text)' is not a number: expected a decimal "
              + "like 0.25 or a fraction like 1/3"
          )
        }
        weights.append(value)
      }
    }
    do {
      try self.init(agents: agents, weights: weights)
    } catch let error as FlatlandError {
      throw FlatlandError(error.kind, "matrix \(path): \(error.message)")
    }
  }

  /// A decimal or a fraction p/q with q ≠ 0.
  private static func parseEntry(_ text: String) -> Double? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    switch parts.count {
    case 1:
      return Double(text)
    case 2:
      guard let p = Double(parts[0].trimmingCharacters(in: .whitespaces)),
        let q = Double(parts[1].trimmingCharacters(in: .whitespaces)), q != 0
      else { return nil }
      return p / q
    default:
      return nil
    }
  }
}
