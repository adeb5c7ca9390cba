import FlatlandCore

/// Layers applied in order over one contiguous parameter slice.
///
/// A model's body and a residual block's inner path are both `Sequential`. Its passes chain
/// the layer passes through the workspace's internal activations; the caller owns the ends:
/// the input x (and its R-image), the output y, the output gradient dy, and optionally the
/// input gradient dx (skipped for a network's first layer, where nobody needs it).
public struct Sequential: Sendable, Equatable {
  public let layers: [Layer]
  /// Offset of each layer's parameters from the start of this slice.
  let offsets: [Int]
  public let parameterCount: Int
  /// Number of leading parameter-free layers (a network's input `flatten`). When the caller
  /// has no input gradient to receive (dx or rdx = nil), their gradients are unneeded, and
  /// so is the first parameterized layer's: skipping them spares that layer's largest GEMM in
  /// every gradient and two in every HVP. When the input has no R-image (rx = nil), theirs is
  /// zero and the R-forward skips them too.
  let leadingConstant: Int
  /// Number of leading `flatten` layers, which change no byte of the activation: the forward
  /// pass skips their copy and the layer above reads the caller's x directly. The last layer
  /// always writes the caller's y, so it never counts.
  let leadingFlattens: Int

  public init(_ layers: [Layer]) {
    precondition(!layers.isEmpty, "a Sequential needs at least one layer")
    self.layers = layers
    var offsets: [Int] = []
    var total = 0
    for layer in layers {
      offsets.append(total)
      total += layer.parameterCount
    }
    self.offsets = offsets
    parameterCount = total
    leadingConstant = layers.prefix { $0.parameterCount == 0 }.count
    leadingFlattens = min(layers.prefix { if case .flatten = $0 { true } else { false } }.count, layers.count - 1)
  }

  public var input: SampleShape { layers[0].inputShape }
  public var output: SampleShape { layers[layers.count - 1].outputShape }

  /// Appends the tensors of every parameterized layer, numbered per kind (`linear1`, `conv2`…).
  func describe(into layout: inout ParameterLayout, prefix: String) {
    var counters: [String: Int] = [:]
    for layer in layers {
      guard let kind = layer.kindName else { continue }
      counters[kind, default: 0] += 1
      let name = kind + String(counters[kind]!)
      layer.describe(into: &layout, prefix: prefix.isEmpty ? name : prefix + "." + name)
    }
  }

  // MARK: - Passes

  /// Activation entering layer l: the caller's x for l = 0 and above leading flattens.
  @inline(__always)
  private func input<T>(_ l: Int, _ x: UnsafePointer<T>, _ buffers: [Buffer<T>]) -> UnsafePointer<T> {
    l <= leadingFlattens ? x : UnsafePointer(buffers[l - 1].pointer)
  }

  /// Activation leaving layer l (the caller's y for the last layer).
  @inline(__always)
  private func output<T>(_ l: Int, _ y: UnsafeMutablePointer<T>, _ buffers: [Buffer<T>]) -> UnsafeMutablePointer<T> {
    l == layers.count - 1 ? y : buffers[l].pointer
  }

  /// The quantity at the boundary below layer l that the caller's input-end `end` (rx, dx or
  /// rdx) stands for: `end` itself for l = 0, an internal buffer otherwise, or nil while `end`
  /// is nil and only parameter-free layers lie below.
  @inline(__always)
  private func below<T>(_ l: Int, _ end: UnsafeMutablePointer<T>?, _ buffers: [Buffer<T>]) -> UnsafeMutablePointer<T>? {
    if l == 0 { return end }
    return end == nil && l <= leadingConstant ? nil : buffers[l - 1].pointer
  }

  func forward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, w: UnsafePointer<T>, ws: SequentialWorkspace<T>
  ) {
    for l in leadingFlattens..<layers.count {
      layers[l].forward(
        n: n, x: input(l, x, ws.activations), y: output(l, y, ws.activations), w: w + offsets[l], ws: ws.layers[l])
    }
  }

  /// g ← α ∇ + β g for the parameter gradient (every parameter belongs to exactly one layer,
  /// so the whole slice is written); top layer first, each after its input gradient.
  func backward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>, ws: SequentialWorkspace<T>
  ) {
    let yMutable = UnsafeMutablePointer(mutating: y)
    let dyMutable = UnsafeMutablePointer(mutating: dy)
    for l in layers.indices.reversed() {
      if dx == nil && l < leadingConstant { continue }
      layers[l].backward(
        n: n, x: input(l, x, ws.activations), y: output(l, yMutable, ws.activations),
        dy: output(l, dyMutable, ws.deltas), dx: below(l, dx, ws.deltas),
        w: w + offsets[l], g: g.map { $0 + offsets[l] }, update: update, ws: ws.layers[l])
    }
  }

  /// `y` is the forward output; ry receives its R-image.
  func rForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, rx: UnsafePointer<T>?, ry: UnsafeMutablePointer<T>,
    w: UnsafePointer<T>, v: UnsafePointer<T>, ws: SequentialWorkspace<T>
  ) {
    for l in layers.indices {
      if rx == nil && l < leadingConstant && l < layers.count - 1 { continue }
      layers[l].rForward(
        n: n, x: input(l, x, ws.activations),
        rx: below(l, rx.map { UnsafeMutablePointer(mutating: $0) }, ws.rActivations).map { UnsafePointer($0) },
        y: output(l, UnsafeMutablePointer(mutating: y), ws.activations), ry: output(l, ry, ws.rActivations),
        w: w + offsets[l], v: v + offsets[l], ws: ws.layers[l])
    }
  }

  /// `y` and `ry` are the forward and R-forward outputs; hv accumulates R{g}. The output
  /// gradients of every internal layer must already be in the workspace from `backward` at
  /// the same point: the R-sweep reads them and writes only R-images.
  func rBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, y: UnsafePointer<T>, ry: UnsafePointer<T>,
    dy: UnsafePointer<T>, rdy: UnsafePointer<T>, rdx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>, ws: SequentialWorkspace<T>
  ) {
    precondition(rx != nil || rdx == nil, "an input without an R-image has no R-gradient to return")
    let m = { (p: UnsafePointer<T>) in UnsafeMutablePointer<T>(mutating: p) }
    for l in layers.indices.reversed() {
      if rdx == nil && l < leadingConstant { continue }
      layers[l].rBackward(
        n: n, x: input(l, x, ws.activations), rx: below(l, rx.map(m), ws.rActivations).map { UnsafePointer($0) },
        y: output(l, m(y), ws.activations), ry: output(l, m(ry), ws.rActivations),
        dy: output(l, m(dy), ws.deltas), rdy: output(l, m(rdy), ws.rDeltas),
        rdx: below(l, rdx, ws.rDeltas),
        w: w + offsets[l], v: v + offsets[l], hv: hv + offsets[l], ws: ws.layers[l])
    }
  }
}
