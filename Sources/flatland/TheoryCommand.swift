import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
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
      Exact diffusion and gradient tracking are reported where A suits them (doubly stochastic; exact diffusion also \
      static and symmetric). \
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
    try setting.validate()
    if checkpoint == nil {
      guard hessian != nil else {
        throw ValidationError(
          "give --hessian H1,H2,... (a quadratic model) or --checkpoint RUN (estimates at a trained run)")
      }
      for (flag, value) in [
        ("--dataset", dataset as Any?), ("--samples", samples), ("--gradient-samples", gradientSamples), ("--top", top),
      ] where value != nil {
        throw ValidationError("\(flag) is not accepted without --checkpoint: it sets how the checkpoint is measured")
      }
    } else {
      for (flag, value) in [("--hessian", hessian as Any?), ("--noise", noise)] where value != nil {
        throw ValidationError(
          "\(flag) is not accepted with --checkpoint: the curvature and noise are estimated from the run")
      }
      for (flag, value) in [("--steps", steps), ("--simulate", simulate)] where value != nil {
        throw ValidationError("\(flag) is not accepted with --checkpoint: it needs the quadratic model of --hessian")
      }
      if let samples, samples < 2 { throw FlatlandError.invalid("--samples", samples, accepted: "N ≥ 2") }
      if let gradientSamples, gradientSamples < 2 || gradientSamples > (samples ?? .max) {
        throw FlatlandError.invalid("--gradient-samples", gradientSamples, accepted: "2 ≤ n ≤ --samples")
      }
      if let top, top < 1 { throw FlatlandError.invalid("--top", top, accepted: "k ≥ 1") }
    }
  }

  var setting: LearningSetting {
    LearningSetting(topology: topology, agents: agents, weights: weights, mu: mu, batch: batch, seed: seed)
  }

  func run() throws {
    guard let checkpoint else {
      // validate() lets exactly one of --hessian and --checkpoint through.
      let report = try QuadraticTheory(setting: setting, hessian: hessian ?? [], noise: noise)
        .report(steps: steps, simulate: simulate)
      return try output(report, json: json, text: report.text)
    }
    let run = try OpenedRun(checkpoint, dataset: dataset, samples: samples ?? CheckpointEstimates.defaultSamples)
    var settings = CheckpointTheory.Settings()
    settings.top = top ?? settings.top
    settings.gradientSamples = gradientSamples ?? settings.gradientSamples
    let report = try CheckpointTheory.predict(run, name: checkpoint, setting: setting, settings: settings)
    try output(report, json: json, text: report.text)
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
