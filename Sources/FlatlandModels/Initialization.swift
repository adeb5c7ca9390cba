import FlatlandCore

/// How weights are drawn before training; biases start at zero.
///
/// - `he`: N(0, 2/fan_in), He et al. (2015), suited to ReLU networks.
/// - `xavier`: N(0, 2/(fan_in + fan_out)), Glorot & Bengio (2010), suited to tanh.
/// fan_in is the product of a weight's trailing dimensions (in·k·k for a convolution).
public enum Initialization: String, Sendable, Codable, CaseIterable {
  case he
  case xavier
}

extension Network {
  /// Seeded initial parameters: the stream (seed, agent, .initialization) fixes them, so all
  /// agents share one initialization when given the same `agent` (Flatland's default).
  public func initialParameters(seed: UInt64, agent: Int = 0, scheme: Initialization = .he) -> [Float] {
    var rng = RandomStream(seed: seed, agent: agent, purpose: .initialization)
    var w = [Float](repeating: 0, count: parameterCount)
    for tensor in layout.tensors where tensor.isWeight {
      let fanIn = tensor.shape.dropFirst().reduce(1, *)
      let fanOut = tensor.shape[0] * tensor.shape.dropFirst(2).reduce(1, *)
      let variance = scheme == .he ? 2.0 / Double(fanIn) : 2.0 / Double(fanIn + fanOut)
      let std = variance.squareRoot()
      for i in tensor.range { w[i] = Float(rng.normal() * std) }
    }
    return w
  }
}
