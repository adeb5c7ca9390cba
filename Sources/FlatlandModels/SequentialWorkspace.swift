import FlatlandCore

/// Preallocated buffers for passes through a `Sequential` at batch sizes up to `capacity`.
///
/// Holds, for each internal activation a_1 … a_{L−1}, its value, its R-image, its gradient and
/// the gradient's R-image; the ends (input and output) belong to the caller. Not thread-safe:
/// each agent (or thread) owns one.
public final class SequentialWorkspace<T: FlatScalar> {
  public let capacity: Int
  let activations: [Buffer<T>]
  let rActivations: [Buffer<T>]
  let deltas: [Buffer<T>]
  let rDeltas: [Buffer<T>]
  let layers: [LayerWorkspace<T>]

  init(_ sequential: Sequential, capacity: Int) {
    self.capacity = capacity
    let inner = sequential.layers.dropLast().map { capacity * $0.outputShape.count }
    activations = inner.map { Buffer($0) }
    rActivations = inner.map { Buffer($0) }
    deltas = inner.map { Buffer($0) }
    rDeltas = inner.map { Buffer($0) }
    layers = sequential.layers.map { LayerWorkspace($0, capacity: capacity) }
  }

  var scalarCount: Int {
    [activations, rActivations, deltas, rDeltas].joined().reduce(0) { $0 + $1.count }
      + layers.reduce(0) { $0 + $1.scalarCount }
  }
}

/// Per-layer scratch: im2col columns for convolutions; a nested workspace and the shortcut's
/// buffers for residual blocks.
final class LayerWorkspace<T: FlatScalar> {
  let scratch: Buffer<T>?
  /// Max pooling: each output's argmax offset from the last forward pass.
  let argmax: Buffer<Int32>?
  let body: SequentialWorkspace<T>?
  /// Residual block: body output F(x) and its R-image, shortcut output and its R-image, and the
  /// shortcut's input gradient and its R-image.
  let shortcut: [Buffer<T>]

  init(_ layer: Layer, capacity: Int) {
    switch layer {
    case .conv2D(let c):
      scratch = Buffer(c.scratchCount)
      argmax = nil
      body = nil
      shortcut = []
    case .maxPool(let p):
      scratch = nil
      argmax = Buffer(capacity * p.output.count)
      body = nil
      shortcut = []
    case .residual(let r):
      scratch = r.projection.map { Buffer($0.scratchCount) }
      argmax = nil
      body = SequentialWorkspace(r.body, capacity: capacity)
      let out = capacity * r.output.count
      let inp = capacity * r.input.count
      shortcut = [Buffer(out), Buffer(out), Buffer(out), Buffer(out), Buffer(inp), Buffer(inp)]
    case .linear, .relu, .tanh, .avgPool, .flatten:
      scratch = nil
      argmax = nil
      body = nil
      shortcut = []
    }
  }

  var scalarCount: Int {
    (scratch?.count ?? 0) + (argmax?.count ?? 0) + (body?.scalarCount ?? 0) + shortcut.reduce(0) { $0 + $1.count }
  }
}
