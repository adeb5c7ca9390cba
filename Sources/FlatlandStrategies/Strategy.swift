import FlatlandCore
import FlatlandTopology

/// How K agents learn together. Each is one iteration's update rule over flat vectors, written
/// against the `Communicator` seam, with ∇Q_k(·) agent k's mini-batch gradient, A = [a_lk]
/// the combination matrix and "adapt" the `LocalOptimizer` step (w − μ∇Q in the plain case):
///
/// - `centralized`: ḡ = (1/K) Σ_k ∇Q_k(w); w ← adapt(w, ḡ) — one SGD step of batch K·B.
/// - `consensus`: w_k ← Σ_l a_lk w_l − μ ∇Q_k(w_k).
/// - `diffusion` (adapt-then-combine): ψ_k = w_k − μ ∇Q_k(w_k); w_k ← Σ_l a_lk ψ_l.
/// - `diffusionCTA` (combine-then-adapt): φ_k = Σ_l a_lk w_l; w_k ← φ_k − μ ∇Q_k(φ_k).
/// - `localSGD`: w_k ← w_k − μ ∇Q_k(w_k), and every H iterations w_k ← (1/K) Σ_l w_l.
/// - `exactDiffusion`: ψ_k = w_k − μ ∇Q_k(w_k); φ_k = ψ_k + w_k − ψ_k,prev; w_k ← Σ_l ā_lk φ_l
///   with Ā = ½(I + A) (`StrategyState+ExactDiffusion.swift`).
/// - `gradientTracking`: w_k ← Σ_l a_lk w_l − μ y_k; y_k ← Σ_l a_lk y_l + ∇Q_k(w_k,new) −
///   ∇Q_k(w_k,old) (`StrategyState+GradientTracking.swift`).
///
/// The last two remove the O(μ) bias that consensus and diffusion keep when the agents' local
/// minimizers differ (non-IID data); what they need of A and of the optimizer is in
/// `StrategyKind+Requirements.swift`.
public enum StrategyKind: String, CaseIterable, Codable, Sendable {
  case centralized
  case consensus
  case diffusion
  case diffusionCTA = "diffusion-cta"
  case localSGD = "local-sgd"
  case exactDiffusion = "exact-diffusion"
  case gradientTracking = "gradient-tracking"

  public static let accepted = allCases.map(\.rawValue).joined(separator: ", ")

  public init(parsing text: String) throws {
    guard let kind = StrategyKind(rawValue: text) else {
      throw FlatlandError.invalid("strategy", text, accepted: Self.accepted)
    }
    self = kind
  }

  /// Whether the rule mixes over the graph (and so needs a combination matrix).
  public var usesGraph: Bool { matrixRequirement != nil }

  /// The K × P buffers the rule keeps of its own between iterations: ψ_prev for exact
  /// diffusion; y and the previous gradient for gradient tracking (`StrategyState`).
  public var stateBufferCount: Int {
    switch self {
    case .exactDiffusion: 1
    case .gradientTracking: 2
    default: 0
    }
  }
}

/// Agent k's mini-batch gradient at the given point: writes ∇Q_k into `gradient`, returns the
/// batch loss. Called concurrently for different agents.
public typealias GradientOracle =
  @Sendable (_ agent: Int, _ w: UnsafeBufferPointer<Float>, _ gradient: UnsafeMutableBufferPointer<Float>) -> LossStats

/// Agent k's plain SGD step fused into its gradient pass on its next mini-batch: target ←
/// (1 − μλ) target − μ∇Q_k(w), returning the batch loss; target is w itself for the in-place
/// step w − μ(∇Q_k(w) + λw). Engines that offer it spare the gradient vector and the separate
/// adapt sweep; rules use it only where adapt is that plain step.
public typealias DescentOracle =
  @Sendable (
    _ agent: Int, _ w: UnsafeBufferPointer<Float>, _ target: UnsafeMutableBufferPointer<Float>, _ stepSize: Float,
    _ weightDecay: Float
  ) -> LossStats

