import FlatlandCore
import FlatlandModels

extension Checkpoint {
  /// A point of a checkpoint's parameter space: the agents' centroid, one agent, or the
  /// stochastic weight average of the centroid (runs trained with `swa`).
  public enum Point: Equatable, Sendable, CustomStringConvertible {
    case centroid
    case agent(Int)
    case swa

    /// Parses `centroid`, `swa` or an agent index such as `3`.
    public init(parsing text: String) throws {
      if text == "centroid" {
        self = .centroid
      } else if text == "swa" {
        self = .swa
      } else if let k = Int(text), k >= 0 {
        self = .agent(k)
      } else {
        throw FlatlandError.invalid("point", text, accepted: "centroid, swa or an agent index 0, 1, 2, ...")
      }
    }

    /// `centroid`, `agent K` or `swa`.
    public var description: String {
      switch self {
      case .centroid: "centroid"
      case .agent(let k): "agent \(k)"
      case .swa: "swa"
      }
    }
  }

  /// The model named in the header, built for its input shape and classes, after checking
  /// that it has exactly the stored number of parameters per agent.
  /// - Parameter path: the checkpoint's file, named in the error.
  /// - Throws: `FlatlandError` for an unknown model or one whose parameter count differs.
  public func network(path: String) throws -> Network {
    let h = header
    let network = try Network.named(h.model, input: h.inputShape, classes: h.classes)
    guard network.parameterCount == h.parameterCount else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' holds \(h.parameterCount) parameters per agent: expected "
          + "\(network.parameterCount), the count of its model \(h.model) for input \(h.inputShape) and "
          + "\(h.classes) classes"
      )
    }
    return network
  }

  /// The parameters at `point`: w̄ = (1/K) Σ_k w_k (accumulated in Double) or agent k's row.
  /// - Throws: `FlatlandError` for an agent index outside 0..<K, or `swa` of a run that kept
  ///   no average.
  public func parameters(at point: Point) throws -> [Float] {
    switch point {
    case .centroid:
      return parameters.centroid()
    case .swa:
      guard let average = buffers["swa"] else {
        throw FlatlandError(
          .invalidArgument,
          "this checkpoint holds no SWA average: expected a run trained with --swa START[,EVERY] that reached START")
      }
      return average.row(0)
    case .agent(let k):
      guard k < parameters.agents else {
        throw FlatlandError.invalid("agent", k, accepted: "centroid or an agent index 0…\(parameters.agents - 1)")
      }
      return parameters.row(k)
    }
  }
}
