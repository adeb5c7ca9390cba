import FlatlandCore

/// Perturbed SGD's isotropic Gaussian noise, added to every agent after the strategy's step: a
/// control that injects noise without decentralization, to tell the two apart.
///
///     w_k,i+1 = (the strategy's update of w_k,i) + σ ξ_k,i,   ξ_k,i ~ N(0, I_P)
///
/// ξ_k,i is drawn from `RandomStream(seed, agent: k, purpose: .stepNoise).split(i)`, keyed by
/// (seed, iteration, agent) only, so it needs no state in a checkpoint and is the same for any
/// thread count and on any engine. Under the centralized strategy the K rows are one model,
/// so every agent draws agent 0's ξ_0,i and the rows stay equal: that is perturbed SGD at
/// batch K·B. σ is fixed, not scaled by the step size.
///
/// Matching a decentralized run (`matchingSigma(disagreement:parameterCount:)`): in such a run
/// agent k takes its gradient at w_k = w̄ + δ_k, off the centroid by the disagreement
/// D = (1/K) Σ_k ‖w_k − w̄‖² in mean square. With the noise, the next gradient is taken at the
/// noise-free update plus σ ξ, off it by E‖σ ξ‖² = σ² P. Equal offsets give
///
///     σ² = D / P,
///
/// the reference run's per-coordinate disagreement, so the control's gradients see the same
/// spread of evaluation points in one step as the decentralized agents see about their
/// centroid. (Matching the gradient-noise level instead, the extra per-agent noise
/// μ² tr(R)(1/B − 1/(KB)) of a decentralized step, would need the gradient covariance R, a
/// measurement no run records; every run records D.)
public struct StepNoise: Sendable, Equatable {
  /// σ, the standard deviation of each coordinate's noise per step.
  public var sigma: Float
  public var seed: UInt64

  public init(sigma: Double, seed: UInt64) throws {
    guard Float(sigma) >= 0, Float(sigma).isFinite else {
      throw FlatlandError.invalid("noise σ", sigma, accepted: "a non-negative standard deviation, finite in Float32")
    }
    self.sigma = Float(sigma)
    self.seed = seed
  }

  /// σ = √(D / P) for a run whose disagreement is D over P parameters per agent (see above).
  public static func matchingSigma(disagreement: Double, parameterCount: Int) -> Double {
    precondition(parameterCount > 0 && disagreement >= 0, "disagreement over no parameters")
    return (disagreement / Double(parameterCount)).squareRoot()
  }

  /// w_k += σ ξ_k,i for every local agent, after iteration i's step; `sharedModel` draws agent
  /// 0's ξ for every agent (the centralized strategy's one model).
  public func perturb(
    _ parameters: AgentVectors, iteration i: Int, sharedModel: Bool, communicator comm: Communicator
  ) {
    guard sigma > 0 else { return }
    let noise = self
    comm.forEachAgent { k in
      var rng = RandomStream(seed: noise.seed, agent: sharedModel ? 0 : k, purpose: .stepNoise).split(i)
      noise.add(to: parameters[k], &rng)
    }
  }

  /// x += σ ξ with ξ drawn from `rng` coordinate by coordinate (`zigguratNormal`: K × P normals
  /// an iteration make Box–Muller's logarithm and trigonometry the cost of the whole step).
  func add(to x: UnsafeMutableBufferPointer<Float>, _ rng: inout RandomStream) {
    rng.addNormals(to: x, scale: sigma)
  }
}
