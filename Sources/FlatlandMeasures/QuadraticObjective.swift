import FlatlandCore

/// J(w) = ½ (w − w*)ᵀ H (w − w*) + c with a known symmetric H: the objective whose measures
/// have closed forms (λ_max, Tr H, ½ρ²λ_max, …), so tests can check the estimators exactly.
///
/// ∇J(w) = H (w − w*) and ∇²J(w) = H everywhere. The loss is accumulated in Double.
public struct QuadraticObjective<T: FlatScalar>: Objective, Sendable {
  public typealias Scalar = T
  /// d×d row-major, symmetric.
  public let hessian: [T]
  public let minimizer: [T]
  public let minimum: Double

  /// - Throws: `FlatlandError` when H is not d×d for d = minimizer.count ≥ 1 or not symmetric,
  ///   or when any input is non-finite.
  public init(hessian: [T], minimizer: [T], minimum: Double = 0) throws {
    let d = minimizer.count
    guard d >= 1, hessian.count == d * d else {
      throw FlatlandError.invalid(
        "Hessian size", hessian.count, accepted: "d×d = \(d * d) entries for a minimizer of \(d) entries (d ≥ 1)")
    }
    guard VectorMath.allFinite(hessian), VectorMath.allFinite(minimizer), minimum.isFinite else {
      throw FlatlandError(.numeric, "quadratic objective has non-finite entries: expected finite H, w* and c")
    }
    for i in 0..<d {
      for j in 0..<i where hessian[i * d + j] != hessian[j * d + i] {
        throw FlatlandError(
          .invalidArgument,
          "Hessian is not symmetric: entry (\(i),\(j)) = \(hessian[i * d + j]) but (\(j),\(i)) = \(hessian[j * d + i])")
      }
    }
    self.hessian = hessian
    self.minimizer = minimizer
    self.minimum = minimum
  }

  public var dimension: Int { minimizer.count }

  public func loss(_ w: [T]) -> Double {
    var delta = w
    VectorMath.axpy(-1, minimizer, &delta)
    var h = delta
    multiply(delta, into: &h)
    return 0.5 * VectorMath.dot(delta, h) + minimum
  }

  public func lossAndGradient(_ w: [T], gradient: inout [T]) -> Double {
    var delta = w
    VectorMath.axpy(-1, minimizer, &delta)
    multiply(delta, into: &gradient)
    return 0.5 * VectorMath.dot(delta, gradient) + minimum
  }

  public func hessianVectorProduct(_ w: [T], direction v: [T], result: inout [T]) {
    multiply(v, into: &result)
  }

  /// out = H x.
  private func multiply(_ x: [T], into out: inout [T]) {
    let d = dimension
    precondition(x.count == d && out.count == d, "quadratic objective: vector length mismatch")
    hessian.withUnsafeBufferPointer { h in
      x.withUnsafeBufferPointer { xp in
        out.withUnsafeMutableBufferPointer { o in
          T.gemm(
            transA: false, transB: false, m: d, n: 1, k: d, alpha: 1, a: h.baseAddress!, lda: d,
            b: xp.baseAddress!, ldb: 1, beta: 0, c: o.baseAddress!, ldc: 1)
        }
      }
    }
  }
}
