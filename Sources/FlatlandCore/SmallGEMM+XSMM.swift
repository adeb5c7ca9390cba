#if FLATLAND_XSMM
  import CXSMM
  #if canImport(Glibc)
    import Glibc
  #endif

  extension SmallGEMM {
    /// C ← α op(A) op(B) + β C (row-major, C m×n, inner dimension k) through libxsmm's JIT
    /// kernels, for the products `rule` gives to libxsmm. Returns false, having done nothing,
    /// when libxsmm cannot make the kernel; the caller then multiplies with OpenBLAS.
    ///
    /// The kernel multiplies with α = 1; other factors are applied around it. With op(B) = B,
    /// β ∉ {0, 1} first scales C by β, and α ≠ 1 scales a copy of the smaller operand, so the
    /// kernel adds α op(A) op(B) in one pass. With op(B) = Bᵀ the kernel writes D = A Bᵀ
    /// (column-major, into scratch) and C ← α D + β C while D is transposed back.
    static func multiply(
      transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Bool {
      let kernels = ThreadKernels.current
      if transB {
        precondition(!transA, "SmallGEMM: Aᵀ Bᵀ goes to OpenBLAS")
        return kernels.multiplyTransposedB(
          m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
      }
      return kernels.multiply(
        transA: transA, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
  }

  /// What `libxsmm_smmdispatch` is given for one column-major kernel: it makes one kernel per
  /// distinct value.
  struct KernelShape: Hashable {
    var m, n, k, lda, ldb, ldc, flags: Int32

    init(m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int, transB: Bool, betaZero: Bool) {
      (self.m, self.n, self.k) = (Int32(m), Int32(n), Int32(k))
      (self.lda, self.ldb, self.ldc) = (Int32(lda), Int32(ldb), Int32(ldc))
      flags = (transB ? flatland_smm_trans_b : 0) | (betaZero ? flatland_smm_beta_0 : 0)
    }
  }

  /// One thread's kernels and scratch memory.
  ///
  /// Dispatching a kernel (hashing its description and looking it up in libxsmm's registry,
  /// or generating it the first time) costs about as much as a small product, so each thread
  /// keeps the kernels it has used. Each instance belongs to one thread (found through a
  /// pthread key) and lives as long as the thread, so no lock guards it.
  final class ThreadKernels {
    /// The kernels by shape; nil where libxsmm made none.
    private var kernels: [KernelShape: UnsafeRawPointer?] = [:]
    private var scratch = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private var scratchCapacity = 0

    deinit { scratch.deallocate() }

    /// The calling thread's instance, made on its first product.
    static var current: ThreadKernels {
      if let instance = pthread_getspecific(threadKernelsKey) {
        return Unmanaged<ThreadKernels>.fromOpaque(instance).takeUnretainedValue()
      }
      let instance = ThreadKernels()
      pthread_setspecific(threadKernelsKey, Unmanaged.passRetained(instance).toOpaque())
      return instance
    }

    /// C ← α op(A) B + β C; see `SmallGEMM.multiply`.
    func multiply(
      transA: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
      b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Bool {
      // Column-major Cᵀ (n×m) = Bᵀ (n×k) op(A)ᵀ (k×m): row-major B is column-major Bᵀ as it
      // lies, and row-major op(A)ᵀ is A itself, or Aᵀ for the kernel's transposed operand.
      let shape = KernelShape(m: n, n: m, k: k, lda: ldb, ldb: lda, ldc: ldc, transB: transA, betaZero: beta == 0)
      guard let kernel = kernel(shape) else { return false }
      if beta != 0 && beta != 1 {
        for i in 0..<m { scale(c + i * ldc, count: n, by: beta) }
      }
      var (a, b) = (a, b)
      if alpha != 1 {
        // The smaller operand is copied scaled: op(A) is m×k, B is k×n; the copy keeps each
        // operand's leading dimension so the kernel's shape is the same.
        let (rowsA, rowsB) = (transA ? k : m, k)
        if m * k <= k * n {
          a = UnsafePointer(scaledCopy(a, rows: rowsA, columns: transA ? m : k, stride: lda, by: alpha))
        } else {
          b = UnsafePointer(scaledCopy(b, rows: rowsB, columns: n, stride: ldb, by: alpha))
        }
      }
      flatland_smm_call(kernel, b, a, c)
      return true
    }

    /// C ← α A Bᵀ + β C; see `SmallGEMM.multiply`.
    func multiplyTransposedB(
      m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
      b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) -> Bool {
      // Column-major D (m×n) = A (m×k) Bᵀ (k×n): the kernel reads A column-major, a transposed
      // copy of row-major A; row-major B (n×k) is column-major Bᵀ as it lies.
      let shape = KernelShape(m: m, n: n, k: k, lda: m, ldb: ldb, ldc: m, transB: false, betaZero: true)
      guard let kernel = kernel(shape) else { return false }
      let at = reserve(m * k + m * n)
      let d = at + m * k
      // Row-major A (m×k) is column-major k×m; libxsmm's transpose kernel writes it m×k.
      libxsmm_otrans(at, a, UInt32(MemoryLayout<Float>.size), Int32(k), Int32(m), Int32(lda), Int32(m))
      flatland_smm_call(kernel, at, b, d)
      for i in 0..<m {
        let out = c + i * ldc
        if beta == 0 {
          for j in 0..<n { out[j] = alpha * d[j * m + i] }
        } else if alpha == 1 && beta == 1 {
          for j in 0..<n { out[j] += d[j * m + i] }
        } else {
          for j in 0..<n { out[j] = alpha * d[j * m + i] + beta * out[j] }
        }
      }
      return true
    }

    // MARK: - Pieces

    /// The kernel for `shape`, dispatched on this thread's first use of it.
    private func kernel(_ shape: KernelShape) -> UnsafeRawPointer? {
      if let known = kernels[shape] { return known }
      let made = flatland_smm_dispatch(shape.m, shape.n, shape.k, shape.lda, shape.ldb, shape.ldc, shape.flags)
      kernels[shape] = .some(made)
      return made
    }

    /// Scratch for at least `count` floats, valid until the next call.
    private func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
      if count > scratchCapacity {
        scratch.deallocate()
        scratch = .allocate(capacity: count)
        scratchCapacity = count
      }
      return scratch
    }

    /// α x for the `rows`×`columns` matrix x with row stride `stride`, into scratch with the
    /// same stride (entries between rows are left unset: the kernel never reads them).
    private func scaledCopy(
      _ x: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int, by alpha: Float
    ) -> UnsafeMutablePointer<Float> {
      let copy = reserve((rows - 1) * stride + columns)
      for r in 0..<rows {
        for j in 0..<columns { copy[r * stride + j] = alpha * x[r * stride + j] }
      }
      return copy
    }

    /// x ← β x over `count` entries.
    private func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by beta: Float) {
      for j in 0..<count { x[j] *= beta }
    }
  }

  /// The pthread key under which each thread keeps its `ThreadKernels`, released when the
  /// thread exits.
  private let threadKernelsKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { instance in
      if let instance { Unmanaged<ThreadKernels>.fromOpaque(instance).release() }
    }
    precondition(status == 0, "SmallGEMM: pthread_key_create failed (\(status))")
    return key
  }()
#endif
