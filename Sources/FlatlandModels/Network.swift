import FlatlandCore

/// A model: a layer description over one contiguous parameter vector, plus its loss.
///
/// The network holds no parameters. Every function takes the flat vector `w` and writes flat
/// vectors of the same layout (gradients, Hessian-vector products), so everything distributed
/// — combining, averaging, disagreement — and every measure is plain vector math.
public struct Network: Sendable, Equatable {
  /// The name it was built from, such as `mlp:256,256`.
  public let name: String
  public let body: Sequential
  public let loss: LossFunction
  public let layout: ParameterLayout

  public init(name: String, body: Sequential, loss: LossFunction = .crossEntropy) {
    self.name = name
    self.body = body
    self.loss = loss
    var layout = ParameterLayout()
    body.describe(into: &layout, prefix: "")
    precondition(layout.count == body.parameterCount, "layout and body disagree")
    self.layout = layout
  }

  public var parameterCount: Int { layout.count }
  public var inputShape: SampleShape { body.input }
  public var classes: Int { body.output.count }

  /// Buffers for batches of up to `capacity` samples; larger inputs are processed in chunks.
  public func makeWorkspace<T: FlatScalar>(capacity: Int, of _: T.Type = T.self) -> Workspace<T> {
    Workspace(self, capacity: capacity)
  }
}

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

/// Mean loss and accuracy over an evaluated set. Plain bits (`BitwiseCopyable`), so engines
/// can ship every agent's statistics between processes as bytes.
public struct LossStats: Sendable, Equatable, Codable, BitwiseCopyable {
  /// Mean loss per sample.
  public var loss: Double
  public var correct: Int
  public var count: Int
  public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

  public init(loss: Double, correct: Int, count: Int) {
    self.loss = loss
    self.correct = correct
    self.count = count
  }
}
