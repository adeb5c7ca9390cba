import FlatlandCore

/// A 2-D convolution (cross-correlation, as in PyTorch) by im2col and GEMM, per sample.
///
/// Shapes: x (n, C, H, W), y (n, F, Ho, Wo) with Ho = (H + 2p − k)/s + 1; W (F, C, k, k) seen
/// as the matrix (F, C·k·k); b (F). For one sample with col = im2col(x):
/// y = W col + b, g_W += dy colᵀ, dx = fold(Wᵀ dy). The R-passes follow from bilinearity in
/// (W, x): ry = W col(rx) + V col(x) + V_b and R{g_W} = rdy col(x)ᵀ + dy col(rx)ᵀ.
/// Scratch: three (C·k·k) × (Ho·Wo) column buffers. The first only ever receives unfolds of
/// this layer's geometry and starts zeroed, so its padding entries stay zero and every unfold
/// into it writes only the image's pixels.
public struct Conv2D: Sendable, Equatable {
  public let input: SampleShape
  public let filters: Int
  public let kernel: Int
  public let stride: Int
  public let padding: Int

  public init(input: SampleShape, filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
    self.input = input
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
  }

  public var output: SampleShape {
    SampleShape(
      channels: filters,
      height: (input.height + 2 * padding - kernel) / stride + 1,
      width: (input.width + 2 * padding - kernel) / stride + 1)
  }

  var unfolding: Im2Col {
    Im2Col(
      channels: input.channels, height: input.height, width: input.width, kernel: kernel,
      stride: stride, padding: padding, outHeight: output.height, outWidth: output.width)
  }

  var weightCount: Int { filters * unfolding.rows }
  /// Scalars of scratch one pass needs.
  var scratchCount: Int { 3 * unfolding.rows * unfolding.columns }

  // MARK: - Passes

  func forward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, w: UnsafePointer<T>, scratch: UnsafeMutablePointer<T>
  ) {
    let u = unfolding
    for s in 0..<n {
      u.unfold(x + s * input.count, into: scratch, paddingIsZero: true)
      apply(w, col: scratch, bias: w + weightCount, into: y + s * output.count)
    }
  }

  /// As `Linear.backward`: every sample's dx first, then g ← α ∇ + β g, so g may be the
  /// weights themselves.
  func backward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>, scratch: UnsafeMutablePointer<T>
  ) {
    if let dx {
      for s in 0..<n { backpropagate(dy + s * output.count, through: w, into: dx + s * input.count, scratch: scratch) }
    }
    guard let g else { return }
    if n == 0 { for i in 0..<(weightCount + filters) { update.apply(0, to: &g[i]) } }
    for s in 0..<n {
      unfolding.unfold(x + s * input.count, into: scratch, paddingIsZero: true)
      accumulateGradient(dy: dy + s * output.count, col: scratch, g: g, s == 0 ? update : update.continuing)
    }
  }

  func rForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, ry: UnsafeMutablePointer<T>,
    w: UnsafePointer<T>, v: UnsafePointer<T>, scratch: UnsafeMutablePointer<T>
  ) {
    let u = unfolding
    for s in 0..<n {
      let rys = ry + s * output.count
      u.unfold(x + s * input.count, into: scratch, paddingIsZero: true)
      apply(v, col: scratch, bias: v + weightCount, into: rys)
      if let rx {
        u.unfold(rx + s * input.count, into: scratch, paddingIsZero: true)
        apply(w, col: scratch, bias: nil, into: rys)
      }
    }
  }

  func rBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, dy: UnsafePointer<T>, rdy: UnsafePointer<T>,
    rdx: UnsafeMutablePointer<T>?, w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>,
    scratch: UnsafeMutablePointer<T>
  ) {
    let u = unfolding
    let colSize = u.rows * u.columns
    let dcol = scratch + colSize
    for s in 0..<n {
      let dys = dy + s * output.count
      let rdys = rdy + s * output.count
      u.unfold(x + s * input.count, into: scratch, paddingIsZero: true)
      accumulateGradient(dy: rdys, col: scratch, g: hv, .accumulate)
      if let rx {
        u.unfold(rx + s * input.count, into: scratch, paddingIsZero: true)
        T.gemm(
          transA: false, transB: true, m: filters, n: u.rows, k: u.columns, alpha: 1, a: dys, lda: u.columns,
          b: scratch, ldb: u.columns, beta: 1, c: hv, ldc: u.rows)
      }
      if let rdx {
        // dcol = Wᵀ rdy + Vᵀ dy, then fold.
        T.gemm(
          transA: true, transB: false, m: u.rows, n: u.columns, k: filters, alpha: 1, a: w, lda: u.rows, b: rdys,
          ldb: u.columns, beta: 0, c: dcol, ldc: u.columns)
        T.gemm(
          transA: true, transB: false, m: u.rows, n: u.columns, k: filters, alpha: 1, a: v, lda: u.rows, b: dys,
          ldb: u.columns, beta: 1, c: dcol, ldc: u.columns)
        let rdxs = rdx + s * input.count
        rdxs.update(repeating: 0, count: input.count)
        u.fold(dcol, into: rdxs)
      }
    }
  }

  // MARK: - Pieces

  /// out (F, Ho·Wo) = W col + b per filter, or out += W col without a bias. With the bias, out
  /// starts as b and the GEMM adds onto it (β = 1): no zeroing pass, no separate bias pass.
  private func apply<T: FlatScalar>(
    _ w: UnsafePointer<T>, col: UnsafePointer<T>, bias: UnsafePointer<T>?, into out: UnsafeMutablePointer<T>
  ) {
    let u = unfolding
    if let bias {
      for f in 0..<filters { (out + f * u.columns).update(repeating: bias[f], count: u.columns) }
    }
    T.gemm(
      transA: false, transB: false, m: filters, n: u.columns, k: u.rows, alpha: 1, a: w, lda: u.rows, b: col,
      ldb: u.columns, beta: 1, c: out, ldc: u.columns)
  }

  /// g_W ← α dy colᵀ + β g_W; g_b ← α Σ over positions of dy + β g_b.
  private func accumulateGradient<T: FlatScalar>(
    dy: UnsafePointer<T>, col: UnsafePointer<T>, g: UnsafeMutablePointer<T>, _ update: GradientUpdate<T>
  ) {
    let u = unfolding
    T.gemm(
      transA: false, transB: true, m: filters, n: u.rows, k: u.columns, alpha: update.alpha, a: dy, lda: u.columns,
      b: col, ldb: u.columns, beta: update.beta, c: g, ldc: u.rows)
    let gb = g + weightCount
    for f in 0..<filters { update.apply(ShortSpan.sum(dy + f * u.columns, count: u.columns), to: &gb[f]) }
  }

  /// dx = fold(Wᵀ dy) for one sample; uses the second scratch column buffer.
  private func backpropagate<T: FlatScalar>(
    _ dy: UnsafePointer<T>, through w: UnsafePointer<T>, into dx: UnsafeMutablePointer<T>,
    scratch: UnsafeMutablePointer<T>
  ) {
    let u = unfolding
    let dcol = scratch + 2 * u.rows * u.columns
    T.gemm(
      transA: true, transB: false, m: u.rows, n: u.columns, k: filters, alpha: 1, a: w, lda: u.rows, b: dy,
      ldb: u.columns, beta: 0, c: dcol, ldc: u.columns)
    dx.update(repeating: 0, count: input.count)
    u.fold(dcol, into: dx)
  }
}
