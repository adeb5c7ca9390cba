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
              T.gemv(
                transpose: false, m: m, n: dimension, alpha: 1, a: q.baseAddress!, x: xp.baseAddress!, beta: 0,
                y: c.baseAddress!)
              T.gemv(
                transpose: true, m: m, n: dimension, alpha: -1, a: q.baseAddress!, x: c.baseAddress!, beta: 1,
                y: xp.baseAddress!)
            }
          }
        }
      }
    }
  }
}
