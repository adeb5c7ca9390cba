import CBLAS
import FlatlandCore

/// The discrete Lyapunov equation Σ = F Σ Fᵀ + Q, solved exactly for a stable F (ρ(F) < 1).
///
/// Its solution Σ = Σ_{j≥0} F^j Q (F^j)ᵀ is the steady-state covariance of x_i = F x_{i−1} + v_i
/// with Cov v_i = Q. Two exact methods, no small-step approximation in either:
/// - **Kronecker**: with row-major vectorization vec(F Σ Fᵀ) = (F ⊗ F) vec Σ, so
///   (I − F ⊗ F) vec Σ = vec Q, n² unknowns solved by LU (`dgesv`). Cheap for n ≤ 16.
/// - **Doubling** (Smith): S₀ = Q, F₀ = F, S_{k+1} = S_k + F_k S_k F_kᵀ, F_{k+1} = F_k², so
///   S_k sums the first 2^k terms; stopped when the increment is below machine precision
///   relative to S. O(n³) per doubling and ≈ log₂(1/(1 − ρ)) + 6 doublings.
enum DiscreteLyapunov {
  enum Method: Sendable { case automatic, kronecker, doubling }

  /// The largest n solved by the Kronecker method under `.automatic` (n² = 256 unknowns).
  static let kroneckerLimit = 16

  /// Σ solving Σ = F Σ Fᵀ + Q. The caller has checked ρ(F) < 1.
  static func solve(_ f: SquareMatrix, _ q: SquareMatrix, method: Method = .automatic) throws -> SquareMatrix {
    precondition(f.n == q.n, "DiscreteLyapunov: F is \(f.n)×\(f.n) but Q is \(q.n)×\(q.n)")
    let useKronecker = method == .kronecker || (method == .automatic && f.n <= kroneckerLimit)
    let sigma = try useKronecker ? kronecker(f, q) : doubling(f, q)
    // Σ is symmetric in exact arithmetic; remove the rounding asymmetry.
    return 0.5 * (sigma + sigma.transposed)
  }

  private static func kronecker(_ f: SquareMatrix, _ q: SquareMatrix) throws -> SquareMatrix {
    let system = SquareMatrix.identity(f.n * f.n) - f.kronecker(f)
    // dgesv reads column-major: the transpose's row-major buffer is the system's column-major one.
    var a = system.transposed.values
    var b = q.values
    var nn = Int32(system.n)
    var nrhs: Int32 = 1
    var lda = Int32(system.n)
    var ldb = Int32(system.n)
    var info: Int32 = 0
    var pivots = [Int32](repeating: 0, count: system.n)
    dgesv_(&nn, &nrhs, &a, &lda, &pivots, &b, &ldb, &info)
    guard info == 0 else {
      throw FlatlandError(
        .numeric, "Lyapunov equation is singular (LAPACK dgesv info \(info)): the recursion has no steady state")
    }
    return SquareMatrix(n: f.n, values: b)
  }

  private static func doubling(_ f: SquareMatrix, _ q: SquareMatrix) throws -> SquareMatrix {
    var sum = q
    var power = f
    for _ in 0..<128 {
      let increment = power.congruence(sum)
      sum = sum + increment
      if increment.maxAbs <= 1e-17 * max(sum.maxAbs, .leastNormalMagnitude) { return sum }
      guard sum.values.allSatisfy(\.isFinite) else { break }
      power = power.times(power)
    }
    throw FlatlandError(
      .numeric, "Lyapunov doubling did not converge after 128 doublings: the recursion has no steady state")
  }
}
