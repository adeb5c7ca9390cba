import CBLAS

/// Eigen-decomposition of a real symmetric matrix by LAPACK's divide and conquer (`dsyevd`).
///
/// Used for combination matrices, Lanczos tridiagonals, and dense reference Hessians;
/// always in Double, since these are the references other numbers are checked against.
public struct SymmetricEigen: Sendable {
  /// Eigenvalues in ascending order.
  public let values: [Double]
  /// Eigenvectors as columns of an n×n row-major matrix: vector j is `vectors[i*n + j]` over i.
  public let vectors: [Double]
  public let n: Int

  /// Decomposes the n×n row-major symmetric matrix `matrix` (only its values are read; symmetry
  /// is the caller's claim, checked to `symmetryTolerance`).
  public init(_ matrix: [Double], n: Int, vectors wantVectors: Bool = true, symmetryTolerance: Double = 1e-9) throws {
    guard n > 0, matrix.count == n * n else {
      throw FlatlandError.invalid("matrix size", matrix.count, accepted: "n×n = \(n * n) entries with n ≥ 1")
    }
    var scale = 0.0
    for x in matrix { scale = max(scale, abs(x)) }
    for i in 0..<n {
      for j in 0..<i where abs(matrix[i * n + j] - matrix[j * n + i]) > symmetryTolerance * max(1, scale) {
        throw FlatlandError(
          .invalidArgument,
          "matrix is not symmetric: entry (\(i),\(j)) = \(matrix[i * n + j]) but (\(j),\(i)) = \(matrix[j * n + i])")
      }
    }
    // Row-major symmetric == column-major symmetric, so the buffer passes as is.
    var a = matrix
    var w = [Double](repeating: 0, count: n)
    var nn = Int32(n)
    var lda = Int32(n)
    var info: Int32 = 0
    var jobz: CChar = wantVectors ? 86 : 78  // "V" or "N"
    var uplo: CChar = 85  // "U"
    var lwork: Int32 = -1
    var liwork: Int32 = -1
    var workQuery = 0.0
    var iworkQuery: Int32 = 0
    dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
    lwork = Int32(workQuery)
    liwork = iworkQuery
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
    guard info == 0 else {
      throw FlatlandError(.numeric, "symmetric eigen-decomposition failed (LAPACK dsyevd info \(info))")
    }
    values = w
    // LAPACK returns column-major eigenvectors: column j holds vector j. Transpose to row-major.
    if wantVectors {
      var v = [Double](repeating: 0, count: n * n)
      for j in 0..<n { for i in 0..<n { v[i * n + j] = a[j * n + i] } }
      vectors = v
    } else {
      vectors = []
    }
    self.n = n
  }

  /// The j-th eigenvector (ascending order of eigenvalues).
  public func vector(_ j: Int) -> [Double] { (0..<n).map { vectors[$0 * n + j] } }
}

/// Eigenvalues (real and imaginary parts) of a general real n×n row-major matrix (`dgeev`).
public func generalEigenvalues(_ matrix: [Double], n: Int) throws -> [(re: Double, im: Double)] {
  guard n > 0, matrix.count == n * n else {
    throw FlatlandError.invalid("matrix size", matrix.count, accepted: "n×n = \(n * n) entries with n ≥ 1")
  }
  // dgeev wants column-major: pass the transpose, whose eigenvalues are the same.
  var a = matrix
  var nn = Int32(n)
  var lda = Int32(n)
  var one: Int32 = 1
  var info: Int32 = 0
  var wr = [Double](repeating: 0, count: n)
  var wi = [Double](repeating: 0, count: n)
  var jobN: CChar = 78
  var jobN2: CChar = 78
  var vl = 0.0
  var vr = 0.0
  var lwork: Int32 = -1
  var query = 0.0
  dgeev_(&jobN, &jobN2, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &one, &query, &lwork, &info)
  lwork = Int32(query)
  var work = [Double](repeating: 0, count: Int(lwork))
  dgeev_(&jobN, &jobN2, &nn, &a, &lda, &wr, &wi, &vl, &one, &vr, &one, &work, &lwork, &info)
  guard info == 0 else {
    throw FlatlandError(.numeric, "eigenvalue computation failed (LAPACK dgeev info \(info))")
  }
  return (0..<n).map { (wr[$0], wi[$0]) }
}
