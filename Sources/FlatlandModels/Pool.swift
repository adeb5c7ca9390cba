import FlatlandCore

/// Non-overlapping 2-D pooling (window = stride = `kernel`), max or average.
///
/// Shapes: x (n, C, H, W), y (n, C, H/k, W/k) with floor division; trailing rows and columns
/// that do not fill a window are dropped, as in PyTorch. Max pooling is piecewise linear: its
/// R-passes route rx and rdy through the same argmax as the value (the first maximum in
/// row-major window order), which the forward pass records per output in the workspace.
public struct Pool: Sendable, Equatable {
  public let input: SampleShape
  public let kernel: Int

  public init(input: SampleShape, kernel: Int) {
    self.input = input
    self.kernel = kernel
  }

  public var output: SampleShape {
    SampleShape(channels: input.channels, height: input.height / kernel, width: input.width / kernel)
  }

  /// Calls `body(outIndex, inIndices)` for each output position of one sample-channel plane.
  @inline(__always)
  private func forEachWindow(_ body: (Int, _ inBase: Int) -> Void) {
    let out = output
    for c in 0..<input.channels {
      for oh in 0..<out.height {
        for ow in 0..<out.width {
          let o = (c * out.height + oh) * out.width + ow
          let base = (c * input.height + oh * kernel) * input.width + ow * kernel
          body(o, base)
        }
      }
    }
  }

  /// Offset of the first maximum of x inside the window starting at `base`.
  @inline(__always)
  func argmax<T: FlatScalar>(_ x: UnsafePointer<T>, base: Int) -> Int {
    var best = base
    var value = x[base]
    for i in 0..<kernel {
      let row = base + i * input.width
      for j in 0..<kernel where x[row + j] > value {
        best = row + j
        value = x[best]
      }
    }
    return best
  }

  // MARK: - Max

  /// y = the window maxima; `argmax` receives each one's offset in its sample's x.
  func maxForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, argmax winners: UnsafeMutablePointer<Int32>
  ) {
    for s in 0..<n {
      let xs = x + s * input.count
      let ys = y + s * output.count
      let ids = winners + s * output.count
      if kernel == 2, T.self == Float.self {
        maxPairs(
          UnsafeRawPointer(xs).assumingMemoryBound(to: Float.self),
          UnsafeMutableRawPointer(ys).assumingMemoryBound(to: Float.self), ids)
        continue
      }
      forEachWindow { o, base in
        let best = argmax(xs, base: base)
        ys[o] = xs[best]
        ids[o] = Int32(truncatingIfNeeded: best)
      }
    }
  }

  /// y = `source` at the recorded argmax positions (ry from rx).
  func maxGather<T: FlatScalar>(
    n: Int, source: UnsafePointer<T>, y: UnsafeMutablePointer<T>, argmax: UnsafePointer<Int32>
  ) {
    for s in 0..<n {
      let src = source + s * input.count
      let ys = y + s * output.count
      let ids = argmax + s * output.count
      for o in 0..<output.count { ys[o] = src[Int(ids[o])] }
    }
  }

  /// dx = dy placed at the recorded argmax positions, zero elsewhere.
  func maxScatter<T: FlatScalar>(
    n: Int, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>, argmax: UnsafePointer<Int32>
  ) {
    dx.update(repeating: 0, count: n * input.count)
    for s in 0..<n {
      let dxs = dx + s * input.count
      let dys = dy + s * output.count
      let ids = argmax + s * output.count
      for o in 0..<output.count { dxs[Int(ids[o])] = dys[o] }
    }
  }

  // MARK: - Average (linear, so its R-passes are the same maps applied to rx and rdy)

  func avgForward<T: FlatScalar>(n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>) {
    let scale = 1 / T(kernel * kernel)
    for s in 0..<n {
      let xs = x + s * input.count
      let ys = y + s * output.count
      forEachWindow { o, base in
        var sum: T = 0
        for i in 0..<kernel { for j in 0..<kernel { sum += xs[base + i * input.width + j] } }
        ys[o] = sum * scale
      }
    }
  }

  func avgBackward<T: FlatScalar>(n: Int, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>) {
    dx.update(repeating: 0, count: n * input.count)
    let scale = 1 / T(kernel * kernel)
    for s in 0..<n {
      let dxs = dx + s * input.count
      let dys = dy + s * output.count
      forEachWindow { o, base in
        for i in 0..<kernel { for j in 0..<kernel { dxs[base + i * input.width + j] = dys[o] * scale } }
      }
    }
  }
}
