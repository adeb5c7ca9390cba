import FlatlandCore
import Foundation

extension LandscapeGrid {
  /// The grid as CSV: `alpha,loss` rows for 1-D grids, `alpha,beta,loss` rows (β-major) for
  /// 2-D ones; numbers in Swift's shortest round-trip form, non-finite losses as `inf`/`nan`.
  public func csv() -> String {
    var lines: [String] = []
    if ys.isEmpty {
      lines.append("alpha,loss")
      for (i, x) in xs.enumerated() { lines.append("\(x),\(losses[i])") }
    } else {
      lines.append("alpha,beta,loss")
      for (j, y) in ys.enumerated() {
        for (i, x) in xs.enumerated() { lines.append("\(x),\(y),\(loss(i, j))") }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes `csv()` to `path`.
  public func writeCSV(to path: String) throws { try AtomicFile.write(csv(), to: path) }
}
