import FlatlandCore

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
  /// Runs the strategy's actual update (not its error matrices) on the quadratic model with
  /// Gaussian gradient noise s_k ~ N(0, R_k/B): agent k's gradient at error w̃_k is
  /// H_k w̃_k + s_k, then the strategy combines and adapts as in `TheoryStrategy`. Agent k's
  /// noise in repetition r comes from RandomStream(seed, agent: k, purpose: .noise).split(r),
  /// the same for every strategy (common random numbers).
  public func simulate(_ strategy: TheoryStrategy, plan: SimulationPlan, initialError: [Double]? = nil) throws
    -> SimulatedExcessRisk
  {
    let exact = try curve(strategy, steps: plan.steps, initialError: initialError)
    let window = exact[plan.windowStart...]
    let predicted = window.reduce(0) { $0 + $1.average } / Double(window.count)
    let start = initialError ?? [Double](repeating: 0, count: model.agents * model.dimension)
    let network = try SimulatedNetwork(model: model, schedule: schedule, stepSize: stepSize)
    let scores = (0..<plan.repetitions).map { r in network.run(strategy, plan: plan, repetition: r, start: start) }
    return SimulatedExcessRisk(estimate: try ConfidenceInterval(samples: scores), predicted: predicted, plan: plan)
  }
}

/// The stochastic recursions themselves, one agent's M-vector at a time.
private struct SimulatedNetwork {
  let model: QuadraticModel
  let schedule: CombinationSchedule
  let stepSize: Double
  /// L_k with L_k L_kᵀ = R_k / B, to draw s_k = L_k z with z standard normal.
  let noiseFactors: [SquareMatrix]
  let averageHessian: SquareMatrix

  init(model: QuadraticModel, schedule: CombinationSchedule, stepSize: Double) throws {
    self.model = model
    self.schedule = schedule
    self.stepSize = stepSize
    self.averageHessian = model.averageHessian
    self.noiseFactors = try (0..<model.agents).map { try Self.squareRoot(model.gradientNoise($0)) }
  }

  /// The window-averaged excess risk (averaged over agents) of one repetition.
  func run(_ strategy: TheoryStrategy, plan: SimulationPlan, repetition: Int, start: [Double]) -> Double {
    let k = model.agents
    let m = model.dimension
    let mu = stepSize
    var streams = (0..<k).map { RandomStream(seed: plan.seed, agent: $0, purpose: .noise).split(repetition) }
    var w = (0..<k).map { agent in Array(start[agent * m..<(agent + 1) * m]) }
    if strategy == .centralized { w = Array(repeating: VectorMath.mean(w), count: k) }
    var sum = plan.windowStart == 0 ? risk(w) : 0
    for i in 1...plan.steps {
      let a = schedule.matrices[(i - 1) % schedule.period]
      switch strategy {
      case .centralized:
        let g = VectorMath.mean((0..<k).map { gradient($0, w[0], &streams[$0]) })
        w = Array(repeating: zip(w[0], g).map { $0 - mu * $1 }, count: k)
      case .consensus:
        let g = (0..<k).map { gradient($0, w[$0], &streams[$0]) }
        w = zip(combine(a, w), g).map { zip($0, $1).map { $0 - mu * $1 } }
      case .diffusion:
        let psi = (0..<k).map { agent in zip(w[agent], gradient(agent, w[agent], &streams[agent])).map { $0 - mu * $1 }
        }
        w = combine(a, psi)
      case .diffusionCTA:
        let phi = combine(a, w)
        w = (0..<k).map { agent in zip(phi[agent], gradient(agent, phi[agent], &streams[agent])).map { $0 - mu * $1 } }
      }
      if i >= plan.windowStart { sum += risk(w) }
    }
    return sum / Double(plan.steps - plan.windowStart + 1)
  }

  /// H_k x + s_k with s_k = L_k z.
  private func gradient(_ agent: Int, _ x: [Double], _ stream: inout RandomStream) -> [Double] {
    let z = (0..<model.dimension).map { _ in stream.normal() }
    return zip(model.hessians[agent].apply(x), noiseFactors[agent].apply(z)).map { $0 + $1 }
  }

  /// Agent k receives Σ_l a_lk x_l.
  private func combine(_ a: SquareMatrix, _ x: [[Double]]) -> [[Double]] {
    (0..<model.agents).map { k in
      var y = [Double](repeating: 0, count: model.dimension)
      for l in 0..<model.agents where a[l, k] != 0 { VectorMath.axpy(a[l, k], x[l], &y) }
      return y
    }
  }

  /// (1/K) Σ_k ½ w̃_kᵀ H̄ w̃_k.
  private func risk(_ w: [[Double]]) -> Double {
    w.reduce(0) { $0 + 0.5 * VectorMath.dot($1, averageHessian.apply($1)) } / Double(w.count)
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
