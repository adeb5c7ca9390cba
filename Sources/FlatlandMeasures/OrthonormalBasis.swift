import CBLAS
import FlatlandCore

/// Orthonormal vectors q_0 … q_{m−1} of length d, stored as the rows of one m×d row-major
/// matrix Q so that projections are two BLAS matrix–vector products.
///
/// `orthogonalize` is classical Gram–Schmidt applied twice (CGS2): x ← x − Qᵀ(Q x), twice.
/// One pass leaves a component of order ε κ; the second brings orthogonality to working
/// precision (Giraud et al. 2005), which is what "full reorthogonalization" in Lanczos needs.
/// The products are `gemv` calls on one thread: they are memory-bound, so more threads only
/// wake OpenBLAS's pool, and `gemm` with one column would first copy all of Q into its panels.
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
    BLASThreads.with(1) {
      for _ in 0..<2 {
        storage.withUnsafeBufferPointer { q in
          x.withUnsafeMutableBufferPointer { xp in
            coefficients.withUnsafeMutableBufferPointer { c in
              // c = Q x, then x ← x − Qᵀ c.
              gemv(
                transpose: false, m: m, n: dimension, alpha: 1, a: q.baseAddress!, x: xp.baseAddress!, beta: 0,
                y: c.baseAddress!)
              gemv(
                transpose: true, m: m, n: dimension, alpha: -1, a: q.baseAddress!, x: c.baseAddress!, beta: 1,
                y: xp.baseAddress!)
            }
          }
        }
      }
    }
  }

  /// y ← α op(A) x + β y for the row-major m×n matrix A, by `sgemv`/`dgemv`.
  private func gemv(
    transpose: Bool, m: Int, n: Int, alpha: T, a: UnsafePointer<T>, x: UnsafePointer<T>, beta: T,
    y: UnsafeMutablePointer<T>
  ) {
    let trans = transpose ? CblasTrans : CblasNoTrans
    if T.self == Float.self {
      cblas_sgemv(
        CblasRowMajor, trans, Int32(m), Int32(n), Float(alpha), cast(a), Int32(n), cast(x), 1, Float(beta), cast(y), 1)
    } else if T.self == Double.self {
      cblas_dgemv(
        CblasRowMajor, trans, Int32(m), Int32(n), Double(alpha), cast(a), Int32(n), cast(x), 1, Double(beta), cast(y), 1
      )
    } else {
      let (rows, columns) = transpose ? (n, m) : (m, n)
      T.gemm(
        transA: transpose, transB: false, m: rows, n: 1, k: columns, alpha: alpha, a: a, lda: n, b: x, ldb: 1,
        beta: beta, c: y, ldc: 1)
    }
  }
}
