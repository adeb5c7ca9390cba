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
