import FlatlandCore
import FlatlandExperiments
import Foundation

extension RunSummary {
  /// The side-by-side table `train` prints at the end: accuracy and the optimization error
  /// (training loss, disagreement, gradient norm at the centroid) per strategy, and the SWA
  /// average's test accuracy when the runs keep one.
  public static func table(_ summaries: [RunSummary], folder: String) -> String {
    let f4 = { (x: Double) in String(format: "%.4f", x) }
    let g4 = { (x: Double) in TextTable.number(x, digits: 4) }
    let swa = summaries.contains { $0.final.testAccuracySWA != nil }
    let table = TextTable(
      header: [
        "strategy", "test acc (centroid)", "test acc (agents)", "worst agent", "train loss", "disagreement",
        "grad norm", "samples/s",
      ] + (swa ? ["test acc (swa)"] : []),
      rows: summaries.map { s in
        let f = s.final
        return [
          s.strategy, f4(f.testAccuracyCentroid), f4(f.testAccuracyAgentsMean), f4(f.testAccuracyWorstAgent),
          f4(f.trainLossCentroid), g4(f.disagreement), g4(f.gradNormCentroid),
          String(format: "%.0f", f.samplesPerSecond),
        ] + (swa ? [f.testAccuracySWA.map(f4) ?? "-"] : [])
      })
    return (table.lines + ["runs in \(folder)/<strategy>: metrics.csv, metrics.jsonl, summary.json, checkpoint.bin"])
      .joined(separator: "\n")
  }
}
