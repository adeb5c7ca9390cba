import FlatlandCore

/// Orthonormal vectors q_0 … q_{m−1} of length d, stored as the rows of one m×d row-major
/// matrix Q so that projections are two BLAS products.
///
/// `orthogonalize` is classical Gram–Schmidt applied twice (CGS2): x ← x − Qᵀ(Q x), twice.
/// One pass leaves a component of order ε κ; the second brings orthogonality to working
/// precision (Giraud et al. 2005), which is what "full reorthogonalization" in Lanczos needs.
/// As matrix–vector products it runs at BLAS speed, unlike a loop of m dot products.
struct OrthonormalBasis<T: FlatScalar> {
  let dimension: Int
  private(set) var storage: [T] = []

  init(dimension: Int) { self.dimension = dimension }

  var count: Int { storage.count / dimension }

  /// The i-th vector.
  func vector(_ i: Int) -> ArraySlice<T> { storage[(i * dimension)..<((i + 1) * dimension)] }

  /// Appends a vector the caller has made orthonormal to the others.
  mutating func append(_ q: [T]) {
    precondition(q.count == dimension, "basis vector length mismatch")
    storage.append(contentsOf: q)
  }

  /// x ← (I − QᵀQ) x, by CGS2.
  func orthogonalize(_ x: inout [T]) {
    let m = count
    guard m > 0 else { return }
    var coefficients = [T](repeating: 0, count: m)
    for _ in 0..<2 {
      storage.withUnsafeBufferPointer { q in
        x.withUnsafeMutableBufferPointer { xp in
          coefficients.withUnsafeMutableBufferPointer { c in
            // c = Q x  (m×d · d×1)
            T.gemm(
              transA: false, transB: false, m: m, n: 1, k: dimension, alpha: 1,
              a: q.baseAddress!, lda: dimension, b: xp.baseAddress!, ldb: 1, beta: 0, c: c.baseAddress!, ldc: 1)
            // x ← x − Qᵀ c  (d×m · m×1)
            T.gemm(
              transA: true, transB: false, m: dimension, n: 1, k: m, alpha: -1,
              a: q.baseAddress!, lda: dimension, b: c.baseAddress!, ldb: 1, beta: 1, c: xp.baseAddress!, ldc: 1)
          }
        }
      }
    }
  }
}
