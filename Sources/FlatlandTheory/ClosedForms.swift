import FlatlandCore

/// Closed-form steady-state excess risk, averaged over agents, for homogeneous agents with
/// H = diag(h_i), per-sample noise variances r_i, batch B, and a symmetric combination matrix
/// A = U Λ Uᵀ with eigenvalues λ_1 = 1, λ_2, …, λ_K.
///
/// Derivation (the checks the exact solver is tested against): along eigendirection i the K
/// agents' errors follow x_t = F x_{t−1} + v_t with F a polynomial in Aᵀ = A, so in the
/// basis y = Uᵀx the K modes decouple and the noise stays white (U is orthogonal):
/// - consensus: y_m ← (λ_m − μh) y_m − μ n, Var n = r/B, so E y_m² = μ² r / (B[1 − (λ_m − μh)²]);
/// - diffusion ATC: y_m ← λ_m(1 − μh) y_m − μ λ_m n, so E y_m² = μ² λ_m² r / (B[1 − λ_m²(1 − μh)²]);
/// - diffusion CTA: y_m ← λ_m(1 − μh) y_m − μ n, so E y_m² = μ² r / (B[1 − λ_m²(1 − μh)²]).
/// The average over agents of ½ h x_k² is (h / 2K) Σ_m E y_m² (orthogonality again), giving
///
///     consensus:  (1/2K) Σ_m Σ_i h_i μ² r_i / (B[1 − (λ_m − μh_i)²])
///     diffusion:  (1/2K) Σ_m Σ_i h_i μ² λ_m² r_i / (B[1 − λ_m²(1 − μh_i)²])
///     CTA:        (1/2K) Σ_m Σ_i h_i μ² r_i / (B[1 − λ_m²(1 − μh_i)²])
///     centralized: Σ_i μ r_i / (2KB(2 − μh_i))
///
/// where the centralized recursion y ← (1 − μh) y − μ n̄ with Var n̄ = r/(KB) gives
/// ½ h μ² r / (KB[1 − (1 − μh)²]) = μ r / (2KB(2 − μh)). Each decentralized sum's m = 1 term
/// (λ_1 = 1) equals the centralized value; the m ≥ 2 terms are the price of decentralization.
///
/// The two bias-corrected rules carry a second state per mode, so each mode is an ARMA(2, 1)
/// process y_m ← φ₁ y_m + φ₂ y_m,prev + σ(n − n_prev) (eliminate ψ, resp. the tracker, from the
/// recursions of `TheoryStrategy`), whose stationary variance is σ²[(1 − φ₂)(1 + θ²) + 2φ₁θ] /
/// [(1 + φ₂)((1 − φ₂)² − φ₁²)] at θ = −1. With p = 1 − μh:
/// - exact diffusion, ᾱ = ½(1 + λ_m) the mode's eigenvalue of Ā: φ₁ = ᾱ(1 + p), φ₂ = −ᾱp,
///   σ = μᾱ, so E y_m² = 2μ²ᾱ² r / (B(1 − ᾱp)(1 + ᾱ + 2ᾱp));
/// - gradient tracking: φ₁ = 2λ_m − μh, φ₂ = μh − λ_m², σ = μ, so
///   E y_m² = 2μ² r / (B(1 − λ_m² + μh)((1 + λ_m)² − 2μh)).
/// At λ_1 = 1 both equal the centralized mode μ² r/(B(1 − p²)) (the MA factor cancels the unit
/// root), so they enter the same sum:
///
///     exact diffusion:   (1/2K) Σ_m Σ_i h_i 2μ²ᾱ_m² r_i / (B(1 − ᾱ_m p_i)(1 + ᾱ_m + 2ᾱ_m p_i))
///     gradient tracking: (1/2K) Σ_m Σ_i h_i 2μ² r_i / (B(1 − λ_m² + μh_i)((1 + λ_m)² − 2μh_i))
public enum ClosedForms {
  /// The closed-form steady-state excess risk averaged over agents. `eigenvalues` are A's
  /// (K of them, λ = 1 included; only their count is used for the centralized strategy).
  public static func steadyState(
    _ strategy: TheoryStrategy, eigenvalues: [Double], hessian: [Double], noise: [Double], stepSize mu: Double,
    batch: Int
  ) throws -> Double {
    guard hessian.count == noise.count else {
      throw FlatlandError(
        .invalidArgument, "hessian has \(hessian.count) entries but noise has \(noise.count): lengths must match")
    }
    guard !eigenvalues.isEmpty else {
      throw FlatlandError.invalid("number of eigenvalues", 0, accepted: "K ≥ 1 eigenvalues of A")
    }
    let k = Double(eigenvalues.count)
    let b = Double(batch)
    let directions = zip(hessian, noise)
    if strategy == .centralized {
      return directions.reduce(0) { total, d in total + mu * d.1 / (2 * k * b * (2 - mu * d.0)) }
    }
    var total = 0.0
    for (h, r) in directions {
      for lambda in eigenvalues {
        let pole = 1 - lambda * lambda * (1 - mu * h) * (1 - mu * h)
        let variance: Double
        switch strategy {
        case .consensus: variance = mu * mu * r / (b * (1 - (lambda - mu * h) * (lambda - mu * h)))
        case .diffusion: variance = mu * mu * lambda * lambda * r / (b * pole)
        case .diffusionCTA, .centralized: variance = mu * mu * r / (b * pole)  // centralized returned above
        case .exactDiffusion:
          let (a, p) = (0.5 * (1 + lambda), 1 - mu * h)
          variance = 2 * mu * mu * a * a * r / (b * (1 - a * p) * (1 + a + 2 * a * p))
        case .gradientTracking:
          variance =
            2 * mu * mu * r / (b * (1 - lambda * lambda + mu * h) * ((1 + lambda) * (1 + lambda) - 2 * mu * h))
        }
        total += h * variance
      }
    }
    return total / (2 * k)
  }
}
