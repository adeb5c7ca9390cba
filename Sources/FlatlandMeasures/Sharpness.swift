import FlatlandCore

/// How much the loss rises when the parameters are perturbed within a radius ρ: on average
/// over random directions, or in the worst direction.
///
/// Sharp minima (Keskar et al. 2017) rise quickly; the random-direction and worst-case
/// versions are two of the generalization measures compared by Jiang et al. (2020), and the
/// adaptive worst case is the scale-invariant one of Kwon et al. (ASAM, 2021) and Andriushchenko
/// & Flammarion (2022). Near a minimum, J(w + δ) − J(w) ≈ ½ δᵀHδ, which gives the closed forms
/// quoted with each estimator.
public struct Sharpness: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable {
    case averageDirection = "average-direction"
    case worstCase = "worst-case"
    case adaptiveWorstCase = "adaptive-worst-case"
  }

  public var kind: Kind
  /// The radius: absolute (Euclidean), or relative to the filter / coordinate magnitudes for the
  /// filter-normalized and adaptive variants.
  public var rho: Double
  /// J(w).
  public var baseLoss: Double
  /// The loss increase: E[J(w + δ)] − J(w) or max J(w + δ) − J(w).
  public var value: Double
  /// Monte-Carlo standard error of `value` (average-direction); 0 for the worst case, which is
  /// a maximum found, not an average.
  public var standardError: Double
  /// Loss evaluations (average-direction) or gradient evaluations (worst case).
  public var evaluations: Int
  /// True when perturbations were scaled per filter.
  public var filterNormalized: Bool

  enum CodingKeys: String, CodingKey {
    case kind, rho, value, evaluations
    case baseLoss = "base_loss"
    case standardError = "stderr"
    case filterNormalized = "filter_normalized"
  }
}

extension Sharpness {
  /// Average-direction sharpness E_u[J(w + ρu)] − J(w), by Monte Carlo over `samples` seeded
  /// directions taken in antithetic pairs ±u, which cancel the first-order term ∇Jᵀu exactly
  /// (it has mean zero but can dominate the variance away from a minimum).
  ///
  /// - Without `filters`: u = ε/‖ε‖, ε ~ N(0, I), uniform on the unit sphere, so every
  ///   perturbation has norm exactly ρ and the result is comparable with `worstCase` at the same
  ///   ρ. With E[uuᵀ] = I/d: at a minimum of a quadratic the value is ½ρ² Tr(H)/d.
  /// - With `filters`: u = the filter-normalized ε (each filter f rescaled to ‖w_f‖), so filter f
  ///   moves by exactly ρ‖w_f‖ and ρ is a relative radius. Within filter f of n_f coordinates
  ///   the direction is uniform on a sphere, so the quadratic value is
  ///   ½ρ² Σ_f (‖w_f‖²/n_f) Σ_{i∈f} H_ii.
  ///
  /// - Throws: `FlatlandError` for ρ ≤ 0, samples < 1, a partition of the wrong dimension, or a
  ///   non-finite loss at w.
  public static func averageDirection<O: Objective>(
    _ objective: O, at w: [O.Scalar], rho: Double, samples: Int = 20, filters: FilterPartition? = nil, seed: UInt64 = 0
  ) throws -> Sharpness {
    try checkRadius(rho)
    guard samples >= 1 else {
      throw FlatlandError.invalid("perturbation samples", samples, accepted: "a positive integer")
    }
    try filters?.check(dimension: objective.dimension)
    let base = try objective.checkedLoss(at: w)
    var stats = RunningMean()
    for i in 0..<samples {
      var rng = MeasureStream.averageSharpness.stream(seed: seed, index: i)
      let epsilon: [O.Scalar] = Probe.gaussian(objective.dimension, &rng)
      let u = filters.map { $0.normalize(epsilon, to: w) } ?? VectorMath.normalized(epsilon).vector
      let up = objective.loss(VectorMath.shifted(w, by: u, times: rho))
      let down = objective.loss(VectorMath.shifted(w, by: u, times: -rho))
      stats.add(0.5 * (up + down) - base)
    }
    guard stats.mean.isFinite else {
      throw FlatlandError(.numeric, "loss is non-finite within radius \(rho) of the point: expected a smaller radius")
    }
    return Sharpness(
      kind: .averageDirection, rho: rho, baseLoss: base, value: stats.mean, standardError: stats.standardError,
      evaluations: 2 * samples + 1, filterNormalized: filters != nil)
  }

  /// ρ must be positive and finite.
  static func checkRadius(_ rho: Double) throws {
    guard rho > 0, rho.isFinite else {
      throw FlatlandError.invalid("radius rho", rho, accepted: "a positive finite number such as 0.05")
    }
  }
}
