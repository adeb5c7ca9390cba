import FlatlandCore
import FlatlandMeasures
import FlatlandTheory
import FlatlandTopology

extension TheoryCommand {
  /// `--checkpoint`: measures the run's centroid (`CheckpointEstimates`), then predicts each
  /// strategy's excess risk from the small-μ expansion (`SmallStepPrediction`) for this μ, B
  /// and symmetric A. μ is checked against every strategy's stability limit along the largest
  /// curvature right after Lanczos, before the costlier trace and noise estimates.
  func predictAtCheckpoint(_ target: String, network: Topology) throws {
    guard network.period == 1, network.matrix(at: 0).isSymmetric else {
      throw FlatlandError(
        .invalidArgument,
        "--weights \(weights) on \(topology) gives a non-symmetric or time-varying combination matrix: the small-μ "
          + "prediction expects a static symmetric one"
      )
    }
    let run = try MeasuredRun(target, dataset: dataset, samples: samples ?? CheckpointEstimates.defaultSamples)
    let objective = run.objective
    let w = run.centroid
    let loss = try objective.checkedLoss(at: w, preparingCurvature: true)
    let spectrum = try HessianSpectrum.lanczos(
      objective, at: w, k: min(top ?? CheckpointEstimates.defaultTop, objective.dimension), seed: seed)
    guard spectrum.lambdaMax > 0 else {
      throw FlatlandError(
        .numeric,
        "largest Hessian eigenvalue at '\(target)' is \(spectrum.lambdaMax): expected positive curvature near a minimum"
      )
    }
    let limits = try stabilityLimits(curvature: spectrum.lambdaMax, network: network)
    let trace = try HessianTrace.hutchinson(objective, at: w, seed: seed)
    let noise = try GradientNoise.estimate(
      objective, at: w,
      samples: gradientSamples ?? min(CheckpointEstimates.defaultGradientSamples, objective.sampleCount), seed: seed)
    guard noise.traceHessianNoise >= 0 else {
      throw FlatlandError(
        .numeric,
        "estimated Tr(HR) at '\(target)' is \(noise.traceHessianNoise) ± \(noise.traceHessianNoiseStderr): "
          + "expected ≥ 0 near a minimum (use a trained checkpoint, or more --gradient-samples)"
      )
    }
    let mixing = try Spectrum(network.matrix(at: 0))
    let prediction = try SmallStepPrediction(
      traceNoise: noise.traceNoise, traceHessianNoise: noise.traceHessianNoise, eigenvalues: mixing.eigenvalues,
      stepSize: mu,
      batch: batch)
    let report = CheckpointTheoryReport(
      checkpoint: target, topology: topology, agents: agents, weights: weights, mu: mu, batch: batch,
      estimates: CheckpointEstimates(
        loss: loss, samples: objective.sampleCount, trace: trace, spectrum: spectrum, noise: noise),
      excessRisk: Dictionary(uniqueKeysWithValues: TheoryStrategy.allCases.map { ($0.rawValue, prediction.value($0)) }),
      ordering: prediction.ordering.map(\.rawValue), stabilityLimit: limits,
      expansionParameter: spectrum.lambdaMax * mu / (1 - mixing.lambda2))
    if json { try printJSON(report) } else { report.printTable() }
  }

  /// Each strategy's largest stable μ on the quadratic model with curvature `curvature` (the
  /// binding direction for all of them); throws when --mu is at or beyond any of them.
  private func stabilityLimits(curvature: Double, network: Topology) throws -> [String: Double] {
    let model = try QuadraticModel(agents: agents, hessian: [curvature], noise: [1], batch: batch)
    let theory = try ExcessRiskTheory(model: model, topology: network, stepSize: mu)
    var limits: [String: Double] = [:]
    for strategy in TheoryStrategy.allCases {
      let limit = try theory.stabilityLimit(strategy)
      guard try theory.spectralRadius(strategy) < 1 else {
        throw FlatlandError(
          .invalidArgument,
          "step size μ = \(mu) is beyond the stability limit of \(strategy.rawValue), μ < \(limit), at the "
            + "checkpoint's largest curvature λ_max = \(curvature): expected a smaller --mu"
        )
      }
      limits[strategy.rawValue] = limit
    }
    return limits
  }
}
