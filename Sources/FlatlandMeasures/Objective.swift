import FlatlandCore

/// A twice-differentiable loss J over one flat parameter vector: what every measure is written
/// against.
///
/// A measure needs only J(w), ∇J(w) and Hessian-vector products H(w) v = ∇²J(w) v, so the same
/// Lanczos, Hutchinson or sharpness code runs on a network over a sample set
/// (`NetworkObjective`) and on a quadratic with a known Hessian (`QuadraticObjective`), whose
/// closed forms the tests check against. Vectors are in the objective's working precision
/// `Scalar`; measures accumulate their scalars (Rayleigh quotients, means) in Double.
///
/// Implementations may hold scratch buffers and need not be thread-safe: one objective per
/// thread. Lengths are the caller's responsibility (a mismatch is a programmer error); measures
/// validate user-given points with `checkedLoss(at:)` first.
public protocol Objective {
  associatedtype Scalar: FlatScalar

  /// Number of parameters d.
  var dimension: Int { get }

  /// J(w).
  func loss(_ w: [Scalar]) -> Double

  /// J(w); writes ∇J(w) into `gradient` (d entries, overwritten).
  func lossAndGradient(_ w: [Scalar], gradient: inout [Scalar]) -> Double

  /// Writes ∇²J(w) v into `result` (d entries, overwritten).
  func hessianVectorProduct(_ w: [Scalar], direction v: [Scalar], result: inout [Scalar])

  /// J(w), leaving the objective ready for Hessian-vector products at w. An objective that
  /// keeps per-point curvature state (`NetworkObjective`) builds it here, so the pass that
  /// checks a measure's point is also its first HVP's forward pass rather than one more.
  func prepareCurvature(at w: [Scalar]) -> Double
}

extension Objective {
  /// Objectives without per-point state just evaluate J.
  public func prepareCurvature(at w: [Scalar]) -> Double { loss(w) }

  /// J(w) after checking that `w` is a valid evaluation point: d finite entries and a finite
  /// loss. Every measure starts here, so bad input is a thrown error, never a trap or a NaN.
  /// Measures that go on to take HVPs at w pass `preparingCurvature` (see `prepareCurvature`).
  public func checkedLoss(at w: [Scalar], preparingCurvature: Bool = false) throws -> Double {
    guard w.count == dimension else {
      throw FlatlandError.invalid(
        "parameter vector length", w.count, accepted: "\(dimension) entries, the objective's dimension")
    }
    guard VectorMath.allFinite(w) else {
      throw FlatlandError(.numeric, "parameter vector has non-finite entries: expected finite parameters")
    }
    let value = preparingCurvature ? prepareCurvature(at: w) : loss(w)
    guard value.isFinite else {
      throw FlatlandError(.numeric, "loss at the evaluation point is \(value): expected a finite loss")
    }
    return value
  }

  /// H(w) v as a new vector, with non-finite output reported as an error.
  func checkedHVP(_ w: [Scalar], _ v: [Scalar]) throws -> [Scalar] {
    var result = VectorMath.zeros(dimension) as [Scalar]
    hessianVectorProduct(w, direction: v, result: &result)
    guard VectorMath.allFinite(result) else {
      throw FlatlandError(
        .numeric, "Hessian-vector product has non-finite entries: the loss is not twice differentiable at this point")
    }
    return result
  }

  /// ∇J(w) and J(w), with a non-finite loss or gradient reported as an error.
  public func checkedGradient(_ w: [Scalar]) throws -> (loss: Double, gradient: [Scalar]) {
    var g = VectorMath.zeros(dimension) as [Scalar]
    let value = lossAndGradient(w, gradient: &g)
    guard value.isFinite, VectorMath.allFinite(g) else {
      throw FlatlandError(
        .numeric, "loss or gradient is non-finite (loss \(value)): expected finite values near the evaluation point")
    }
    return (value, g)
  }
}
