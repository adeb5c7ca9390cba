import CBLAS
import FlatlandCore
import RealModule

/// The spectrum of a combination matrix and what it says about mixing.
///
/// For a left-stochastic A, 1 is an eigenvalue and every |λ| ≤ 1. How fast repeated combines
/// `w ← Aᵀ w` drive the agents to agreement is set by λ₂, the second-largest eigenvalue
/// modulus: the disagreement shrinks like λ₂ᵗ, and the distance between decentralized and
/// centralized learning grows with 1/(1 − λ₂). Eigenvalues come from LAPACK: `dsyevd`
/// (`SymmetricEigen`) when A is symmetric within 1e-9, `dgeev` otherwise.
public struct Spectrum: Sendable, Equatable {
  /// Number of agents K.
  public let agents: Int
  /// Real parts of the K eigenvalues, by decreasing modulus (ties: larger real part, then
  /// larger imaginary part first), so `eigenvalues[0]` = 1 for a stochastic A.
  public let eigenvalues: [Double]
  /// Imaginary parts, in the same order (all zero for a symmetric A).
  public let imaginaryParts: [Double]
  /// λ₂ = |second eigenvalue| in that order (0 when K = 1): 1 for a disconnected or periodic A.
  public let lambda2: Double
  /// The Perron vector p of a left-stochastic, irreducible A: A p = p, 1ᵀp = 1, p > 0. In
  /// diffusion, agent k's cost enters the network's limit with weight p_k; p = 1/K exactly
  /// when A is also right-stochastic. Nil otherwise.
  public let perronVector: [Double]?
  /// The support of A is strongly connected (A irreducible).
  public let isConnected: Bool
  /// A is irreducible and aperiodic, so Aᵗ converges (to p 1ᵀ when left-stochastic).
  public let isPrimitive: Bool

  /// Analyzes `matrix`. Throws only when LAPACK fails.
  public init(_ matrix: CombinationMatrix) throws {
    let size = matrix.agents
    let unsorted: [(re: Double, im: Double)] =
      matrix.isSymmetric
      ? try SymmetricEigen(matrix.weights, n: size, vectors: false).values.map { ($0, 0) }
      : try generalEigenvalues(matrix.weights, n: size)
    // Moduli are compared rounded to 1e-12, so ±λ pairs that differ only by rounding sort
    // by their real parts, the same on every machine.
    func modulus(_ x: (re: Double, im: Double)) -> Double {
      ((x.re * x.re + x.im * x.im).squareRoot() * 1e12).rounded()
    }
    let sorted = unsorted.sorted { x, y in
      let mx = modulus(x)
      let my = modulus(y)
      return mx != my ? mx > my : (x.re != y.re ? x.re > y.re : x.im > y.im)
    }
    agents = size
    eigenvalues = sorted.map(\.re)
    imaginaryParts = sorted.map(\.im)
    lambda2 = size > 1 ? (sorted[1].re * sorted[1].re + sorted[1].im * sorted[1].im).squareRoot() : 0
    isConnected = matrix.isIrreducible
    isPrimitive = matrix.isPrimitive
    perronVector = isConnected && matrix.isLeftStochastic ? try Self.perron(matrix) : nil
  }

  /// 1 − λ₂: how much disagreement one combine removes, at least.
  public var spectralGap: Double { 1 - lambda2 }

  /// Iterations for the disagreement to shrink by a factor `epsilon` ∈ (0, 1), estimated as
  /// log(1/ε) / (1 − λ₂) (infinite when the gap is zero).
  ///
  /// For a symmetric doubly stochastic A, ‖Aᵗ − 11ᵀ/K‖₂ = λ₂ᵗ ≤ exp(−t(1 − λ₂)), so this many
  /// iterations are enough; for other matrices λ₂ is only the asymptotic rate and the
  /// estimate ignores transients.
  public func mixingTime(epsilon: Double = 1e-3) -> Double {
    precondition(epsilon > 0 && epsilon < 1, "mixing tolerance must be in (0, 1)")
    return spectralGap > 0 ? Double.log(1 / epsilon) / spectralGap : .infinity
  }

  /// Solves (A − I) p = 0 with its last equation replaced by 1ᵀp = 1: for an irreducible
  /// stochastic A, I − A has rank K − 1 and its only left null vector 1 has no zero entry, so
  /// any K − 1 of its equations are independent and the system is non-singular.
  private static func perron(_ matrix: CombinationMatrix) throws -> [Double] {
    let size = matrix.agents
    // Column-major system matrix: entry (i, j) at i + j·K.
    var system = [Double](repeating: 0, count: size * size)
    for i in 0..<size {
      for j in 0..<size {
        system[i + j * size] = i == size - 1 ? 1 : matrix[i, j] - (i == j ? 1 : 0)
      }
    }
    var p = [Double](repeating: 0, count: size)
    p[size - 1] = 1
    var n = Int32(size)
    var one: Int32 = 1
    var lda = Int32(size)
    var ldb = Int32(size)
    var info: Int32 = 0
    var pivots = [Int32](repeating: 0, count: size)
    dgesv_(&n, &one, &system, &lda, &pivots, &p, &ldb, &info)
    guard info == 0 else {
      throw FlatlandError(.numeric, "Perron vector solve failed (LAPACK dgesv info \(info))")
    }
    return p
  }
}
