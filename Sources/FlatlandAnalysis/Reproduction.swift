import FlatlandCore
import FlatlandExperiments
import FlatlandModels
import FlatlandStrategies
import Foundation

/// `flatland reproduce`: the trade-off sweep and the escape protocol of a preset, the paper's
/// claims judged on them, and everything written into one folder.
public struct Reproduction: Codable, Sendable, Equatable {
  public enum Preset: String, Codable, CaseIterable, Sendable {
    /// Fashion-MNIST, an MLP, K = 16 ring, 5 seeds, a small and a large batch: minutes on 2 cores.
    case quick
    /// Research scale: more batches, ring / exponential / complete, lenet5, 5 seeds, and the
    /// bias-corrected exact diffusion and gradient tracking beside the paper's three.
    case full
  }

  public var preset: Preset
  public var sweep: SweepPlan
  public var escape: EscapePlan

  /// The preset's plans, with `dataset` and `model` replaced when given.
  public init(preset: Preset, dataset: String? = nil, model: String? = nil) {
    self.preset = preset
    var base = TrainingConfig()
    base.dataset = dataset ?? "fashion-mnist"
    base.agents = 16
    base.topology = "ring"
    base.lr = 0.1
    base.evalSamples = 2000
    base.agentEvalSamples = 500
    switch preset {
    case .quick:
      base.model = model ?? "mlp:64"
      base.iterations = 250
      sweep = SweepPlan(base: base)
      (sweep.batches, sweep.seeds, sweep.measureSamples) = ([16, 128], [1, 2, 3, 4, 5], 1024)
    case .full:
      base.model = model ?? "lenet5"
      base.iterations = 2000
      sweep = SweepPlan(base: base)
      (sweep.batches, sweep.seeds) = ([16, 64, 256, 512], [1, 2, 3, 4, 5])
      (sweep.topologies, sweep.partitions) = (["ring", "exponential", "complete"], ["iid", "dirichlet:0.5"])
      sweep.strategies += [StrategyKind.exactDiffusion.rawValue, StrategyKind.gradientTracking.rawValue]
    }
    sweep.base.evalEvery = nil
    // The escape runs take a smaller μ than the search for w*, so w* is a stable point of
    // every strategy (μ λ_max(w*) < 2) and the small-μ theory applies there.
    var escapeBase = base
    escapeBase.batch = preset == .quick ? 16 : 32
    escapeBase.lr = base.lr / 2
    escapeBase.evalSamples = 500
    escapeBase.agentEvalSamples = 100
    escape = EscapePlan(base: escapeBase)
    escape.distanceThreshold = 0.5
    if preset == .quick {
      (escape.findIterations, escape.iterations, escape.repetitions, escape.lambdaEvery) = (600, 200, 3, 50)
    } else {
      (escape.findIterations, escape.iterations, escape.repetitions, escape.lambdaEvery) = (4000, 2000, 5, 250)
    }
  }

  /// Training iterations in all.
  public var totalIterations: Int {
    sweep.groups(root: ".").reduce(0) { $0 + ($1.config.iterations ?? 0) * sweep.strategies.count }
      + escape.findIterations + escape.iterations * escape.repetitions * escape.strategies.count
  }

  /// Samples through the model in all training: iterations × K × B of every run.
  public var trainingSamples: Double {
    let k = Double(sweep.base.agents)
    let sweepSamples = sweep.groups(root: ".").reduce(0.0) {
      $0 + Double(($1.config.iterations ?? 0) * $1.batch * sweep.strategies.count)
    }
    let escapeRuns = Double(escape.iterations * escape.repetitions * escape.strategies.count * escape.base.batch)
    return k * (sweepSamples + escapeRuns + Double(escape.findIterations * escape.findBatch))
  }

  /// Seconds the whole reproduction is expected to take on two cores: the training samples
  /// times the model's gradient FLOPs per sample at an effective 15 GFLOPS (what two AVX2
  /// cores sustain on this workload with its evaluations and measures), so a rough guide only.
  public func expectedSeconds() throws -> Double {
    let network = try Experiment(sweep.groups(root: ".")[0].config, threads: 1).network
    return trainingSamples * network.gradientFlops / 15e9
  }

