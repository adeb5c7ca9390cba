import FlatlandExperiments

/// The side-by-side table `train` prints at the end.
enum SummaryTable {
  static func print(_ summaries: [RunSummary], folder: String) {
    let header = [
      "strategy", "test acc (centroid)", "test acc (agents)", "worst agent", "train loss", "disagreement", "grad norm",
      "samples/s",
    ]
    var rows = [header]
    for s in summaries {
      let f = s.final
      rows.append([
        s.strategy, fmt(f.testAccuracyCentroid), fmt(f.testAccuracyAgentsMean), fmt(f.testAccuracyWorstAgent),
        fmt(f.trainLossCentroid), String(format: "%.4g", f.disagreement), String(format: "%.4g", f.gradNormCentroid),
        String(format: "%.0f", f.samplesPerSecond),
      ])
    }
    let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
    for row in rows {
      Swift.print(
        row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
    Swift.print("runs in \(folder)/<strategy>: metrics.csv, metrics.jsonl, summary.json, checkpoint.bin")
  }

  private static func fmt(_ x: Double) -> String { String(format: "%.4f", x) }
}
