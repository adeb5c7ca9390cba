import FlatlandCore

extension Sharpness {
  /// The set the worst-case perturbation δ ranges over.
  public enum Ball: Sendable, Equatable {
    /// ‖δ‖₂ ≤ ρ.
    case euclidean
    /// ‖δ ⊘ (|w| + η)‖₂ ≤ ρ: each coordinate may move in proportion to its magnitude (ASAM's
    /// elementwise normalization T_w = diag(|w| + η), Kwon et al. 2021), so the measure does not
    /// change when a ReLU network is rescaled; ρ is then a relative radius.
    case adaptive(eta: Double)
  }

  /// Worst-case sharpness max_{δ ∈ ball} J(w + δ) − J(w), by projected gradient ascent with
  /// restarts.
  ///
  /// Writing δ = t ⊙ u with ‖u‖ ≤ ρ (t = 1, or |w| + η for the adaptive ball), each step is
  /// u ← Π_ρ(u + `stepSize` · ρ · ĝ), ĝ the unit gradient t ⊙ ∇J(w + δ) / ‖·‖ with respect to u
  /// and Π_ρ the projection onto the ball. Restart 0 starts from the first-order maximizer
  /// ρ t⊙∇J(w)/‖t⊙∇J(w)‖ (SAM's step; a seeded random point on the sphere if ∇J(w) = 0), the
  /// others from seeded random points on the sphere. A restart ends after `steps` steps or when
  /// the loss changes by less than `tolerance` times the increase so far. The result is the
  /// largest increase met: a lower bound on the maximum.
  ///
  /// On a quadratic at its minimum, J(w + δ) − J(w) = ½ δᵀHδ and the ascent is a power
  /// iteration on I + cH, so the value tends to ½ρ² λ_max(H) (Euclidean ball) or
  /// ½ρ² λ_max(T H T) with T = diag(|w| + η) (adaptive ball).
  ///
  /// - Throws: `FlatlandError` for ρ ≤ 0, η < 0, non-positive steps, restarts or step size, or a
  ///   non-finite loss or gradient.
  public static func worstCase<O: Objective>(
    _ objective: O, at w: [O.Scalar], rho: Double, ball: Ball = .euclidean, steps: Int = 20, restarts: Int = 3,
    stepSize: Double = 1, tolerance: Double = 1e-4, seed: UInt64 = 0
  ) throws -> Sharpness {
    try checkRadius(rho)
    guard steps >= 1 else { throw FlatlandError.invalid("ascent steps", steps, accepted: "a positive integer") }
    guard restarts >= 1 else { throw FlatlandError.invalid("restarts", restarts, accepted: "a positive integer") }
    guard stepSize > 0, stepSize.isFinite else {
      throw FlatlandError.invalid("ascent step size", stepSize, accepted: "a positive fraction of the radius such as 1")
    }
    guard tolerance >= 0, tolerance.isFinite else {
      throw FlatlandError.invalid("tolerance", tolerance, accepted: "a non-negative finite number")
    }
    let d = objective.dimension
    let t: [O.Scalar]
    switch ball {
    case .euclidean:
      t = [O.Scalar](repeating: 1, count: d)
    case .adaptive(let eta):
      guard eta >= 0, eta.isFinite else {
        throw FlatlandError.invalid("eta", eta, accepted: "a non-negative finite number such as 0.01")
      }
      t = w.map { abs($0) + O.Scalar(eta) }
    }
    let base = try objective.checkedLoss(at: w)
    let (_, g0) = try objective.checkedGradient(w)
    var evaluations = 1
    var best = -Double.infinity
    for restart in 0..<restarts {
      var rng = MeasureStream.worstCaseSharpness.stream(seed: seed, index: restart)
      let (ascent, norm) = VectorMath.normalized(product(t, g0))
      var u = restart == 0 && norm > 0 ? ascent : VectorMath.normalized(Probe.gaussian(d, &rng) as [O.Scalar]).vector
      u = VectorMath.scaled(u, by: rho)
      var previous: Double?
      for step in 0...steps {
        let (value, g) = try objective.checkedGradient(VectorMath.shifted(w, by: product(t, u)))
        evaluations += 1
        best = max(best, value - base)
        if let previous, abs(value - previous) <= tolerance * abs(value - base) { break }
        previous = value
        let (direction, gNorm) = VectorMath.normalized(product(t, g))
        if step == steps || gNorm == 0 { break }
        VectorMath.axpy(stepSize * rho, direction, &u)
        let uNorm = VectorMath.norm(u)
        if uNorm > rho { u = VectorMath.scaled(u, by: rho / uNorm) }
      }
    }
    let adaptive = if case .adaptive = ball { true } else { false }
    return Sharpness(
      kind: adaptive ? .adaptiveWorstCase : .worstCase, rho: rho, baseLoss: base, value: best, standardError: 0,
      evaluations: evaluations, filterNormalized: false)
  }

  /// a ⊙ b.
  private static func product<T: FlatScalar>(_ a: [T], _ b: [T]) -> [T] {
    zip(a, b).map { $0 * $1 }
  }
}
