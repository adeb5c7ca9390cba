import FlatlandCore

/// Steady-state excess risk to second order in μ, from three scalars of the local model
/// (Tr R, Tr(HR)) and the eigenvalues of a symmetric A — no Hessian needed, so it can be fed
/// by estimates on a trained network (Tr R from per-sample gradients, Tr(HR) from HVPs).
///
/// Expanding the closed forms (`ClosedForms`) for μh_i → 0 at fixed λ_m:
/// - the m = 1 (centralized) term μ r/(2KB(2 − μh)) = μ r/(4KB) + μ² h r/(8KB) + O(μ³), so the
///   common part is μ Tr(R)/(4KB) + μ² Tr(HR)/(8KB);
/// - each m ≥ 2 term h μ² r / (B[1 − (λ − μh)²]) (consensus) is μ² h r/(B(1 − λ²)) · (1 + O(μ)),
///   and h μ² λ² r / (B[1 − λ²(1 − μh)²]) (diffusion) is μ² h r λ²/(B(1 − λ²)) · (1 + O(μ)).
///
/// Hence, with f_consensus(λ) = 1/(1 − λ²), f_diffusion(λ) = λ²/(1 − λ²), and CTA equal to
/// consensus at this order (its numerator has no λ²):
///
///     excess risk ≈ μ Tr(R)/(4KB) + μ² Tr(HR)/(8KB) + μ² Tr(HR)/(2KB) Σ_{m≥2} f(λ_m).
///
/// Since f_consensus − f_diffusion = 1, consensus exceeds diffusion by μ² Tr(HR)(K − 1)/(2KB),
/// and diffusion exceeds centralized by μ² Tr(HR)/(2KB) Σ_{m≥2} λ_m²/(1 − λ_m²) ≥ 0. The
/// expansion needs μ h_max ≪ 1 − |λ_2|; Tr H does not enter at this order.
///
/// The bias-corrected rules' closed forms at μ → 0 give, with ᾱ = ½(1 + λ),
///
///     f_exact-diffusion(λ) = 2ᾱ²/((1 − ᾱ)(1 + 3ᾱ)) = 2(1 + λ)²/((1 − λ)(5 + 3λ))
///     f_gradient-tracking(λ) = 2/((1 − λ²)(1 + λ)²)
///
/// Exact diffusion mixes with the lazier Ā, whose spectral gap is half of A's, and gradient
/// tracking's disagreement is driven by gradient differences n − n_prev, twice the variance
/// of one gradient: with homogeneous agents, where there is no bias to remove, both pay more
/// noise than diffusion.
public struct SmallStepPrediction: Sendable, Equatable {
  public let centralized: Double
  public let consensus: Double
  public let diffusion: Double
  public let diffusionCTA: Double
  public let exactDiffusion: Double
  public let gradientTracking: Double

  /// Tr R and Tr(HR) are of the per-sample noise covariance; `eigenvalues` are A's K real
  /// eigenvalues, one of them 1 (to 1e-9) and the rest in (−1, 1).
  public init(traceNoise: Double, traceHessianNoise: Double, eigenvalues: [Double], stepSize mu: Double, batch: Int)
    throws
  {
    guard traceNoise.isFinite, traceNoise >= 0 else {
      throw FlatlandError.invalid("Tr(R)", traceNoise, accepted: "a finite value ≥ 0")
    }
    guard traceHessianNoise.isFinite, traceHessianNoise >= 0 else {
      throw FlatlandError.invalid("Tr(HR)", traceHessianNoise, accepted: "a finite value ≥ 0")
    }
    guard mu.isFinite, mu > 0 else { throw FlatlandError.invalid("step size μ", mu, accepted: "a finite value > 0") }
    guard batch >= 1 else { throw FlatlandError.invalid("batch size", batch, accepted: "an integer ≥ 1") }
    let rest = try Self.nonUnitEigenvalues(eigenvalues)
    let k = Double(eigenvalues.count)
    let b = Double(batch)
    let common = mu * traceNoise / (4 * k * b) + mu * mu * traceHessianNoise / (8 * k * b)
    let network = mu * mu * traceHessianNoise / (2 * k * b)
    centralized = common
    consensus = common + network * rest.reduce(0) { $0 + 1 / (1 - $1 * $1) }
    diffusion = common + network * rest.reduce(0) { $0 + $1 * $1 / (1 - $1 * $1) }
    diffusionCTA = consensus
    exactDiffusion = common + network * rest.reduce(0) { $0 + 2 * (1 + $1) * (1 + $1) / ((1 - $1) * (5 + 3 * $1)) }
    gradientTracking = common + network * rest.reduce(0) { $0 + 2 / ((1 - $1 * $1) * (1 + $1) * (1 + $1)) }
  }

  /// The predicted excess risk of `strategy`.
  public func value(_ strategy: TheoryStrategy) -> Double {
    switch strategy {
    case .centralized: centralized
    case .consensus: consensus
    case .diffusion: diffusion
    case .diffusionCTA: diffusionCTA
    case .exactDiffusion: exactDiffusion
    case .gradientTracking: gradientTracking
    }
  }

  /// Strategies from lowest to highest predicted excess risk (ties keep declaration order, so
  /// consensus precedes CTA, which it equals at this order).
  public var ordering: [TheoryStrategy] {
    TheoryStrategy.allCases.enumerated()
      .sorted { (value($0.element), $0.offset) < (value($1.element), $1.offset) }
      .map(\.element)
  }

  /// λ_2, …, λ_K: drops the eigenvalue 1 and checks the others lie in (−1, 1).
  private static func nonUnitEigenvalues(_ eigenvalues: [Double]) throws -> [Double] {
    guard let unit = eigenvalues.indices.min(by: { abs(eigenvalues[$0] - 1) < abs(eigenvalues[$1] - 1) }),
      abs(eigenvalues[unit] - 1) <= 1e-9
    else {
      throw FlatlandError(
        .invalidArgument, "eigenvalues of A \(eigenvalues) do not include 1: expected those of a stochastic matrix")
    }
    var rest = eigenvalues
    rest.remove(at: unit)
    for lambda in rest where !(lambda.isFinite && abs(lambda) < 1) {
      throw FlatlandError(
        .invalidArgument,
        "eigenvalue \(lambda) of A has modulus ≥ 1 besides λ₁ = 1: expected a connected, aperiodic network "
          + "(|λ_m| < 1 for m ≥ 2)"
      )
    }
    return rest
  }
}
