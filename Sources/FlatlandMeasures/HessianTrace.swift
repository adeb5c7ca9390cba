import FlatlandCore

/// An estimate of Tr ∇²J(w) with its standard error.
///
/// The trace is the sum of curvatures in all directions, d times the average curvature: the
/// flatness measure PyHessian reports beside λ_max.
public struct HessianTrace: Codable, Sendable, Equatable {
  public enum Method: String, Codable, Sendable {
    case hutchinson
    case hutchPlusPlus = "hutch++"
  }

  public var method: Method
  public var trace: Double
  /// Standard error of `trace` (sample standard deviation of the probe values over √probes).
  public var standardError: Double
  /// Random probes averaged (for Hutch++, those of its residual term).
  public var probes: Int
  public var hvps: Int
  /// The requested relative tolerance on standardError / |trace| (Hutchinson only; 0 for Hutch++).
  public var tolerance: Double
  /// True when standardError ≤ tolerance · |trace| was reached (always true for Hutch++, which
  /// spends a fixed budget).
  public var converged: Bool

  enum CodingKeys: String, CodingKey {
    case method, trace, probes, hvps, tolerance, converged
    case standardError = "trace_stderr"
  }
}

extension HessianTrace {
  /// Hutchinson's estimator: Tr H = E[zᵀHz] for Rademacher z (E[zzᵀ] = I), averaged over
  /// seeded probes until the standard error s/√n falls to `tolerance` · |mean| (after at least
  /// `minProbes`) or `maxProbes` are spent. Rademacher probes give the least variance,
  /// Var = 2 Σ_{i≠j} H_ij², of all i.i.d. probe distributions (Hutchinson 1990).
  ///
  /// - Throws: `FlatlandError` for probe counts outside 2 ≤ minProbes ≤ maxProbes, a
  ///   non-positive tolerance, or a non-finite loss or HVP.
  public static func hutchinson<O: Objective>(
    _ objective: O, at w: [O.Scalar], tolerance: Double = 1e-2, minProbes: Int = 10, maxProbes: Int = 200,
    seed: UInt64 = 0
  ) throws -> HessianTrace {
    guard minProbes >= 2, maxProbes >= minProbes else {
      throw FlatlandError.invalid("probe counts", "\(minProbes)…\(maxProbes)", accepted: "2 ≤ min probes ≤ max probes")
    }
    guard tolerance > 0, tolerance.isFinite else {
      throw FlatlandError.invalid("tolerance", tolerance, accepted: "a positive finite number such as 1e-2")
    }
    _ = try objective.checkedLoss(at: w, preparingCurvature: true)
    var stats = RunningMean()
    while stats.count < maxProbes {
      var rng = MeasureStream.hutchinson.stream(seed: seed, index: stats.count)
      let z: [O.Scalar] = Probe.rademacher(objective.dimension, &rng)
      stats.add(VectorMath.dot(z, try objective.checkedHVP(w, z)))
      if stats.count >= minProbes, stats.standardError <= tolerance * abs(stats.mean) { break }
    }
    return HessianTrace(
      method: .hutchinson, trace: stats.mean, standardError: stats.standardError, probes: stats.count,
      hvps: stats.count,
      tolerance: tolerance, converged: stats.standardError <= tolerance * abs(stats.mean))
  }

  /// Hutch++ (Meyer, Musco, Musco & Woodruff 2021): with s = budget/3, sketch Y = H S for s
  /// Rademacher columns S, take an orthonormal basis Q of Y, and estimate
  /// Tr H = Tr(Qᵀ H Q) + Tr((I − QQᵀ) H (I − QQᵀ)),
  /// the first term exactly (one HVP per column of Q) and the second by Hutchinson with s
  /// projected Rademacher probes. The top of the spectrum, which dominates Hutchinson's
  /// variance, is captured exactly, so the error falls as 1/budget instead of 1/√budget when
  /// eigenvalues decay. The standard error is that of the residual term.
  ///
  /// - Throws: `FlatlandError` for a budget below 6 HVPs or a non-finite loss or HVP.
  public static func hutchPlusPlus<O: Objective>(
    _ objective: O, at w: [O.Scalar], budget: Int = 60, seed: UInt64 = 0
  ) throws -> HessianTrace {
    guard budget >= 6 else {
      throw FlatlandError.invalid("Hutch++ budget", budget, accepted: "at least 6 Hessian-vector products")
    }
    _ = try objective.checkedLoss(at: w, preparingCurvature: true)
    let d = objective.dimension
    let s = budget / 3
    var hvps = 0
    // Sketch and orthonormalize: Q spans H S.
    var basis = OrthonormalBasis<O.Scalar>(dimension: d)
    for i in 0..<s where basis.count < d {
      var rng = MeasureStream.hutchPlusPlus.stream(seed: seed, index: i)
      var y = try objective.checkedHVP(w, Probe.rademacher(d, &rng))
      hvps += 1
      let norm = VectorMath.norm(y)
      basis.orthogonalize(&y)
      let (q, residual) = VectorMath.normalized(y)
      if residual > 100 * Double(O.Scalar.ulpOfOne) * norm { basis.append(q) }
    }
    // Exact part: Tr(Qᵀ H Q).
    var exact = 0.0
    for j in 0..<basis.count {
      let q = Array(basis.vector(j))
      exact += VectorMath.dot(q, try objective.checkedHVP(w, q))
      hvps += 1
    }
    // Residual part, unless Q already spans the whole space.
    var stats = RunningMean()
    if basis.count < d {
      for i in 0..<s {
        var rng = MeasureStream.hutchPlusPlus.stream(seed: seed, index: s + i)
        var g: [O.Scalar] = Probe.rademacher(d, &rng)
        basis.orthogonalize(&g)
        stats.add(VectorMath.dot(g, try objective.checkedHVP(w, g)))
        hvps += 1
      }
    }
    return HessianTrace(
      method: .hutchPlusPlus, trace: exact + stats.mean, standardError: stats.standardError, probes: stats.count,
      hvps: hvps,
      tolerance: 0, converged: true)
  }
}

/// Welford's running mean and variance: one pass, stable.
struct RunningMean {
  private(set) var count = 0
  private(set) var mean = 0.0
  private var m2 = 0.0

  mutating func add(_ x: Double) {
    count += 1
    let delta = x - mean
    mean += delta / Double(count)
    m2 += delta * (x - mean)
  }

  /// Sample variance (n − 1 in the denominator), 0 below two values.
  var variance: Double { count < 2 ? 0 : m2 / Double(count - 1) }

  /// √(variance / n).
  var standardError: Double { count < 2 ? 0 : (variance / Double(count)).squareRoot() }
}
