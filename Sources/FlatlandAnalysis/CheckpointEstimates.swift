import FlatlandCore
import FlatlandMeasures

/// What the small-μ theory needs at a point w̄, none of it by forming H: the loss J(w̄) over
/// N samples, Tr H by Hutchinson, the top eigenvalues by Lanczos, and Tr R, Tr(HR) from n
/// per-sample gradients (`GradientNoise`).
public struct CheckpointEstimates: Codable, Sendable, Equatable {
  public static let defaultSamples = 2048
  public static let defaultGradientSamples = 256
  public static let defaultTop = 3

  public var loss: Double
  /// N, the samples the loss averages over.
  public var samples: Int
  public var traceHessian: Double
  public var traceHessianStderr: Double
  /// The largest eigenvalues of H, descending.
  public var topEigenvalues: [Double]
  public var noise: GradientNoise
  /// Hessian-vector products spent in all.
  public var hvps: Int

  /// λ_max(H), the largest of `topEigenvalues`.
  public var lambdaMax: Double { topEigenvalues.first ?? 0 }

  /// Measures `objective` at `w`.
  /// - Parameters:
  ///   - objective: J over the N samples the estimates average over.
  ///   - w: the point, usually a run's centroid w̄.
  ///   - name: the point's name in errors.
  ///   - settings: the number of top eigenvalues and of per-sample gradients n.
  ///   - seed: seeds the Lanczos start, the Hutchinson probes and the drawn samples.
  ///   - checkCurvature: sees λ_max right after Lanczos, before the costlier trace and noise
  ///     estimates, and may throw to stop there.
  /// - Throws: `FlatlandError` for a non-positive λ_max or a negative Tr(HR) estimate
  ///   (neither happens near a minimum), or whatever `checkCurvature` throws.
  public init<T: FlatScalar>(
    _ objective: NetworkObjective<T>, at w: [T], name: String, settings: CheckpointTheory.Settings, seed: UInt64,
    checkCurvature: (Double) throws -> Void = { _ in }
  ) throws {
    loss = try objective.checkedLoss(at: w, preparingCurvature: true)
    samples = objective.sampleCount
    let spectrum = try HessianSpectrum.lanczos(
      objective, at: w, k: min(settings.top, objective.dimension), seed: seed)
    guard spectrum.lambdaMax > 0 else {
      throw FlatlandError(
        .numeric,
        "largest Hessian eigenvalue at '\(name)' is \(spectrum.lambdaMax): expected positive curvature near a minimum")
    }
    try checkCurvature(spectrum.lambdaMax)
    let trace = try HessianTrace.hutchinson(objective, at: w, seed: seed)
    noise = try GradientNoise.estimate(
      objective, at: w, samples: min(settings.gradientSamples, objective.sampleCount), seed: seed)
    guard noise.traceHessianNoise >= 0 else {
      throw FlatlandError(
        .numeric,
        "estimated Tr(HR) at '\(name)' is \(noise.traceHessianNoise) ± \(noise.traceHessianNoiseStderr): expected ≥ 0 "
          + "near a minimum (use a trained checkpoint, or more --gradient-samples)")
    }
    traceHessian = trace.trace
    traceHessianStderr = trace.standardError
    topEigenvalues = spectrum.topEigenvalues
    hvps = trace.hvps + spectrum.hvps + noise.hvps
  }

  enum CodingKeys: String, CodingKey {
    case loss, samples, hvps
    case traceHessian = "trace_hessian"
    case traceHessianStderr = "trace_hessian_stderr"
    case topEigenvalues = "top_eigenvalues"
    case gradientSamples = "gradient_samples"
    case population
    case traceNoise = "trace_noise"
    case traceNoiseStderr = "trace_noise_stderr"
    case traceHessianNoise = "trace_hessian_noise"
    case traceHessianNoiseStderr = "trace_hessian_noise_stderr"
    case meanGradientNorm = "mean_gradient_norm"
  }

  /// One flat object: the noise estimates sit beside the curvature ones.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(loss, forKey: .loss)
    try c.encode(samples, forKey: .samples)
    try c.encode(hvps, forKey: .hvps)
    try c.encode(traceHessian, forKey: .traceHessian)
    try c.encode(traceHessianStderr, forKey: .traceHessianStderr)
    try c.encode(topEigenvalues, forKey: .topEigenvalues)
    try c.encode(noise.samples, forKey: .gradientSamples)
    try c.encode(noise.population, forKey: .population)
    try c.encode(noise.traceNoise, forKey: .traceNoise)
    try c.encode(noise.traceNoiseStderr, forKey: .traceNoiseStderr)
    try c.encode(noise.traceHessianNoise, forKey: .traceHessianNoise)
    try c.encode(noise.traceHessianNoiseStderr, forKey: .traceHessianNoiseStderr)
    try c.encode(noise.meanGradientNorm, forKey: .meanGradientNorm)
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    loss = try c.decode(Double.self, forKey: .loss)
    samples = try c.decode(Int.self, forKey: .samples)
    hvps = try c.decode(Int.self, forKey: .hvps)
    traceHessian = try c.decode(Double.self, forKey: .traceHessian)
    traceHessianStderr = try c.decode(Double.self, forKey: .traceHessianStderr)
    topEigenvalues = try c.decode([Double].self, forKey: .topEigenvalues)
    noise = GradientNoise(
      traceNoise: try c.decode(Double.self, forKey: .traceNoise),
      traceNoiseStderr: try c.decode(Double.self, forKey: .traceNoiseStderr),
      traceHessianNoise: try c.decode(Double.self, forKey: .traceHessianNoise),
      traceHessianNoiseStderr: try c.decode(Double.self, forKey: .traceHessianNoiseStderr),
      samples: try c.decode(Int.self, forKey: .gradientSamples),
      population: try c.decode(Int.self, forKey: .population),
      meanGradientNorm: try c.decode(Double.self, forKey: .meanGradientNorm),
      hvps: 0)
  }
}
