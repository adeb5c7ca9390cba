import FlatlandCore

/// PAC-Bayes flatness: the largest σ such that isotropic Gaussian noise of standard deviation σ
/// per coordinate raises the expected loss by at most a threshold,
/// σ* = max { σ : E_ε[J(w + σε)] − J(w) ≤ threshold }, ε ~ N(0, I).
///
/// A flat minimum tolerates a large posterior variance, which makes the KL term of a
/// PAC-Bayes bound small; Jiang et al. (2020) report 1/σ*² ("pacbayes.flatness") among the
/// measures that best predict generalization. Unlike `Sharpness.averageDirection`, the noise
/// is per coordinate, so ‖σε‖ ≈ σ√d. Near a minimum E[J(w + σε)] − J(w) ≈ ½σ² Tr(H), so for a
/// quadratic σ* = √(2 · threshold / Tr H).
public struct PACBayesFlatness: Codable, Sendable, Equatable {
  /// σ*, to relative precision `tolerance`; the reported σ satisfies the threshold on the draws.
  public var sigma: Double
  public var threshold: Double
  /// The estimated increase at `sigma`.
  public var lossIncrease: Double
  public var baseLoss: Double
  /// Gaussian draws per estimate (each used as an antithetic pair ±ε).
  public var samples: Int
  public var tolerance: Double
  public var evaluations: Int

  enum CodingKeys: String, CodingKey {
    case sigma, threshold, samples, tolerance, evaluations
    case lossIncrease = "loss_increase"
    case baseLoss = "base_loss"
  }
}

extension PACBayesFlatness {
  /// Finds σ* by bracketing and bisection on a Monte-Carlo estimate of the increase
  /// f(σ) = (1/n) Σ_i ½(J(w + σε_i) + J(w − σε_i)) − J(w).
  ///
  /// The same n seeded draws ε_i are used for every σ (common random numbers), so f is a fixed
  /// function of σ (exactly ½σ² (1/n) Σ ε_iᵀHε_i on a quadratic, increasing) and bisection is
  /// well defined. The bracket starts at σ = 0.01 and is halved or doubled until it straddles
  /// the threshold; bisection then runs until (hi − lo) ≤ `tolerance` · lo, and lo is returned.
  ///
  /// - Throws: `FlatlandError` for a non-positive threshold, samples < 1, a non-positive
  ///   tolerance, a non-finite loss at w, or a loss increase that never crosses the threshold
  ///   for σ in [2⁻⁶⁰, 2⁶⁰] · 0.01.
  public static func estimate<O: Objective>(
    _ objective: O, at w: [O.Scalar], threshold: Double = 0.1, samples: Int = 16, tolerance: Double = 1e-3,
    seed: UInt64 = 0
  ) throws -> PACBayesFlatness {
    guard threshold > 0, threshold.isFinite else {
      throw FlatlandError.invalid(
        "loss-increase threshold", threshold, accepted: "a positive finite number such as 0.1")
    }
    guard samples >= 1 else {
      throw FlatlandError.invalid("perturbation samples", samples, accepted: "a positive integer")
    }
    guard tolerance > 0, tolerance < 1 else {
      throw FlatlandError.invalid("tolerance", tolerance, accepted: "a relative precision in (0, 1) such as 1e-3")
    }
    let base = try objective.checkedLoss(at: w)
    var evaluations = 1
    func increase(_ sigma: Double) -> Double {
      var total = 0.0
      for i in 0..<samples {
        var rng = MeasureStream.pacBayes.stream(seed: seed, index: i)
        let epsilon: [O.Scalar] = Probe.gaussian(objective.dimension, &rng)
        total +=
          0.5
          * (objective.loss(VectorMath.shifted(w, by: epsilon, times: sigma))
            + objective.loss(VectorMath.shifted(w, by: epsilon, times: -sigma)))
      }
      evaluations += 2 * samples
      let value = total / Double(samples) - base
      return value.isNaN ? .infinity : value  // a loss that overflows counts as above any threshold
    }
    // Bracket: f(lo) ≤ threshold < f(hi), with hi = 2 lo.
    var lo = 0.01
    var fLo = increase(lo)
    var moves = 0
    while fLo > threshold && moves < 60 {
      lo /= 2
      fLo = increase(lo)
      moves += 1
    }
    guard fLo <= threshold else { throw noCrossing(threshold, "above", lo) }
    var hi = 2 * lo
    var fHi = moves > 0 ? Double.infinity : increase(hi)
    while fHi <= threshold && moves < 60 {
      lo = hi
      fLo = fHi
      hi *= 2
      fHi = increase(hi)
      moves += 1
    }
    guard fHi > threshold else { throw noCrossing(threshold, "below", hi) }
    while hi - lo > tolerance * lo {
      let mid = 0.5 * (lo + hi)
      let fMid = increase(mid)
      if fMid <= threshold {
        lo = mid
        fLo = fMid
      } else {
        hi = mid
      }
    }
    return PACBayesFlatness(
      sigma: lo, threshold: threshold, lossIncrease: fLo, baseLoss: base, samples: samples, tolerance: tolerance,
      evaluations: evaluations)
  }

  private static func noCrossing(_ threshold: Double, _ side: String, _ sigma: Double) -> FlatlandError {
    FlatlandError(
      .numeric,
      "loss increase stays \(side) the threshold \(threshold) up to sigma = \(sigma): expected a threshold the "
        + "noise can reach"
    )
  }
}
