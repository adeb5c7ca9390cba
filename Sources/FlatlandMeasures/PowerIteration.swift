import FlatlandCore

extension HessianSpectrum {
  /// Top-k eigenvalues by power iteration with deflation, as PyHessian computes them (Yao et
  /// al. 2020), for comparison with `lanczos`.
  ///
  /// For i = 1 … k: from a seeded Gaussian vector v, repeat v ← v ⟂ {u_1 … u_{i−1}} (Gram–Schmidt
  /// against the eigenvectors already found), λ ← vᵀHv, v ← Hv/‖Hv‖, until
  /// |λ_t − λ_{t−1}| / (|λ_{t−1}| + 10⁻⁶) < `tolerance` or `maxIterations` HVPs. Each iteration is
  /// one HVP. It converges to the eigenvalue of largest magnitude (the largest one near a
  /// minimum) at rate |λ₂/λ₁| per step, and its stopping test bounds the change, not the error.
  ///
  /// - Throws: `FlatlandError` for k outside 1…d, a non-positive tolerance or iteration count,
  ///   or a non-finite loss or HVP.
  public static func powerIteration<O: Objective>(
    _ objective: O, at w: [O.Scalar], k: Int = 1, tolerance: Double = 1e-3, maxIterations: Int = 100, seed: UInt64 = 0
  ) throws -> HessianSpectrum {
    try validate(objective, w, k: k, tolerance: tolerance, iterations: maxIterations, name: "power iteration limit")
    let d = objective.dimension
    var found = OrthonormalBasis<O.Scalar>(dimension: d)
    var values: [Double] = []
    var changes: [Double] = []
    var hvps = 0
    var converged = true
    for i in 0..<k {
      var rng = MeasureStream.powerIteration.stream(seed: seed, index: i)
      var v = VectorMath.normalized(Probe.gaussian(d, &rng) as [O.Scalar]).vector
      var lambda: Double?
      var change = Double.infinity
      var vectorConverged = false
      for _ in 0..<maxIterations {
        found.orthogonalize(&v)
        v = VectorMath.normalized(v).vector
        let hv = try objective.checkedHVP(w, v)
        hvps += 1
        let estimate = VectorMath.dot(v, hv)
        v = VectorMath.normalized(hv).vector
        if let previous = lambda {
          change = abs(estimate - previous) / (abs(previous) + 1e-6)
          if change < tolerance { vectorConverged = true }
        }
        lambda = estimate
        if vectorConverged { break }
      }
      converged = converged && vectorConverged
      values.append(lambda ?? 0)
      changes.append(change)
      found.orthogonalize(&v)
      found.append(VectorMath.normalized(v).vector)
    }
    let order = values.indices.sorted { values[$0] > values[$1] }
    let top = order.map { values[$0] }
    let relative = order.map { changes[$0] }
    return HessianSpectrum(
      method: .powerIteration, topEigenvalues: top, lambdaMax: top[0], lambdaMin: nil, relativeResiduals: relative,
      toleranceReached: relative.max() ?? .infinity, tolerance: tolerance, converged: converged, hvps: hvps)
  }
}
