import FlatlandCore

/// The top of the Hessian's spectrum at a point: the k largest eigenvalues, optionally the most
/// negative one, with how well they converged and what they cost.
///
/// Two methods, both matrix-free on exact HVPs:
/// - `lanczos` (default): full-reorthogonalization Lanczos, stopped by Ritz residual bounds.
///   Its Krylov space holds the polynomials of degree < m in H, so λ_max converges at the
///   Chebyshev rate exp(−2m√gap) instead of power iteration's (λ₂/λ₁)^m.
/// - `powerIteration`: PyHessian's method, kept for comparison.
public struct HessianSpectrum: Codable, Sendable, Equatable {
  public enum Method: String, Codable, Sendable {
    case lanczos
    case powerIteration = "power-iteration"
  }

  public var method: Method
  /// The k largest eigenvalues, descending.
  public var topEigenvalues: [Double]
  /// The largest eigenvalue, `topEigenvalues[0]`.
  public var lambdaMax: Double
  /// The smallest (most negative) eigenvalue, when requested: negative values of size
  /// comparable to λ_max mark a saddle rather than a minimum.
  public var lambdaMin: Double?
  /// Per eigenvalue in `topEigenvalues`: for Lanczos the residual bound |β_m s_mi| / |θ_i|, a
  /// certified bound on the relative error; for power iteration the last relative change.
  public var relativeResiduals: [Double]
  /// The largest value of the stopping quantity over the reported eigenvalues (and λ_min's,
  /// relative to |λ_max|).
  public var toleranceReached: Double
  /// The requested tolerance.
  public var tolerance: Double
  public var converged: Bool
  /// Hessian-vector products used.
  public var hvps: Int

  enum CodingKeys: String, CodingKey {
    case method, tolerance, converged, hvps
    case topEigenvalues = "top_eigenvalues"
    case lambdaMax = "lambda_max"
    case lambdaMin = "lambda_min"
    case relativeResiduals = "relative_residuals"
    case toleranceReached = "tolerance_reached"
  }
}

extension HessianSpectrum {
  /// Top-k eigenvalues of ∇²J(w) by Lanczos with full reorthogonalization.
  ///
  /// Starts from a seeded Rademacher vector and adds one Krylov vector per HVP. After each step
  /// (from step k on) the tridiagonal T_m is diagonalized (`SymmetricEigen`, O(m³) with m ≤
  /// `maxSteps`, negligible beside an HVP) and the run stops when each of the k largest Ritz
  /// values θ_i has residual bound r_i = |β_m s_mi| ≤ `tolerance` · |θ_i|. Since |θ_i − λ| ≤ r_i
  /// for some eigenvalue λ (and ≤ r_i²/gap for an isolated one), this certifies the relative
  /// error, usually with orders of magnitude to spare, where power iteration's change test
  /// bounds nothing. With `smallest`, the least Ritz value must also reach a bound ≤
  /// `tolerance` · |θ_max|: near a minimum λ_min is close to zero, so it is resolved on the
  /// scale of the spectrum rather than relative to itself.
  ///
  /// - Parameters:
  ///   - k: number of largest eigenvalues, 1 ≤ k ≤ d.
  ///   - maxSteps: Krylov dimension cap, ≥ k (capped at d; memory is `maxSteps` vectors of d).
  /// - Throws: `FlatlandError` for k outside 1…d, a non-positive tolerance, fewer than k
  ///   steps, or a non-finite loss or HVP.
  public static func lanczos<O: Objective>(
    _ objective: O, at w: [O.Scalar], k: Int = 1, tolerance: Double = 1e-3, maxSteps: Int = 100,
    smallest: Bool = false, seed: UInt64 = 0
  ) throws -> HessianSpectrum {
    try validate(objective, w, k: k, tolerance: tolerance, iterations: maxSteps, name: "Lanczos step limit")
    guard maxSteps >= k else {
      throw FlatlandError.invalid("Lanczos step limit", maxSteps, accepted: "at least k = \(k) steps")
    }
    let d = objective.dimension
    var rng = MeasureStream.lanczos.stream(seed: seed, index: 0)
    let start: [O.Scalar] = Probe.rademacher(d, &rng)
    var process = LanczosProcess(
      objective: objective, point: w, start: start, restarts: MeasureStream.lanczos.stream(seed: seed, index: 1))
    let limit = min(maxSteps, d)
    let needed = max(k, smallest ? 2 : 1)
    while true {
      try process.step()
      let m = process.steps
      guard m >= needed || m == limit || process.isExhausted else { continue }
      let ritz = try process.ritz()
      let top = (0..<min(k, m)).map { m - 1 - $0 }
      let residuals = top.map { relative(ritz.residualBounds[$0], ritz.values[$0]) }
      var reached = residuals.max() ?? 0
      if smallest { reached = max(reached, relative(ritz.residualBounds[0], ritz.values.map(abs).max() ?? 0)) }
      let converged = try top.count == k && reached <= tolerance && blockConverged(process, tolerance)
      if converged || m == limit || process.isExhausted {
        let values = top.map { ritz.values[$0] }
        return HessianSpectrum(
          method: .lanczos, topEigenvalues: values, lambdaMax: values[0], lambdaMin: smallest ? ritz.values[0] : nil,
          relativeResiduals: residuals, toleranceReached: reached, tolerance: tolerance, converged: converged,
          hvps: process.hvps)
      }
    }
  }

  /// x / |scale|, guarded against a zero scale.
  private static func relative(_ x: Double, _ scale: Double) -> Double { x / max(abs(scale), .leastNormalMagnitude) }

  /// After a restart, a repeated eigenvalue may have a copy the earlier blocks could not see:
  /// the run goes on until the current block's own largest Ritz value has converged, and never
  /// stops on the step that restarted.
  private static func blockConverged<O>(_ process: LanczosProcess<O>, _ tolerance: Double) throws -> Bool {
    if process.justRestarted { return false }
    guard process.blockStart > 0 else { return true }
    let block = try process.ritz(from: process.blockStart)
    let top = block.values.count - 1
    return block.residualBounds[top] <= tolerance * abs(block.values[top])
  }

  /// Checks the arguments shared by both methods and the evaluation point.
  static func validate<O: Objective>(
    _ objective: O, _ w: [O.Scalar], k: Int, tolerance: Double, iterations: Int, name: String
  ) throws {
    guard k >= 1, k <= objective.dimension else {
      throw FlatlandError.invalid(
        "eigenvalue count k", k, accepted: "1 ≤ k ≤ \(objective.dimension), the parameter count")
    }
    guard tolerance > 0, tolerance.isFinite else {
      throw FlatlandError.invalid("tolerance", tolerance, accepted: "a positive finite number such as 1e-3")
    }
    guard iterations >= 1 else { throw FlatlandError.invalid(name, iterations, accepted: "a positive integer") }
    _ = try objective.checkedLoss(at: w, preparingCurvature: true)
  }
}