/// The agents' models and the strategy's working buffers.
public final class StrategyState: @unchecked Sendable {
  /// w_k: each agent's parameters.
  public private(set) var parameters: AgentVectors
  /// φ_k, the double buffer of the one combine that cannot run in place (consensus keeps w_k
  /// for its gradient while it forms φ_k); otherwise free room for transient gradients. Made
  /// on first use, so plain diffusion, CTA and local SGD hold one K × P buffer in all.
  lazy var scratch = AgentVectors(agents: parameters.agents, length: parameters.length)
  /// ∇Q_k for the rules that hold all K gradients past a combine or an average (centralized,
  /// and consensus when its step is not the fused plain one); made on first use. The others
  /// keep theirs in the combine's free buffer, or form none (`DescentOracle`).
  lazy var gradients = AgentVectors(agents: parameters.agents, length: parameters.length)
  /// ḡ, one row that every agent reads; only the centralized rule needs it.
  lazy var averaged = AgentVectors(agents: 1, length: parameters.length)
  /// Heavy-ball velocities, when the optimizer uses momentum.
  public let velocity: AgentVectors?
  /// ψ_k,prev, exact diffusion's adapted iterate of the previous iteration; it starts at w_k
  /// (so the first correction w_k − ψ_k,prev is zero). Nil for the other rules.
  public let previousAdapted: AgentVectors?
  /// y_{k,i−1}, gradient tracking's running estimate of the network's mean gradient; it
  /// starts at zero. Nil for the other rules.
  public let tracker: AgentVectors?
  /// ∇Q_k(w_{k,i−1}), the gradient gradient tracking drew last iteration (its "old" gradient);
  /// it starts at zero. Nil for the other rules.
  public let previousGradient: AgentVectors?
  /// Each agent's batch statistics from the last step, written by the agent's own thread.
  let stats: UncheckedBox<UnsafeMutableBufferPointer<LossStats>>
  public var batchStats: UnsafeBufferPointer<LossStats> { UnsafeBufferPointer(stats.value) }

  /// The state of `kind` (nil: a rule with no state of its own beyond the velocity) started
  /// at `parameters`: the velocity when the optimizer needs one, and the rule's own buffers.
  public init(parameters: AgentVectors, optimizer: LocalOptimizer, kind: StrategyKind? = nil) {
    self.parameters = parameters
    let (k, p) = (parameters.agents, parameters.length)
    velocity = optimizer.needsVelocity ? AgentVectors(agents: k, length: p) : nil
    previousAdapted = kind == .exactDiffusion ? AgentVectors(agents: k, length: p) : nil
    previousAdapted?.copy(from: parameters)
    tracker = kind == .gradientTracking ? AgentVectors(agents: k, length: p) : nil
    previousGradient = kind == .gradientTracking ? AgentVectors(agents: k, length: p) : nil
    stats = UncheckedBox(.allocate(capacity: k))
    stats.value.initialize(repeating: LossStats(loss: 0, correct: 0, count: 0))
  }

  /// Every buffer besides the parameters that the next iteration reads, by the name a
  /// checkpoint stores it under: what a resumed run must restore to continue bit for bit.
  public var stateBuffers: [String: AgentVectors] {
    let named: [(String, AgentVectors?)] = [
      ("velocity", velocity), ("previous_adapted_iterate", previousAdapted), ("tracker", tracker),
      ("previous_gradient", previousGradient),
    ]
    return Dictionary(uniqueKeysWithValues: named.compactMap { name, vectors in vectors.map { (name, $0) } })
  }

  deinit { stats.value.deallocate() }

  fileprivate func swapParameters() { swap(&parameters, &scratch) }

  /// g_k = ∇Q_k(x_k) for every local agent, recording the batch statistics.
  fileprivate func computeGradients(at x: AgentVectors, _ comm: Communicator, _ oracle: GradientOracle) {
    let g = gradients
    let stats = stats
    comm.forEachAgent { k in stats.value[k] = oracle(k, UnsafeBufferPointer(x[k]), g[k]) }
  }

  /// g_k = ∇Q_k(x_k), then at once x_k ← adapt(x_k, g_k), for every local agent: one pass per
  /// agent while its parameters and gradient are still in cache. g_k is needed only inside the
  /// pass, so it lives in the free buffer. With momentum and clipping off and a `descent`
  /// oracle, the pass is that fused step, and no gradient vector is formed at all.
  func computeGradientsAndAdapt(
    _ x: AgentVectors, _ optimizer: LocalOptimizer, _ mu: Float, _ comm: Communicator, _ oracle: GradientOracle,
    _ descent: DescentOracle?
  ) {
    if let descent, optimizer.isPlainStep {
      descend(descent, from: x, onto: x, optimizer, mu, comm)
      return
    }
    precondition(x !== scratch, "the gradients take the free buffer, not the parameters")
    let g = scratch
    let v = velocity
    let stats = stats
    comm.forEachAgent { k in
      stats.value[k] = oracle(k, UnsafeBufferPointer(x[k]), g[k])
      optimizer.adapt(x[k], gradient: UnsafeBufferPointer(g[k]), velocity: v?[k], stepSize: mu)
    }
  }

