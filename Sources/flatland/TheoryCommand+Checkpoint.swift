import FlatlandCore
import FlatlandTheory

extension TheoryCommand {
  /// `--checkpoint`: estimates at the run's centroid (`CheckpointEstimates`), then each
  /// strategy's excess risk from the small-μ expansion (`SmallStepPrediction`) for this μ, B
  /// and symmetric A, after checking μ against every strategy's stability limit along the
  /// largest estimated curvature.
  func predictAtCheckpoint(_ target: String, matrix: [Double], schedule: CombinationSchedule) throws {
    guard schedule.isSymmetric else {
      throw FlatlandError(
        .invalidArgument, "--weights \(weights) on \(topology) gives a non-symmetric combination matrix: the small-μ prediction expects a symmetric one")
    }
    let estimates = try CheckpointEstimates(
      target, dataset: dataset, samples: samples ?? CheckpointEstimates.defaultSamples, gradientSamples: gradientSamples,
      top: top ?? CheckpointEstimates.defaultTop, seed: seed)
    let lambdaMax = estimates.topEigenvalues[0]
    guard lambdaMax > 0 else {
      throw FlatlandError(.numeric, "largest Hessian eigenvalue at '\(target)' is \(lambdaMax): expected positive curvature near a minimum")
    }
    let noise = estimates.noise
    guard noise.traceHessianNoise >= 0 else {
      throw FlatlandError(
        .numeric,
        "estimated Tr(HR) at '\(target)' is \(noise.traceHessianNoise) ± \(noise.traceHessianNoiseStderr): expected ≥ 0 near a minimum (use a trained checkpoint, or more --gradient-samples)")
    }
    let limits = try stabilityLimits(curvature: lambdaMax, schedule: schedule)
    let eigenvalues = try SymmetricEigen(matrix, n: agents, vectors: false).values
    let prediction = try SmallStepPrediction(
      traceNoise: noise.traceNoise, traceHessianNoise: noise.traceHessianNoise, eigenvalues: eigenvalues, stepSize: mu, batch: batch)
    let secondModulus = eigenvalues.map(abs).sorted().dropLast().last ?? 0
    let report = CheckpointTheoryReport(
      checkpoint: target, topology: topology, agents: agents, weights: weights, mu: mu, batch: batch, estimates: estimates,
      excessRisk: Dictionary(uniqueKeysWithValues: TheoryStrategy.allCases.map { ($0.rawValue, prediction.value($0)) }),
      ordering: prediction.ordering.map(\.rawValue), stabilityLimit: limits,
      expansionParameter: mu * lambdaMax / (1 - secondModulus))
    if json { try printJSON(report) } else { report.printTable() }
  }

  /// Each strategy's largest stable μ on the quadratic model with curvature `curvature` (the
  /// binding direction for all of them); throws when --mu is at or beyond any of them.
  private func stabilityLimits(curvature: Double, schedule: CombinationSchedule) throws -> [String: Double] {
    let model = try QuadraticModel(agents: agents, hessian: [curvature], noise: [1], batch: batch)
    let theory = try ExcessRiskTheory(model: model, schedule: schedule, stepSize: mu)
    var limits: [String: Double] = [:]
    for strategy in TheoryStrategy.allCases {
      let limit = try theory.stabilityLimit(strategy)
      guard try theory.spectralRadius(strategy) < 1 else {
        throw FlatlandError(
          .invalidArgument,
          "step size μ = \(mu) is beyond the stability limit of \(strategy.rawValue), μ < \(limit), at the checkpoint's largest curvature λ_max = \(curvature): expected a smaller --mu")
      }
      limits[strategy.rawValue] = limit
    }
    return limits
  }
}
