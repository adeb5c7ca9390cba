/// The library that multiplies one Float product.
public enum GEMMLibrary: String, Sendable, Equatable {
  /// OpenBLAS's packed, blocked kernels: the large products, and every Double product.
  case openBLAS
  /// libxsmm's JIT small-GEMM kernels, which multiply unpacked operands.
  case libxsmm
}

/// Which library multiplies a Float product C ← α op(A) op(B) + β C (row-major, m×n, inner
/// dimension k), by a fixed rule of its shape.
///
/// At the batch sizes of per-agent training, every product is skinny (16 or 64 rows of samples)
/// and OpenBLAS spends about as long packing each agent's own weights as multiplying them; a
/// JIT kernel specialized for the shape reads the operands as they lie. The rule is a function of
/// the shape and the transposes only, never of a timing, so the same product always runs the
/// same kernel and results do not depend on the machine's load, the thread count or the engine.
///
/// libxsmm 1.17's kernels are column-major, with α = 1, β ∈ {0, 1}, and a transposed second
/// operand only. Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ, so a product with
/// `transB == false` maps onto one kernel directly (`transA` becomes the kernel's transposed
/// operand); one with `transB == true` and `transA == false` (C = A Bᵀ, both operands contiguous
/// along k) first copies A transposed and adds the kernel's result into C transposed. Other α and β
/// are applied outside the kernel (see `SmallGEMM.multiply`); both transposed goes to OpenBLAS.
///
/// The thresholds come from single-threaded measurements of both libraries on the W1/W2 shapes
/// (16 agents' operands in turn, medians of paired runs); the ratios are in `bench/ceiling`.
public enum SmallGEMM {
  /// Whether this build has libxsmm (Debian's `libxsmm-dev` was installed when it was built).
  public static var isAvailable: Bool {
    #if FLATLAND_XSMM
      true
    #else
      false
    #endif
  }

  /// The library that multiplies the product in this build: the rule's choice where libxsmm
  /// is present, OpenBLAS otherwise.
  public static func library(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> GEMMLibrary {
    isAvailable ? rule(transA: transA, transB: transB, m: m, n: n, k: k) : .openBLAS
  }

  /// The rule, whatever the build: libxsmm for the skinny products, OpenBLAS for the rest.
  ///
  /// - C = op(A) B (`transB == false`): libxsmm when the output or the inner dimension is
  ///   thin, min(m, k) ≤ 64 (the input gradient dx = dy W has m = batch, the weight gradient
  ///   dyᵀ x has k = batch), and the product is at most 256·1024·256 multiply–adds.
  /// - C = A Bᵀ: libxsmm when m ≤ 32 (the forward y = x Wᵀ of a batch of up to 32 samples):
  ///   the transposed copies cost O(m(k + n)), small next to the product only for thin A.
  /// - C = Aᵀ Bᵀ: OpenBLAS.
  public static func rule(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> GEMMLibrary {
    guard m > 0, n > 0, k > 0, max(m, n, k) <= maxDimension else { return .openBLAS }
    switch (transA, transB) {
    case (_, false): return min(m, k) <= 64 && m * n * k <= 256 * 1024 * 256 ? .libxsmm : .openBLAS
    case (false, true): return m <= 32 ? .libxsmm : .openBLAS
    case (true, true): return .openBLAS
    }
  }

  /// The largest dimension a small kernel is used for: libxsmm unrolls along it.
  static let maxDimension = 4096
}