  /// Every check that can fail before work: the plans' values, then the data, model and
  /// shards of every sweep cell (see `SweepPlan.preflight`).
  public func validate() throws {
    try escape.validate()
    try sweep.preflight()
  }
}

/// Everything `reproduce` found: both protocols' results and the verdicts, with the command
/// and versions that re-run it. Written as `results.json`.
public struct ReproductionResults: Codable, Sendable, Equatable {
  public static let fileName = "results.json"
  /// The results format; a reader refuses any other.
  public var format = 1
  public var reproduction: Reproduction
  public var command: String
  public var versions: [String: String]
  public var sweep: SweepResults
  public var escape: EscapeResults
  public var verdicts: [ClaimVerdict]
  public var figures: ReportFigures
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case format, reproduction, command, versions, sweep, escape, verdicts, figures, seconds
  }

  /// Reads `DIR/results.json`.
  public static func read(folder: String) throws -> ReproductionResults {
    let path = folder + "/" + fileName
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(.io, "cannot read '\(path)': not a flatland reproduce folder (no \(fileName))")
    }
    do {
      let r = try JSONRendering.decode(ReproductionResults.self, from: data)
      guard r.format == 1 else {
        throw FlatlandError(.format, "'\(path)' has results format \(r.format): expected 1")
      }
      return r
    } catch let error as FlatlandError {
      throw error
    } catch {
      throw FlatlandError(.format, "'\(path)' is not a flatland results file: \(error)")
    }
  }
}

extension Reproduction {
  /// Runs both protocols in `root` (resumably) and writes `results.json`, `runs.csv`,
  /// `cells.csv` and `report.html`. A folder that holds another experiment is refused before any work.
  public func run(
    root: String, command: String, versions: [String: String], threads: Int = availableCores,
    log: (String) -> Void = { _ in }
  ) throws -> ReproductionResults {
    try validate()
    let minutes = try expectedSeconds() / 60
    log(
      "reproduce \(preset.rawValue): \(totalIterations) training iterations in all, expected to take about "
        + String(format: minutes < 10 ? "%.1f" : "%.0f", minutes) + " min on two cores; into \(root)")
    try ExperimentFolder.claim(root, for: self)
    let start = Date()
    let sweepResults = try Sweep.run(sweep, root: root, threads: threads, log: log)
    let escapeResults = try EscapeExperiment.run(escape, root: root, threads: threads, log: log)
    let results = ReproductionResults(
      reproduction: self, command: command, versions: versions, sweep: sweepResults, escape: escapeResults,
      verdicts: try Claims.verdicts(sweep: sweepResults.runs, escape: escapeResults),
      figures: try ReportFigures.measure(sweepResults, root: root), seconds: Date().timeIntervalSince(start))
    try OutputFolder.write(sweepResults.runsCSV, to: root + "/runs.csv")
    try OutputFolder.write(sweepResults.cellsCSV, to: root + "/cells.csv")
    try OutputFolder.writeJSON(results, to: root + "/" + ReproductionResults.fileName)
    try OutputFolder.write(try ExperimentReport.document(results).html(), to: root + "/report.html")
    return results
  }
}

/// The folder of one experiment: `experiment.json` records what it holds, so a rerun with the
/// same plan continues there and any other plan is refused before it touches a file.
public enum ExperimentFolder {
  public static func claim<T: Codable & Equatable>(_ root: String, for plan: T) throws {
    let path = root + "/experiment.json"
    if let data = FileManager.default.contents(atPath: path) {
      guard let held = try? JSONRendering.decode(T.self, from: data), held == plan else {
        throw FlatlandError(
          .invalidArgument,
          "output folder '\(root)' holds another experiment (see its experiment.json): choose another --out")
      }
      return
    }
    if let contents = try? FileManager.default.contentsOfDirectory(atPath: root), !contents.isEmpty {
      throw FlatlandError(
        .invalidArgument, "output folder '\(root)' is not empty and holds no flatland experiment: choose another --out")
    }
    try OutputFolder.create(root)
    try OutputFolder.writeJSON(plan, to: path)
  }
}
