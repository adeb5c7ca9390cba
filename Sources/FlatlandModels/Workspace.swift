import FlatlandCore

/// Per-thread buffers for a network's passes: the body's workspace plus the logits, their
/// R-image, their gradients and the softmax probabilities.
public final class Workspace<T: FlatScalar> {
  public let capacity: Int
  let body: SequentialWorkspace<T>
  let logits: Buffer<T>
  let rLogits: Buffer<T>
  let dLogits: Buffer<T>
  let rdLogits: Buffer<T>
  let probabilities: Buffer<T>

  init(_ network: Network, capacity: Int) {
    precondition(capacity > 0, "workspace capacity must be positive")
    self.capacity = capacity
    body = SequentialWorkspace(network.body, capacity: capacity)
    let c = capacity * network.classes
    logits = Buffer(c)
    rLogits = Buffer(c)
    dLogits = Buffer(c)
    rdLogits = Buffer(c)
    probabilities = Buffer(c)
  }

  /// Scalars held, for memory budgets.
  public var scalarCount: Int { body.scalarCount + 5 * logits.count }
}

// MARK: - Size before allocation

extension Sequential {
  /// The scalars a `SequentialWorkspace` of this body holds, as `capacity · perSample + fixed`:
  /// four buffers (value, R-image, gradient, its R-image) per internal activation, max-pooling
  /// argmaxes and residual shortcuts per sample, and each convolution's im2col scratch once.
  /// Computed from the shapes alone, so a size can be checked before it is allocated.
  var workspaceScalars: (perSample: Int, fixed: Int) {
    var perSample = 4 * layers.dropLast().reduce(0) { $0 + $1.outputShape.count }
    var fixed = 0
    for layer in layers {
      switch layer {
      case .conv2D(let c):
        fixed += c.scratchCount
      case .maxPool(let p):
        perSample += p.output.count
      case .residual(let r):
        let body = r.body.workspaceScalars
        perSample += body.perSample + 4 * r.output.count + 2 * r.input.count
        fixed += body.fixed + (r.projection?.scratchCount ?? 0)
      case .linear, .relu, .tanh, .avgPool, .flatten:
        break
      }
    }
    return (perSample, fixed)
  }
}

extension Network {
  /// The scalars `makeWorkspace(capacity:)` would hold, computed without allocating (the body's
  /// buffers plus five logit-sized ones per sample); nil when the count overflows `Int`.
  public func workspaceScalarCount(capacity: Int) -> Int? {
    let body = self.body.workspaceScalars
    let (perSample, overflow) = body.perSample.addingReportingOverflow(5 * classes)
    guard !overflow, let scaled = MemoryBudget.size(of: [capacity, perSample], bytesEach: 1) else { return nil }
    let (total, overflowed) = scaled.addingReportingOverflow(body.fixed)
    return overflowed ? nil : total
  }
}
