import FlatlandCore
import Foundation

/// The terminal forms of the experiments: the verdicts, the sweep's cells, the escape.
public enum ExperimentText {
  /// Each claim's verdict and the comparisons behind it.
  public static func verdicts(_ results: ReproductionResults, folder: String) -> String {
    var lines: [String] = []
    for v in results.verdicts {
      lines.append("claim \(v.claim): \(v.outcome.rawValue.uppercased()) — \(v.statement)")
      let table = TextTable(
        header: ["  comparison", "batch", "difference", "95% interval", "n", "holds"],
        rows: v.comparisons.map { c in
          [
            "  " + c.description, c.batch.map(String.init) ?? "-", TextTable.number(c.difference.mean, digits: 4),
            interval(c.difference), "\(c.difference.count)",
            c.holds.map { $0 ? "yes" : "no (opposite)" } ?? "crosses 0",
          ]
        })
      lines += table.lines
    }
    lines.append("results in \(folder): results.json, runs.csv, cells.csv, report.html (open it in a browser)")
    return lines.joined(separator: "\n")
  }

  /// One row per sweep cell: accuracy, optimization error and flatness with their intervals.
  public static func cells(_ results: SweepResults) -> String {
    let shown = ["test_accuracy_centroid", "train_loss_centroid", "disagreement", "lambda_max", "trace"]
    let table = TextTable(
      header: ["strategy", "batch", "topology", "partition"] + shown,
      rows: results.cells.map { c in
        [c.strategy, "\(c.batch)", c.topology, c.partition]
          + shown.map { name in
            let m = c.metrics[name]!
            return TextTable.number(m.mean, digits: 4) + " " + interval(m)
          }
      })
    var lines = table.lines
    if let fit = results.fit {
      lines.append(
        "accuracy fit R²: flatness \(TextTable.number(fit.flatnessOnly.rSquared, digits: 3)), optimization error "
          + "\(TextTable.number(fit.optimizationOnly.rSquared, digits: 3)), both "
          + "\(TextTable.number(fit.both.rSquared, digits: 3)) over \(fit.runs) runs")
    }
    return lines.joined(separator: "\n")
  }

  /// Each strategy's escape: the final excess loss and distance, and how many escaped.
  public static func escape(_ results: EscapeResults) -> String {
    let table = TextTable(
      header: ["strategy", "J(w̄_N) − J(w*)", "‖w̄_N − w*‖", "escaped", "predicted excess risk"],
      rows: results.strategies.map { s in
        [
          s.strategy, TextTable.number(s.centroidExcess.last?.mean, digits: 4) + " " + interval(s.centroidExcess.last),
          TextTable.number(s.distance.last?.mean, digits: 4),
          "\(s.escapeIterations.compactMap { $0 }.count)/\(s.escapeIterations.count)",
          TextTable.number(s.predictedExcessRisk, digits: 4),
        ]
      })
    return (["w* = \(results.minimum), J(w*) = \(TextTable.number(results.minimumLoss))"] + table.lines)
      .joined(separator: "\n")
  }

  static func interval(_ m: MeanInterval?) -> String {
    guard let m, let lo = m.lower, let hi = m.upper else { return "" }
    return "[\(TextTable.number(lo, digits: 4)), \(TextTable.number(hi, digits: 4))]"
  }
}
