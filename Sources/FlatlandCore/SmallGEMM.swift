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
/// The thresholds come from single-threaded measurements of both libraries, interleaved in one
/// process, on the shapes of W1/W2 and of the convolutions (16 agents' operands in turn), on an
/// AMD EPYC (Zen 2, AVX2); `bench/ceiling/gemm_shapes.c` measures them again on another machine.
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
  /// - C = A B: libxsmm when k ≤ 32 (the input gradient of a layer with few outputs, a
  ///   convolution's forward over few input channels); at k ≥ 144 OpenBLAS is as fast or faster.
  /// - C = Aᵀ B: libxsmm when k ≤ 16 (the weight gradient dyᵀ x of a batch of up to 16) or
  ///   when m ≤ 16 and k ≤ 256 (a thin layer's weight gradient); with k ≥ 32 and a large C,
  ///   OpenBLAS is faster.
  /// - C = A Bᵀ: libxsmm when 8 ≤ m ≤ 32 (the forward y = x Wᵀ of a batch of 8 to 32): the
  ///   transposed copies cost O(m(k + n)), small next to the product only for thin A, and below
  ///   8 rows the kernel does not fill a vector register.
  /// - C = Aᵀ Bᵀ, and any dimension above 1024 (products over thousands of samples, which
  ///   may also use every core through OpenBLAS's threads): OpenBLAS.
  public static func rule(transA: Bool, transB: Bool, m: Int, n: Int, k: Int) -> GEMMLibrary {
    guard min(m, n, k) > 0, max(m, n, k) <= 1024 else { return .openBLAS }
    let small: Bool
    switch (transA, transB) {
    case (false, false): small = k <= 32
    case (true, false): small = k <= 16 || (m <= 16 && k <= 256)
    case (false, true): small = (8...32).contains(m)
    case (true, true): small = false
    }
    return small ? .libxsmm : .openBLAS
  }
}
