import ArgumentParser
import FlatlandCore
import FlatlandTheory
import FlatlandTopology
import Foundation

/// `flatland theory`: each strategy's predicted excess risk near a minimum, optionally beside a
/// Monte Carlo simulation and the exact per-iteration curve.
struct TheoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "theory",
    abstract: "Predict each strategy's excess risk on a local quadratic model, or at a trained run's checkpoint.",
    discussion: """
      With --hessian: agent k's gradient is H (w − w*) + s_k with H = diag(--hessian) and Cov s_k = diag(--noise)/B. \
      Reports the steady-state excess risk E[½ w̃ᵀHw̃] averaged over agents (exact Lyapunov solution), \
      at the centroid, the closed form and small-μ expansion for symmetric A, and each strategy's stability limit. \
      With --checkpoint RUN: estimates Tr H, the top eigenvalues, Tr R and Tr(HR) at the run's centroid \
      without forming H, \
      and predicts each strategy's excess risk from the small-μ expansion, with the predicted ordering.
      """)

  @Option(help: "Topology: \(Topology.accepted).")
  var topology = "ring"

  @Option(help: "Number of agents K (≥ 1).")
  var agents = 8

  @Option(help: "Weight rule: metropolis.")
  var weights = "metropolis"

  @Option(help: "Step size μ (> 0).")
  var mu: Double

  @Option(help: "Mini-batch size B (≥ 1).")
  var batch = 1

  @Option(
    help: "Curvatures h_i along the eigendirections, comma-separated, each ≥ 0.", transform: parseList("--hessian"))
  var hessian: [Double]?

  @Option(
    help: "Per-sample gradient noise variances r_i, comma-separated, each ≥ 0 (default: 1 per direction).",
    transform: parseList("--noise"))
  var noise: [Double]?

  @Option(help: "Also give the exact excess-risk curve for iterations 0…N, started at w*; sets the simulation length.")
  var steps: Int?

  @Option(
    help: ArgumentHelp(
      "Simulate R repetitions (≥ 2) and report the mean with its 95% confidence interval, time-averaged over the "
        + "second half of the run.")
  )
  var simulate: Int?

  @Option(
    help: ArgumentHelp(
      "A strategy run folder (holding checkpoint.bin) or a checkpoint file: estimate the curvature and noise at "
        + "its centroid instead of --hessian/--noise.")
  )
  var checkpoint: String?

  @Option(help: "With --checkpoint: data spec of the loss (default: the run's training set).")
  var dataset: String?

  @Option(
    help:
      "With --checkpoint: the loss averages over the first N samples (default \(CheckpointEstimates.defaultSamples)).")
  var samples: Int?

  @Option(
    help: ArgumentHelp(
      "With --checkpoint: per-sample gradients drawn for Tr R and Tr(HR) (default "
        + "\(CheckpointEstimates.defaultGradientSamples), at most --samples).")
  )
  var gradientSamples: Int?

  @Option(help: "With --checkpoint: number of top Hessian eigenvalues (default \(CheckpointEstimates.defaultTop)).")
  var top: Int?

  @Option(help: "Seed of the simulated gradient noise, or of the probes and drawn samples with --checkpoint.")
  var seed: UInt64 = 1

  @Flag(help: "Print the report as JSON.")
  var json = false

  func validate() throws {
    guard agents >= 1 else { throw ValidationError("--agents \(agents) is not accepted: expected K ≥ 1") }
    guard mu.isFinite, mu > 0 else {
      throw ValidationError("--mu \(mu) is not accepted: expected a finite step size > 0")
    }
    guard batch >= 1 else { throw ValidationError("--batch \(batch) is not accepted: expected B ≥ 1") }
    if checkpoint == nil {
      try validateQuadraticModel()
    } else {
      try validateCheckpoint()
    }
  }

  private func validateQuadraticModel() throws {
    guard let hessian else {
      throw ValidationError(
        "give --hessian H1,H2,... (a quadratic model) or --checkpoint RUN (estimates at a trained run)")
    }
    for (flag, value) in [
      ("--dataset", dataset as Any?), ("--samples", samples), ("--gradient-samples", gradientSamples), ("--top", top),
    ]
    where value != nil {
      throw ValidationError("\(flag) is not accepted without --checkpoint: it sets how the checkpoint is measured")
    }
    if let noise, noise.count != hessian.count {
      throw ValidationError(
        "--noise has \(noise.count) values but --hessian has \(hessian.count): expected one noise variance per "
          + "curvature"
      )
    }
    if let steps, steps < 1 { throw ValidationError("--steps \(steps) is not accepted: expected N ≥ 1") }
    if let simulate, simulate < 2 {
      throw ValidationError("--simulate \(simulate) is not accepted: expected R ≥ 2 repetitions")
    }
  }

  private func validateCheckpoint() throws {
    for (flag, value) in [("--hessian", hessian as Any?), ("--noise", noise)] where value != nil {
      throw ValidationError(
        "\(flag) is not accepted with --checkpoint: the curvature and noise are estimated from the run")
    }
    for (flag, value) in [("--steps", steps), ("--simulate", simulate)] where value != nil {
      throw ValidationError("\(flag) is not accepted with --checkpoint: it needs the quadratic model of --hessian")
    }
    if let samples, samples < 2 { throw ValidationError("--samples \(samples) is not accepted: expected N ≥ 2") }
    if let gradientSamples, gradientSamples < 2 {
      throw ValidationError("--gradient-samples \(gradientSamples) is not accepted: expected n ≥ 2")
    }
    if let gradientSamples, let samples, gradientSamples > samples {
      throw ValidationError(
        "--gradient-samples \(gradientSamples) is not accepted: expected at most --samples \(samples)")
    }
    if let top, top < 1 { throw ValidationError("--top \(top) is not accepted: expected k ≥ 1") }
  }

  func run() throws {
    let network = try Topology.parse(topology, agents: agents, weights: WeightRule(parsing: weights), seed: seed)
    // validate() lets exactly one of --hessian and --checkpoint through.
    guard let hessian else { return try predictAtCheckpoint(checkpoint!, network: network) }
    let variances = noise ?? Array(repeating: 1, count: hessian.count)
    let model = try QuadraticModel(agents: agents, hessian: hessian, noise: variances, batch: batch)
    let theory = try ExcessRiskTheory(model: model, topology: network, stepSize: mu)
    var report = TheoryReport(
      topology: topology, agents: agents, weights: weights, mu: mu, batch: batch, hessian: hessian, noise: variances)
    for strategy in TheoryStrategy.allCases {
      let steady = try theory.steadyState(strategy)
      report.excessRisk[strategy.rawValue] = steady.average
      report.centroidExcessRisk[strategy.rawValue] = steady.centroid
      report.spectralRadius[strategy.rawValue] = try theory.spectralRadius(strategy)
      report.stabilityLimit[strategy.rawValue] = try theory.stabilityLimit(strategy)
    }
    if network.period == 1, network.matrix(at: 0).isSymmetric {
      let eigenvalues = try Spectrum(network.matrix(at: 0)).eigenvalues
      let expansion = try SmallStepPrediction(
        traceNoise: variances.reduce(0, +), traceHessianNoise: zip(hessian, variances).reduce(0) { $0 + $1.0 * $1.1 },
        eigenvalues: eigenvalues, stepSize: mu, batch: batch)
      var closed: [String: Double] = [:]
      var small: [String: Double] = [:]
      for strategy in TheoryStrategy.allCases {
        closed[strategy.rawValue] = try ClosedForms.steadyState(
          strategy, eigenvalues: eigenvalues, hessian: hessian, noise: variances, stepSize: mu, batch: batch)
        small[strategy.rawValue] = expansion.value(strategy)
      }
      report.closedForm = closed
      report.smallStep = small
      report.smallStepOrdering = expansion.ordering.map(\.rawValue)
    }
    if let steps {
      var curves: [String: [Double]] = [:]
      for strategy in TheoryStrategy.allCases {
        curves[strategy.rawValue] = try theory.curve(strategy, steps: steps).map(\.average)
      }
      report.curve = curves
    }
    if let simulate {
      let length = try steps ?? defaultSimulationSteps(theory)
      let plan = try SimulationPlan(repetitions: simulate, steps: length, windowStart: length / 2, seed: seed)
      var simulated: [String: SimulationReport] = [:]
      for strategy in TheoryStrategy.allCases {
        simulated[strategy.rawValue] = SimulationReport(try theory.simulate(strategy, plan: plan))
      }
      report.simulated = simulated
    }
    if json { try printJSON(report) } else { report.printTable() }
  }

  /// Twenty time constants 1/(1 − ρ) of the slowest strategy, between 200 and 100 000 steps.
  private func defaultSimulationSteps(_ theory: ExcessRiskTheory) throws -> Int {
    let slowest = try TheoryStrategy.allCases.map { try theory.spectralRadius($0) }.max()!
    return min(100_000, max(200, Int((20 / (1 - slowest)).rounded(.up))))
  }
}

/// Parses "1,2,3.5" into finite values, naming the flag and the bad item otherwise.
private func parseList(_ flag: String) -> @Sendable (String) throws -> [Double] {
  { text in
    let items = text.split(separator: ",", omittingEmptySubsequences: false)
    return try items.map { item in
      let trimmed = item.trimmingCharacters(in: .whitespaces)
      guard let value = Double(trimmed), value.isFinite else {
        throw ValidationError(
          "\(flag) item '\(trimmed)' in '\(text)' is not accepted: expected finite numbers separated by commas")
      }
      return value
    }
  }
}
