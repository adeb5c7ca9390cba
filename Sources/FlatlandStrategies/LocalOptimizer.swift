import FlatlandCore

/// The local adapt rule every strategy applies to an agent's own gradient.
///
/// With g the mini-batch gradient, c the clipping norm, λ the weight decay, β the momentum
/// and μ_i the step size at iteration i:
///
///     g̃ = g · min(1, c / ‖g‖)          (clipping, when c is set)
///     d = g̃ + λ w                      (weight decay, coupled as in SGD)
///     m ← β m + d                      (heavy ball, when β > 0; m is the agent's own state)
///     w ← w − μ_i m   (or w − μ_i d when β = 0)
///
/// Momentum stays local: agents never exchange it, as in the diffusion literature's
/// "momentum applied locally" variants.
public struct LocalOptimizer: Codable, Sendable, Equatable {
  public var momentum: Float
  public var weightDecay: Float
  public var clipNorm: Float?

  public init(momentum: Float = 0, weightDecay: Float = 0, clipNorm: Float? = nil) {
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.clipNorm = clipNorm
  }

  /// True when the step is w ← w − μ(g + λw) with nothing else to know of g (no momentum, no
  /// clipping), so it can be fused into the gradient's own pass (`DescentOracle`).
  public var isPlainStep: Bool { momentum == 0 && clipNorm == nil }

  /// True when the rule keeps a velocity per agent.
  public var needsVelocity: Bool { momentum != 0 }

  /// Applies one adapt step to `w` in place, reading g and updating `velocity` if used.
  public func adapt(
    _ w: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
    velocity: UnsafeMutableBufferPointer<Float>?, stepSize mu: Float
  ) {
    var scale: Float = 1
    if let clipNorm {
      var sq = 0.0
      for x in g { sq += Double(x) * Double(x) }
      let norm = sq.squareRoot()
      if norm > Double(clipNorm) { scale = Float(Double(clipNorm) / norm) }
    }
    let lambda = weightDecay
    if let velocity, momentum != 0 {
      let beta = momentum
      for i in 0..<w.count {
        let d = scale * g[i] + lambda * w[i]
        velocity[i] = beta * velocity[i] + d
        w[i] -= mu * velocity[i]
      }
    } else {
      for i in 0..<w.count { w[i] -= mu * (scale * g[i] + lambda * w[i]) }
    }
  }
}