  /// target_k ← (1 − μλ) target_k − μ∇Q_k(x_k) for every local agent, by the fused descent,
  /// recording the batch statistics; target may be x itself.
  func descend(
    _ descent: DescentOracle, from x: AgentVectors, onto target: AgentVectors, _ optimizer: LocalOptimizer, _ mu: Float,
    _ comm: Communicator
  ) {
    let stats = stats
    let lambda = optimizer.weightDecay
    comm.forEachAgent { k in stats.value[k] = descent(k, UnsafeBufferPointer(x[k]), target[k], mu, lambda) }
  }

  /// Consensus: φ_k = Σ_l a_lk w_l, then w_k ← adapt(φ_k, ∇Q_k(w_k)). With a plain step and a
  /// `descent` oracle the gradient taken at w_k is added straight onto φ_k, with no gradient
  /// vector in between.
  fileprivate func consensusStep(
    _ matrix: CombinationMatrix, _ optimizer: LocalOptimizer, _ mu: Float, _ comm: Communicator,
    _ oracle: GradientOracle, _ descent: DescentOracle?
  ) {
    comm.combine(parameters, into: scratch, matrix: matrix)
    if let descent, optimizer.isPlainStep {
      descend(descent, from: parameters, onto: scratch, optimizer, mu, comm)
      swapParameters()
    } else {
      computeGradients(at: parameters, comm, oracle)
      swapParameters()
      adapt(parameters, with: gradients, optimizer, mu, comm)
    }
  }

  /// x_k ← adapt(x_k, d_k) for every local agent; d has one row per agent, or one row that
  /// all agents share (the centralized average).
  fileprivate func adapt(
    _ x: AgentVectors, with d: AgentVectors, _ optimizer: LocalOptimizer, _ mu: Float, _ comm: Communicator
  ) {
    let v = velocity
    let shared = d.agents == 1
    comm.forEachAgent { k in
      optimizer.adapt(x[k], gradient: UnsafeBufferPointer(d[shared ? 0 : k]), velocity: v?[k], stepSize: mu)
    }
  }
}

/// A strategy with its parameters.
public struct Strategy: Codable, Sendable, Equatable {
  public var kind: StrategyKind
  /// H, the averaging period of local SGD.
  public var localSteps: Int

  public init(_ kind: StrategyKind, localSteps: Int = 8) {
    self.kind = kind
    self.localSteps = localSteps
  }

  /// Runs iteration `i` with step size μ and combination matrix A = `matrix`; `descent`, when
  /// given, must take the same batches as `oracle` would. `s` holds this rule's state: made
  /// with `StrategyState(parameters:optimizer:kind:)` for exact diffusion and gradient tracking.
  public func step(
    _ s: StrategyState, iteration i: Int, stepSize mu: Float, matrix: CombinationMatrix,
    optimizer: LocalOptimizer, communicator comm: Communicator, gradient oracle: GradientOracle,
    descent: DescentOracle? = nil
  ) {
    switch kind {
    case .centralized:
      s.computeGradients(at: s.parameters, comm, oracle)
      comm.allReduceMean(s.gradients, into: s.averaged)
      s.adapt(s.parameters, with: s.averaged, optimizer, mu, comm)
    case .consensus:
      s.consensusStep(matrix, optimizer, mu, comm, oracle, descent)
    case .diffusion:
      s.computeGradientsAndAdapt(s.parameters, optimizer, mu, comm, oracle, descent)
      comm.combine(s.parameters, into: s.parameters, matrix: matrix)
    case .diffusionCTA:
      comm.combine(s.parameters, into: s.parameters, matrix: matrix)
      s.computeGradientsAndAdapt(s.parameters, optimizer, mu, comm, oracle, descent)
    case .localSGD:
      s.computeGradientsAndAdapt(s.parameters, optimizer, mu, comm, oracle, descent)
      if (i + 1) % max(1, localSteps) == 0 {
        comm.allReduceMean(s.parameters, into: s.parameters)
      }
    case .exactDiffusion:
      s.exactDiffusionStep(matrix, optimizer, mu, comm, oracle, descent)
    case .gradientTracking:
      s.gradientTrackingStep(matrix, optimizer, mu, comm, oracle)
    }
  }
}
