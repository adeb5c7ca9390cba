import FlatlandMeasures

/// What `flatland theory --checkpoint` measured at a run's centroid w̄, none of it by forming H:
/// the loss J(w̄) over the first N samples, Tr H by Hutchinson, the top eigenvalues by Lanczos,
/// and Tr R, Tr(HR) from n per-sample gradients (`GradientNoise`).
struct CheckpointEstimates: Encodable {
  static let defaultSamples = 2048
  static let defaultGradientSamples = 256
  static let defaultTop = 3

  let loss: Double
  /// N, the samples the loss averages over.
  let samples: Int
  let traceHessian: Double
  let traceHessianStderr: Double
  /// The largest eigenvalues of H, descending.
  let topEigenvalues: [Double]
  let noise: GradientNoise
  /// Hessian-vector products spent in all.
  let hvps: Int

  init(loss: Double, samples: Int, trace: HessianTrace, spectrum: HessianSpectrum, noise: GradientNoise) {
    self.loss = loss
    self.samples = samples
    traceHessian = trace.trace
    traceHessianStderr = trace.standardError
    topEigenvalues = spectrum.topEigenvalues
    self.noise = noise
    hvps = trace.hvps + spectrum.hvps + noise.hvps
  }

  enum CodingKeys: String, CodingKey {
    case loss, samples, hvps
    case traceHessian = "trace_hessian"
    case traceHessianStderr = "trace_hessian_stderr"
    case topEigenvalues = "top_eigenvalues"
    case gradientSamples = "gradient_samples"
    case traceNoise = "trace_noise"
    case traceNoiseStderr = "trace_noise_stderr"
    case traceHessianNoise = "trace_hessian_noise"
    case traceHessianNoiseStderr = "trace_hessian_noise_stderr"
    case meanGradientNorm = "mean_gradient_norm"
  }

  /// One flat object: the noise estimates sit beside the curvature ones.
  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(loss, forKey: .loss)
    try c.encode(samples, forKey: .samples)
    try c.encode(hvps, forKey: .hvps)
    try c.encode(traceHessian, forKey: .traceHessian)
    try c.encode(traceHessianStderr, forKey: .traceHessianStderr)
    try c.encode(topEigenvalues, forKey: .topEigenvalues)
    try c.encode(noise.samples, forKey: .gradientSamples)
    try c.encode(noise.traceNoise, forKey: .traceNoise)
    try c.encode(noise.traceNoiseStderr, forKey: .traceNoiseStderr)
    try c.encode(noise.traceHessianNoise, forKey: .traceHessianNoise)
    try c.encode(noise.traceHessianNoiseStderr, forKey: .traceHessianNoiseStderr)
    try c.encode(noise.meanGradientNorm, forKey: .meanGradientNorm)
  }
}
