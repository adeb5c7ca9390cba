import CBLAS
import RealModule

/// A floating-point type with BLAS kernels: `Float` for training, `Double` for reference checks.
///
/// Models and measures are written once, generic over the scalar, and specialized by the
/// compiler for both types. Float32 is the working precision; Double gives the
/// finite-difference and dense-Hessian references that the Float32 code is checked against.
/// All matrices are row-major. Elementary functions (exp, log, tanh) come from `Real`.
public protocol FlatScalar: Real, BinaryFloatingPoint, SIMDScalar, BitwiseCopyable, Sendable
where Self.RawSignificand: FixedWidthInteger {
  /// C ← α op(A) op(B) + β C with op(X) = X or Xᵀ; A is m×k after op, B is k×n after op.
  static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
  /// y ← α op(A) x + β y for the row-major m×n matrix A, op(A) = A or Aᵀ.
  static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, x: UnsafePointer<Self>, beta: Self,
    y: UnsafeMutablePointer<Self>)
  /// y ← α x + y over n elements.
  static func axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
  /// xᵀy over n elements.
  static func dot(n: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self
}

extension Float: FlatScalar {
  /// The small per-agent products go to libxsmm's JIT kernels where this build has them, the
  /// rest to OpenBLAS, by `SmallGEMM.rule`.
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    #if FLATLAND_XSMM
      if SmallGEMM.library(transA: transA, transB: transB, m: m, n: n, k: k) == .libxsmm,
        SmallGEMM.multiply(
          transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
          c: c, ldc: ldc)
      {
        return
      }
    #endif
    cblas_sgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
  @inlinable public static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, x: UnsafePointer<Float>, beta: Float,
    y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(n), x, 1, beta, y, 1)
  }
  @inlinable public static func axpy(n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    cblas_saxpy(Int32(n), alpha, x, 1, y, 1)
  }
  @inlinable public static func dot(n: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    cblas_sdot(Int32(n), x, 1, y, 1)
  }
}

extension Double: FlatScalar {
  @inlinable public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
  @inlinable public static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, x: UnsafePointer<Double>, beta: Double,
    y: UnsafeMutablePointer<Double>
  ) {
    cblas_dgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(n), x, 1, beta, y, 1)
  }
  @inlinable public static func axpy(n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
    cblas_daxpy(Int32(n), alpha, x, 1, y, 1)
  }
  @inlinable public static func dot(n: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
    cblas_ddot(Int32(n), x, 1, y, 1)
  }
}
