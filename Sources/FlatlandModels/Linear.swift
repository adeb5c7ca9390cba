import FlatlandCore

/// A fully connected layer y = x Wᵀ + b.
///
/// Shapes (n = batch): x (n, in), y (n, out), W (out, in) as in PyTorch, b (out). Parameters
/// are W then b in the flat vector. Every product is one GEMM.
public struct Linear: Sendable, Equatable {
  public let inputs: Int
  public let outputs: Int

  public init(inputs: Int, outputs: Int) {
    self.inputs = inputs
    self.outputs = outputs
  }

  var weightCount: Int { inputs * outputs }

  /// y = x Wᵀ + b: y starts as b in every row and the GEMM adds onto it (β = 1), which spares
  /// BLAS's zeroing pass over y and a second pass adding b.
  func forward<T: FlatScalar>(n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, w: UnsafePointer<T>) {
    let b = w + weightCount
    for i in 0..<n { (y + i * outputs).update(from: b, count: outputs) }
    T.gemm(
      transA: false, transB: true, m: n, n: outputs, k: inputs, alpha: 1, a: x, lda: inputs, b: w, ldb: inputs, beta: 1,
      c: y, ldc: outputs)
  }

  /// dx = dy W (overwrites), then g_W ← α dyᵀ x + β g_W and g_b ← α Σ_n dy + β g_b. dx comes
  /// first, so g may be the weights themselves (see `GradientUpdate`).
  func backward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>
  ) {
    if let dx {
      T.gemm(
        transA: false, transB: false, m: n, n: inputs, k: outputs, alpha: 1, a: dy, lda: outputs, b: w, ldb: inputs,
        beta: 0, c: dx, ldc: inputs)
    }
    if let g {
      weightGradient(n: n, x: x, dy: dy, g: g, update)
      biasGradient(n: n, dy: dy, g: g + weightCount, update)
    }
  }

  /// ry = rx Wᵀ + x Vᵀ + V_b, with V the direction's slice for this layer.
  func rForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, ry: UnsafeMutablePointer<T>,
    w: UnsafePointer<T>, v: UnsafePointer<T>
  ) {
    forward(n: n, x: x, y: ry, w: v)
    if let rx {
      T.gemm(
        transA: false, transB: true, m: n, n: outputs, k: inputs, alpha: 1, a: rx, lda: inputs, b: w, ldb: inputs,
        beta: 1, c: ry, ldc: outputs)
    }
  }

  /// hv_W += rdyᵀ x + dyᵀ rx; hv_b += Σ_n rdy; rdx = rdy W + dy V.
  func rBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, dy: UnsafePointer<T>, rdy: UnsafePointer<T>,
    rdx: UnsafeMutablePointer<T>?, w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>
  ) {
    weightGradient(n: n, x: x, dy: rdy, g: hv, .accumulate)
    if let rx { weightGradient(n: n, x: rx, dy: dy, g: hv, .accumulate) }
    biasGradient(n: n, dy: rdy, g: hv + weightCount, .accumulate)
    if let rdx {
      T.gemm(
        transA: false, transB: false, m: n, n: inputs, k: outputs, alpha: 1, a: rdy, lda: outputs, b: w, ldb: inputs,
        beta: 0, c: rdx, ldc: inputs)
      T.gemm(
        transA: false, transB: false, m: n, n: inputs, k: outputs, alpha: 1, a: dy, lda: outputs, b: v, ldb: inputs,
        beta: 1, c: rdx, ldc: inputs)
    }
  }

  // MARK: - Pieces

  /// g (out, in) ← α dyᵀ x + β g.
  private func weightGradient<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, dy: UnsafePointer<T>, g: UnsafeMutablePointer<T>, _ update: GradientUpdate<T>
  ) {
    T.gemm(
      transA: true, transB: false, m: outputs, n: inputs, k: n, alpha: update.alpha, a: dy, lda: outputs, b: x,
      ldb: inputs, beta: update.beta, c: g, ldc: inputs)
  }

  /// g (out) ← α Σ_n dy + β g. Plain accumulation adds each sample's row into g directly.
  private func biasGradient<T: FlatScalar>(
    n: Int, dy: UnsafePointer<T>, g: UnsafeMutablePointer<T>, _ update: GradientUpdate<T>
  ) {
    if update == .accumulate { return addRows(n: n, dy, into: g) }
    withUnsafeTemporaryAllocation(of: T.self, capacity: outputs) { sum in
      let sum = sum.baseAddress!
      sum.initialize(repeating: 0, count: outputs)
      addRows(n: n, dy, into: sum)
      for j in 0..<outputs { update.apply(sum[j], to: &g[j]) }
    }
  }

  /// g (out) += Σ_n dy, sample by sample.
  private func addRows<T: FlatScalar>(n: Int, _ dy: UnsafePointer<T>, into g: UnsafeMutablePointer<T>) {
    for i in 0..<n {
      let row = dy + i * outputs
      for j in 0..<outputs { g[j] += row[j] }
    }
  }
}
