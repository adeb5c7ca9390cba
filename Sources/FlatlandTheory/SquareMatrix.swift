import FlatlandCore

/// A dense n×n row-major Double matrix, the one shape the theory's recursions are written in.
///
/// Entry (r, c) is `values[r * n + c]`. The recursions here are small (K×K per eigendirection,
/// or KM×KM for the dense fallback), so a plain value type over BLAS `dgemm` is enough.
struct SquareMatrix: Sendable, Equatable {
  let n: Int
  var values: [Double]

  init(n: Int, values: [Double]) {
    precondition(values.count == n * n, "SquareMatrix: \(values.count) entries for n = \(n)")
    self.n = n
    self.values = values
  }

  static func zeros(_ n: Int) -> SquareMatrix { SquareMatrix(n: n, values: [Double](repeating: 0, count: n * n)) }

  static func identity(_ n: Int) -> SquareMatrix { diagonal([Double](repeating: 1, count: n)) }

  static func diagonal(_ d: [Double]) -> SquareMatrix {
    var m = zeros(d.count)
    for i in d.indices { m[i, i] = d[i] }
    return m
  }

  subscript(_ r: Int, _ c: Int) -> Double {
    get { values[r * n + c] }
    set { values[r * n + c] = newValue }
  }

  var transposed: SquareMatrix {
    var t = self
    for r in 0..<n { for c in 0..<n { t[c, r] = self[r, c] } }
    return t
  }

  var trace: Double { (0..<n).reduce(0) { $0 + self[$1, $1] } }

  /// The spectral radius max |eigenvalue|, by LAPACK `dgeev`.
  func spectralRadius() throws -> Double {
    try generalEigenvalues(values, n: n).reduce(0) { max($0, ($1.re * $1.re + $1.im * $1.im).squareRoot()) }
  }

  /// op(self) · op(other) through `dgemm`.
  func times(_ other: SquareMatrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> SquareMatrix {
    precondition(n == other.n, "SquareMatrix: size mismatch \(n) vs \(other.n)")
    var c = SquareMatrix.zeros(n)
    Double.gemm(
      transA: transposeSelf, transB: transposeOther, m: n, n: n, k: n, alpha: 1,
      a: values, lda: n, b: other.values, ldb: n, beta: 0, c: &c.values, ldc: n)
    return c
  }

  /// F Σ Fᵀ, the covariance of F x when x has covariance Σ = `covariance`.
  func congruence(_ covariance: SquareMatrix) -> SquareMatrix {
    times(covariance).times(self, transposeOther: true)
  }

  /// F m, for a mean vector.
  func apply(_ x: [Double]) -> [Double] {
    precondition(x.count == n, "SquareMatrix.apply: length \(x.count) for n = \(n)")
    var y = [Double](repeating: 0, count: n)
    for r in 0..<n {
      var s = 0.0
      for c in 0..<n { s += self[r, c] * x[c] }
      y[r] = s
    }
    return y
  }

  static func + (a: SquareMatrix, b: SquareMatrix) -> SquareMatrix {
    precondition(a.n == b.n, "SquareMatrix: size mismatch \(a.n) vs \(b.n)")
    return SquareMatrix(n: a.n, values: zip(a.values, b.values).map { $0 + $1 })
  }

  static func - (a: SquareMatrix, b: SquareMatrix) -> SquareMatrix {
    precondition(a.n == b.n, "SquareMatrix: size mismatch \(a.n) vs \(b.n)")
    return SquareMatrix(n: a.n, values: zip(a.values, b.values).map { $0 - $1 })
  }

  static func * (s: Double, a: SquareMatrix) -> SquareMatrix {
    SquareMatrix(n: a.n, values: a.values.map { s * $0 })
  }

  /// The Kronecker product self ⊗ other: block (r, c) is self[r, c] · other.
  func kronecker(_ other: SquareMatrix) -> SquareMatrix {
    let m = other.n
    let big = n * m
    var k = SquareMatrix.zeros(big)
    for r in 0..<n {
      for c in 0..<n where self[r, c] != 0 {
        for i in 0..<m { for j in 0..<m { k[r * m + i, c * m + j] = self[r, c] * other[i, j] } }
      }
    }
    return k
  }

  /// max |entry|, the scale for relative convergence checks.
  var maxAbs: Double { values.reduce(0) { max($0, abs($1)) } }
}
