import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import FlatlandTopology

/// How to simulate: `repetitions` independent runs of `steps` iterations each, scored by the
/// excess risk (averaged over agents) time-averaged over iterations `windowStart`…`steps`.
public struct SimulationPlan: Sendable {
  public let repetitions: Int
  public let steps: Int
  public let windowStart: Int
  public let seed: UInt64

  public init(repetitions: Int, steps: Int, windowStart: Int, seed: UInt64) throws {
    guard repetitions >= 2 else {
      throw FlatlandError.invalid("number of repetitions", repetitions, accepted: "an integer ≥ 2")
    }
    guard steps >= 1 else { throw FlatlandError.invalid("number of steps", steps, accepted: "an integer ≥ 1") }
    guard (0...steps).contains(windowStart) else {
      throw FlatlandError.invalid("averaging window start", windowStart, accepted: "an iteration in 0…\(steps)")
    }
    self.repetitions = repetitions
    self.steps = steps
    self.windowStart = windowStart
    self.seed = seed
  }
}

/// Monte Carlo estimate of a strategy's excess risk beside the exact prediction for the same
/// window (the mean over iterations `windowStart`…`steps` of the exact curve), so the two are
/// comparable even before the steady state is reached.
public struct SimulatedExcessRisk: Sendable {
  public let estimate: ConfidenceInterval
  public let predicted: Double
  public let plan: SimulationPlan
}

extension ExcessRiskTheory {
  /// Runs the strategies' production update rules — `Strategy.step`, as training runs it, on
  /// an in-process engine, in Float32 — on the quadratic model with Gaussian gradient noise
  /// s_k ~ N(0, R_k/B): agent k's gradient oracle at error w̃_k returns H_k w̃_k + s_k (w* = 0,
  /// so parameters are errors). The theory is thereby checked against the code that trains.
  /// Agent k's noise in repetition r comes from RandomStream(seed, agent: k, purpose: .noise)
  /// .split(r), the same for every strategy (common random numbers).
  ///
  /// Float32 rounds each step's state by a relative 6·10⁻⁸, orders of magnitude below the
  /// noise it is compared with (the confidence interval is several per cent wide), and μ is
  /// rounded to Float32 as training rounds it.
  public func simulate(_ strategy: TheoryStrategy, plan: SimulationPlan, initialError: [Double]? = nil) throws
    -> SimulatedExcessRisk
  {
    let exact = try curve(strategy, steps: plan.steps, initialError: initialError)
    let window = exact[plan.windowStart...]
    let predicted = window.reduce(0) { $0 + $1.average } / Double(window.count)
    let start = initialError ?? [Double](repeating: 0, count: model.agents * model.dimension)
    let network = try SimulatedNetwork(model: model, period: period, stepSize: stepSize)
    let scores = (0..<plan.repetitions).map { r in network.run(strategy, plan: plan, repetition: r, start: start) }
    return SimulatedExcessRisk(estimate: try ConfidenceInterval(samples: scores), predicted: predicted, plan: plan)
  }
}

/// The quadratic model's agents trained by the production rules.
private struct SimulatedNetwork {
  let model: QuadraticModel
  let period: [CombinationMatrix]
  let stepSize: Float
  /// L_k with L_k L_kᵀ = R_k / B, to draw s_k = L_k z with z standard normal.
  let noiseFactors: [SquareMatrix]
  let averageHessian: SquareMatrix

  init(model: QuadraticModel, period: [CombinationMatrix], stepSize: Double) throws {
    self.model = model
    self.period = period
    self.stepSize = Float(stepSize)
    self.averageHessian = model.averageHessian
    self.noiseFactors = try (0..<model.agents).map { try Self.squareRoot(model.gradientNoise($0)) }
  }

  /// The window-averaged excess risk (averaged over agents) of one repetition.
  func run(_ strategy: TheoryStrategy, plan: SimulationPlan, repetition: Int, start: [Double]) -> Double {
    let k = model.agents
    let m = model.dimension
    var rows = (0..<k).map { agent in Array(start[agent * m..<(agent + 1) * m]) }
    if strategy == .centralized { rows = Array(repeating: VectorMath.mean(rows), count: k) }
    let parameters = AgentVectors(agents: k, length: m)
    for agent in 0..<k { parameters.set(agent, rows[agent].map(Float.init)) }
    let state = StrategyState(parameters: parameters, optimizer: LocalOptimizer(), kind: strategy.kind)
    let oracle = QuadraticOracle(model: model, noiseFactors: noiseFactors, seed: plan.seed, repetition: repetition)
    let engine = InProcessCommunicator(agents: k, threads: 1)
    let rule = Strategy(strategy.kind)
    var sum = plan.windowStart == 0 ? risk(state.parameters) : 0
    for i in 1...plan.steps {
      rule.step(
        state, iteration: i - 1, stepSize: stepSize, matrix: period[(i - 1) % period.count],
        optimizer: LocalOptimizer(), communicator: engine, gradient: oracle.gradient)
      if i >= plan.windowStart { sum += risk(state.parameters) }
    }
    return sum / Double(plan.steps - plan.windowStart + 1)
  }

  /// (1/K) Σ_k ½ w̃_kᵀ H̄ w̃_k.
  private func risk(_ w: AgentVectors) -> Double {
    (0..<w.agents).reduce(0) { total, agent in
      let x = w[agent].map(Double.init)
      return total + 0.5 * VectorMath.dot(x, averageHessian.apply(x))
    } / Double(w.agents)
  }

  /// V diag(√max(λ, 0)) from the eigen-decomposition of a symmetric PSD matrix.
  private static func squareRoot(_ s: SquareMatrix) throws -> SquareMatrix {
    let eigen = try SymmetricEigen(s.values, n: s.n)
    var root = SquareMatrix.zeros(s.n)
    for r in 0..<s.n {
      for c in 0..<s.n { root[r, c] = eigen.vectors[r * s.n + c] * max(eigen.values[c], 0).squareRoot() }
    }
    return root
  }
}

/// Agent k's mini-batch gradient on the quadratic model, H_k w̃ + L_k z with z drawn from the
/// agent's own noise stream; each agent's stream is touched only by the thread running it.
private final class QuadraticOracle: @unchecked Sendable {
  let model: QuadraticModel
  let noiseFactors: [SquareMatrix]
  let streams: UnsafeMutableBufferPointer<RandomStream>

  init(model: QuadraticModel, noiseFactors: [SquareMatrix], seed: UInt64, repetition: Int) {
    self.model = model
    self.noiseFactors = noiseFactors
    streams = .allocate(capacity: model.agents)
    _ = streams.initialize(
      from: (0..<model.agents).map { RandomStream(seed: seed, agent: $0, purpose: .noise).split(repetition) })
  }

  deinit { streams.deallocate() }

  /// The `GradientOracle` of the strategies: writes H_k w + s_k into `gradient`.
  var gradient: GradientOracle {
    { [self] agent, w, gradient in
      let z = (0..<model.dimension).map { _ in streams[agent].normal() }
      let g = zip(model.hessians[agent].apply(w.map(Double.init)), noiseFactors[agent].apply(z)).map { $0 + $1 }
      for c in g.indices { gradient[c] = Float(g[c]) }
      return LossStats(loss: 0, correct: 0, count: 0)
    }
  }
}
