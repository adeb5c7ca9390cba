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
