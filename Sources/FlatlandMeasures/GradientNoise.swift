import FlatlandCore

/// The per-sample gradient noise of a network's loss at a point, estimated without forming a
/// matrix: Tr R and Tr(HR), the two numbers the small-step excess-risk expansion needs from the
/// model (`SmallStepPrediction` in FlatlandTheory).
///
/// For J(w) = (1/N) Σ_s ℓ_s(w) over the objective's N samples, a sample drawn uniformly has
/// gradient g_s = ∇ℓ_s(w) with mean ∇J(w) and covariance
///
///     R = (1/N) Σ_s (g_s − ∇J)(g_s − ∇J)ᵀ,
///
/// so a mini-batch of B such draws carries gradient noise of covariance R/B. With H = ∇²J(w),
/// Tr R = (1/N) Σ_s ‖g_s − ∇J‖² is the size of the noise and Tr(HR) = (1/N) Σ_s
/// (g_s − ∇J)ᵀ H (g_s − ∇J) the noise weighed by curvature.
///
/// Estimation: n distinct samples drawn (seeded) without replacement; their gradients g_i come
/// from batch-of-one passes and are centered on their mean ḡ, c_i = g_i − ḡ. Sampling without
/// replacement gives E[(1/(n−1)) Σ_i c_i c_iᵀ] = N/(N−1) R, so the terms
///
///     t_i = κ ‖c_i‖²,   u_i = κ c_iᵀ H c_i,   κ = (N − 1) n / (N (n − 1)),
///
/// have means unbiased for Tr R and Tr(HR) (one HVP of J per sample for u_i), equal to them
/// exactly when n = N. Each standard error is s/√n · √(1 − n/N), s the terms' sample standard
/// deviation and √(1 − n/N) the finite-population correction, so it vanishes at n = N; it
/// ignores the O(1/n) coupling of the terms through ḡ. Two passes (ḡ first, then the c_i)
/// keep memory at a few d-vectors, whatever n.
public struct GradientNoise: Codable, Sendable, Equatable {
  /// Estimate of Tr R.
  public var traceNoise: Double
  public var traceNoiseStderr: Double
  /// Estimate of Tr(HR).
  public var traceHessianNoise: Double
  public var traceHessianNoiseStderr: Double
  /// n, the per-sample gradients drawn.
  public var samples: Int
  /// N, the samples J averages over.
  public var population: Int
  /// ‖ḡ‖, the norm of the drawn gradients' mean (‖∇J(w)‖ when n = N).
  public var meanGradientNorm: Double
  /// Hessian-vector products of J used (n).
  public var hvps: Int

  public init(
    traceNoise: Double, traceNoiseStderr: Double, traceHessianNoise: Double, traceHessianNoiseStderr: Double,
    samples: Int, population: Int, meanGradientNorm: Double, hvps: Int
  ) {
    self.traceNoise = traceNoise
    self.traceNoiseStderr = traceNoiseStderr
    self.traceHessianNoise = traceHessianNoise
    self.traceHessianNoiseStderr = traceHessianNoiseStderr
    self.samples = samples
    self.population = population
    self.meanGradientNorm = meanGradientNorm
    self.hvps = hvps
  }

  enum CodingKeys: String, CodingKey {
    case samples, population, hvps
    case traceNoise = "trace_noise"
    case traceNoiseStderr = "trace_noise_stderr"
    case traceHessianNoise = "trace_hessian_noise"
    case traceHessianNoiseStderr = "trace_hessian_noise_stderr"
    case meanGradientNorm = "mean_gradient_norm"
  }
}

extension GradientNoise {
  /// Estimates Tr R and Tr(HR) of `objective` at `w` from n = `samples` per-sample gradients,
  /// 2 ≤ n ≤ N; costs 2n batch-of-one gradients and n HVPs of J.
  ///
  /// - Throws: `FlatlandError` for a sample count outside 2…N, a bad point, or a non-finite
  ///   loss, gradient or HVP.
  public static func estimate<T: FlatScalar>(
    _ objective: NetworkObjective<T>, at w: [T], samples n: Int = 256, seed: UInt64 = 0
  ) throws -> GradientNoise {
    let population = objective.sampleCount
    guard n >= 2, n <= population else {
      throw FlatlandError.invalid(
        "gradient sample count", n, accepted: "2 ≤ n ≤ \(population), the number of samples the loss averages over")
    }
    _ = try objective.checkedLoss(at: w, preparingCurvature: true)
    let drawn = draw(n, of: population, seed: seed)
    var gradient: [T] = VectorMath.zeros(objective.dimension)
    func sampleGradient(_ s: Int) throws {
      let loss = objective.sampleLossAndGradient(w, sample: s, gradient: &gradient)
      guard loss.isFinite, VectorMath.allFinite(gradient) else {
        throw FlatlandError(
          .numeric, "sample \(s) has a non-finite loss or gradient (loss \(loss)): expected finite values at the point")
      }
    }
    // Pass 1: ḡ.
    var mean: [T] = VectorMath.zeros(objective.dimension)
    for s in drawn {
      try sampleGradient(s)
      VectorMath.axpy(1 / Double(n), gradient, &mean)
    }
    // Pass 2: the terms t_i and u_i of the centered gradients.
    let kappa = Double(population - 1) * Double(n) / (Double(population) * Double(n - 1))
    var noise = RunningMean()
    var curvedNoise = RunningMean()
    for s in drawn {
      try sampleGradient(s)
      VectorMath.axpy(-1, mean, &gradient)
      noise.add(kappa * VectorMath.dot(gradient, gradient))
      curvedNoise.add(kappa * VectorMath.dot(gradient, try objective.checkedHVP(w, gradient)))
    }
    let correction = (1 - Double(n) / Double(population)).squareRoot()
    return GradientNoise(
      traceNoise: noise.mean, traceNoiseStderr: noise.standardError * correction,
      traceHessianNoise: curvedNoise.mean, traceHessianNoiseStderr: curvedNoise.standardError * correction,
      samples: n, population: population, meanGradientNorm: VectorMath.norm(mean), hvps: n)
  }

  /// n distinct indices of 0..<N in a seeded random order (a partial Fisher–Yates shuffle).
  private static func draw(_ n: Int, of population: Int, seed: UInt64) -> [Int] {
    var rng = MeasureStream.gradientNoise.stream(seed: seed, index: 0)
    var indices = Array(0..<population)
    for i in 0..<n { indices.swapAt(i, i + rng.index(below: population - i)) }
    return Array(indices.prefix(n))
  }
}
