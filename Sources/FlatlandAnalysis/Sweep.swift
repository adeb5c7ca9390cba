import FlatlandCore
import FlatlandExperiments
import Foundation

/// A sweep's results: every run, every cell, and the trade-off fit of claim (3).
public struct SweepResults: Codable, Sendable, Equatable {
  public var plan: SweepPlan
  public var runs: [SweepRun]
  public var cells: [SweepCell]
  /// Nil when the runs cannot support a fit (fewer than 4, or no variation); see `fitNote`.
  public var fit: TradeOffFit?
  public var fitNote: String?

  enum CodingKeys: String, CodingKey {
    case plan, runs, cells, fit
    case fitNote = "fit_note"
  }

  /// `runs.csv`: one row per run, columns as in `SweepRun`.
  public var runsCSV: String {
    let names = SweepRun.metrics.map(\.name)
    let header = ["strategy", "batch", "topology", "partition", "seed", "lr", "folder"] + names
    let rows = runs.map { r in
      [r.strategy, "\(r.batch)", r.topology, r.partition, "\(r.seed)", "\(r.lr)", r.folder]
        + SweepRun.metrics.map { "\($0.value(r))" }
    }
    return CSVText.table(header, rows)
  }

  /// `cells.csv`: one row per cell, each metric's mean, lower and upper bound and n.
  public var cellsCSV: String {
    let names = SweepRun.metrics.map(\.name)
    let header =
      ["strategy", "batch", "topology", "partition"] + names.flatMap { ["\($0)", "\($0)_lo", "\($0)_hi"] } + ["n"]
    let rows = cells.map { c in
      [c.strategy, "\(c.batch)", c.topology, c.partition]
        + names.flatMap { n -> [String] in
          let m = c.metrics[n]!
          return ["\(m.mean)", m.lower.map { "\($0)" } ?? "", m.upper.map { "\($0)" } ?? ""]
        } + ["\(c.metrics[names[0]]!.count)"]
    }
    return CSVText.table(header, rows)
  }
}

/// Runs a sweep in a folder, resumably: each group trains through `TrainingJob` into
/// `runs/NAME`, and each run's flatness is kept in its folder, so nothing finished is redone.
public enum Sweep {
  /// Trains and measures every group (or, with `share`, only groups i with i % share.of ==
  /// share.index: one process's part when several split the grid), then collects the results.
  /// Runs are independent and deterministic, so a grid split over processes that then collect
  /// from the folder gives exactly the results of one process.
  public static func run(
    _ plan: SweepPlan, root: String, threads: Int = availableCores, share: (index: Int, of: Int)? = nil,
    log: (String) -> Void = { _ in }
  ) throws -> SweepResults {
    try plan.validate()
    var runs: [SweepRun] = []
    let groups = plan.groups(root: root)
    if let share {
      for (n, group) in groups.enumerated() where n % share.of == share.index {
        log("sweep: \(group.name) (\(n + 1) of \(groups.count), process \(share.index))")
        for summary in try TrainingJob.run(group.config, threads: threads) {
          _ = try SweepRun.measure(summary, group: group, root: root, samples: plan.measureSamples)
        }
      }
      return SweepResults(plan: plan, runs: [], cells: [], fit: nil, fitNote: "a share of the grid only")
    }
    for (n, group) in groups.enumerated() {
      log("sweep: \(group.name) (\(n + 1) of \(groups.count))")
      for summary in try TrainingJob.run(group.config, threads: threads) {
        runs.append(try SweepRun.measure(summary, group: group, root: root, samples: plan.measureSamples))
      }
    }
    var fit: TradeOffFit?
    var note: String?
    do {
      fit = try TradeOffFit(
        y: runs.map(\.testAccuracyCentroid), flat: runs.map(\.lambdaMax), opt: runs.map(\.trainLossCentroid),
        names: ("test_accuracy_centroid", "lambda_max", "train_loss_centroid"))
    } catch let error as FlatlandError {
      note = error.message
    }
    return SweepResults(plan: plan, runs: runs, cells: try SweepCell.cells(runs), fit: fit, fitNote: note)
  }
}

/// Comma-separated text: a header, then rows; cells holding a comma or quote are quoted.
enum CSVText {
  static func table(_ header: [String], _ rows: [[String]]) -> String {
    func cell(_ s: String) -> String {
      s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    return ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}
