import FlatlandCore
import FlatlandMeasures
import FlatlandTheory
import FlatlandTopology

/// The `theory --checkpoint` pipeline: measure a trained run's centroid (`CheckpointEstimates`),
/// then predict each strategy's excess risk from the small-μ expansion (`SmallStepPrediction`)
/// for this μ, B and a static symmetric A.
public enum CheckpointTheory {
  /// How the centroid is measured.
  public struct Settings: Sendable, Equatable {
    /// Top Hessian eigenvalues computed by Lanczos.
    public var top = CheckpointEstimates.defaultTop
    /// n, the per-sample gradients drawn for Tr R and Tr(HR) (at most the samples).
    public var gradientSamples = CheckpointEstimates.defaultGradientSamples
    /// Whether a strategy that μ makes unstable at the point is left out of the prediction
    /// (and named in `unstable`) instead of refusing the whole prediction. The bias-corrected
    /// rules, whose limits lie lower (gradient tracking's is (1 + λ_min)²/(2h)), are always
    /// left out that way: a μ that suits the paper's strategies is never refused for them.
    public var omitsUnstable = false

    public init() {}
  }

  /// Estimates at `run`'s centroid and the prediction for `setting`. μ is checked against
  /// every strategy's stability limit along the largest curvature right after Lanczos, before
  /// the costlier trace and noise estimates.
  /// - Throws: `FlatlandError` for a non-symmetric or time-varying A, non-positive curvature, a μ beyond a
  ///   stability limit, or a negative Tr(HR) estimate (a point that is not near a minimum).
  public static func predict(
    _ run: OpenedRun, name: String, setting: LearningSetting, settings: Settings = Settings()
  ) throws -> CheckpointTheoryReport {
    try setting.validate()
    let network = try setting.network()
    guard let mixing = try LearningSetting.symmetricSpectrum(of: network) else {
      throw FlatlandError(
        .invalidArgument,
        "--weights \(setting.weights) on \(setting.topology) gives a non-symmetric or time-varying combination "
          + "matrix: the small-μ prediction expects a static symmetric one")
    }
    let estimates = try CheckpointEstimates(
      run.objective, at: run.centroid, name: name, settings: settings, seed: setting.seed
    ) { lambdaMax in
      if !settings.omitsUnstable { _ = try stabilityLimits(curvature: lambdaMax, setting: setting, network: network) }
    }
    let limits = try stabilityLimits(
      curvature: estimates.lambdaMax, setting: setting, network: network, refusing: !settings.omitsUnstable)
    let stable = TheoryStrategy.allCases.filter { setting.mu < limits[$0.rawValue]! }
    let unstable = TheoryStrategy.allCases.filter { !stable.contains($0) }.map(\.rawValue)
    let prediction = try SmallStepPrediction(
      traceNoise: estimates.noise.traceNoise, traceHessianNoise: estimates.noise.traceHessianNoise,
      eigenvalues: mixing.eigenvalues, stepSize: setting.mu, batch: setting.batch)
    return CheckpointTheoryReport(
      checkpoint: name, setting: setting, estimates: estimates,
      excessRisk: Dictionary(uniqueKeysWithValues: stable.map { ($0.rawValue, prediction.value($0)) }),
      ordering: prediction.ordering.filter(stable.contains).map(\.rawValue), stabilityLimit: limits,
      expansionParameter: estimates.lambdaMax * setting.mu / (1 - mixing.lambda2),
      unstable: settings.omitsUnstable || !unstable.isEmpty ? unstable : nil)
  }

  /// Each strategy's largest stable μ on the quadratic model with curvature `curvature` (the
  /// binding direction for all of them); throws when μ is at or beyond one of the paper's
  /// strategies' limits, if `refusing`.
  static func stabilityLimits(
    curvature: Double, setting: LearningSetting, network: Topology, refusing: Bool = true
  ) throws -> [String: Double] {
    let model = try QuadraticModel(agents: setting.agents, hessian: [curvature], noise: [1], batch: setting.batch)
    let theory = try ExcessRiskTheory(model: model, topology: network, stepSize: setting.mu)
    var limits: [String: Double] = [:]
    for strategy in TheoryStrategy.allCases {
      let limit = try theory.stabilityLimit(strategy)
      guard try !refusing || strategy.hasAuxiliaryState || theory.spectralRadius(strategy) < 1 else {
        throw FlatlandError(
          .invalidArgument,
          "step size μ = \(setting.mu) is beyond the stability limit of \(strategy.rawValue), μ < \(limit), at the "
            + "checkpoint's largest curvature λ_max = \(curvature): expected a smaller --mu")
      }
      limits[strategy.rawValue] = limit
    }
    return limits
  }
}
