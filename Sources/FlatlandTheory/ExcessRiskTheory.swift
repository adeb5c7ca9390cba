import FlatlandCore
import FlatlandTopology

/// Exact second-order theory of each strategy's excess risk near a minimizer w*.
///
/// Each strategy's stacked error follows x_i = F x_{i−1} + v_i (see `TheoryStrategy` and
/// `StrategyRecursion`); its mean and covariance propagate exactly,
///
///     m_i = F m_{i−1},   Σ_i = F Σ_{i−1} Fᵀ + Q,
///
/// and the steady state solves the discrete Lyapunov equation Σ = F Σ Fᵀ + Q exactly (no
/// small-μ expansion). Iteration i = 1, 2, … combines with the topology's A(i − 1). For a
/// periodic topology (period P) the steady state is the fixed point of the period map
/// F_{P−1} ⋯ F_0, and the reported steady excess risk is its average over the P phases of the
/// cycle (what a long time-average measures).
public struct ExcessRiskTheory: Sendable {
  public let model: QuadraticModel
  /// The network; every matrix it hands out is non-negative and left-stochastic.
  public let topology: Topology
  /// A(0), …, A(P − 1): one period of the topology.
  public let period: [CombinationMatrix]
  /// μ, the step size.
  public let stepSize: Double

  /// Throws for a non-positive μ, a topology without a period (random draws) or one for a
  /// different number of agents than the model.
  public init(model: QuadraticModel, topology: Topology, stepSize: Double) throws {
    guard stepSize.isFinite, stepSize > 0 else {
      throw FlatlandError.invalid("step size μ", stepSize, accepted: "a finite value > 0")
    }
    guard let length = topology.period else {
      throw FlatlandError(
        .invalidArgument,
        "topology \(topology.name) draws a new matrix each iteration and has no period: the theory needs a static "
          + "or periodic topology"
      )
    }
    guard topology.agents == model.agents else {
      throw FlatlandError(
        .invalidArgument,
        "topology \(topology.name) is for \(topology.agents) agents but the model has \(model.agents): expected the "
          + "same K"
      )
    }
    self.model = model
    self.topology = topology
    self.period = (0..<length).map(topology.matrix(at:))
    self.stepSize = stepSize
  }

  /// Whether the topology gives the matrices `strategy`'s rule needs; the theory of a
  /// strategy it does not support throws (see `StrategyKind.requireMatrices(of:)`).
  public func supports(_ strategy: TheoryStrategy) -> Bool {
    (try? strategy.kind.requireMatrices(of: topology)) != nil
  }

  // MARK: - Transients

  /// Expected excess risk at iterations i = 0…`steps` (`steps` + 1 values), started from the
  /// deterministic error `initialError` (K·M, agent k's coordinate c at k·M + c; the
  /// centralized strategy starts from its centroid), or at w* when it is nil.
  /// Needs no stability: an unstable recursion's curve simply grows.
  public func curve(_ strategy: TheoryStrategy, steps: Int, initialError: [Double]? = nil) throws -> [ExcessRisk] {
    guard steps >= 0 else { throw FlatlandError.invalid("number of steps", steps, accepted: "an integer ≥ 0") }
    try MemoryBudget.check(
      "an excess-risk curve of \(steps) steps (K + 1 = \(model.agents + 1) values per step)",
      [steps, model.agents + 1], bytesEach: MemoryLayout<Double>.stride)
    let start = try checkedInitialError(initialError)
    var total = [ExcessRisk](
      repeating: ExcessRisk(perAgent: Array(repeating: 0, count: model.agents), centroid: 0), count: steps + 1)
    for block in try blocks(strategy, stepSize) {
      var mean = block.restrict(start, networkAgents: model.agents, dimension: model.dimension)
      var covariance = SquareMatrix.zeros(mean.count)
      total[0] = total[0] + block.risk(mean: mean, covariance: covariance, networkAgents: model.agents)
      for i in stride(from: 1, through: steps, by: 1) {
        (mean, covariance) = block.step(mean, covariance, phase: i - 1)
        total[i] = total[i] + block.risk(mean: mean, covariance: covariance, networkAgents: model.agents)
      }
    }
    return total
  }

  // MARK: - Steady state

  /// The steady-state expected excess risk, from the exact Lyapunov solution per block.
  /// Throws a `.numeric` error naming μ, the strategy and the largest stable step size when the
  /// recursion is unstable (spectral radius of its period map ≥ 1).
  public func steadyState(_ strategy: TheoryStrategy) throws -> ExcessRisk {
    var total = ExcessRisk(perAgent: Array(repeating: 0, count: model.agents), centroid: 0)
    for block in try blocks(strategy, stepSize) {
      let map = block.periodMap()
      let radius = try map.transition.spectralRadius()
      guard radius < 1 else {
        let limit = try stabilityLimit(strategy)
        let advice =
          limit > 0
          ? "the largest stable step size is about \(roundedDown(limit))"
          : "no step size is stable (a direction with zero curvature, or an eigenvalue of A of modulus 1 besides λ = 1)"
        throw FlatlandError(
          .numeric,
          "step size μ = \(stepSize) is unstable for \(strategy.rawValue): spectral radius \(radius) ≥ 1 along "
            + "\(block.label); \(advice)"
        )
      }
      var covariance = try DiscreteLyapunov.solve(map.transition, map.noise)
      var mean = [Double](repeating: 0, count: covariance.n)
      var phases: [ExcessRisk] = []
      for j in 0..<block.period {
        // Σ is the covariance right after a full period, i.e. before phase 0; step through the cycle.
        (mean, covariance) = block.step(mean, covariance, phase: j)
        phases.append(block.risk(mean: mean, covariance: covariance, networkAgents: model.agents))
      }
      total = total + ExcessRisk.mean(phases)
    }
    return total
  }

  // MARK: - Stability

  /// The spectral radius of the strategy's period map (of F itself for a static A), the
  /// largest over blocks; the recursion has a steady state iff it is < 1.
  public func spectralRadius(_ strategy: TheoryStrategy) throws -> Double {
    try spectralRadius(strategy, stepSize)
  }

  /// The step size at which the strategy first becomes unstable as μ grows from 0, 0 if no
  /// normal μ > 0 is stable, or +∞ if every finite μ above the given one is stable. Found by
  /// bracketing from μ itself (multiplying by 16 while stable, dividing by 16 while unstable)
  /// then 60 bisections on the spectral radius, so the answer does not depend on how far μ is
  /// from the limit.
  public func stabilityLimit(_ strategy: TheoryStrategy) throws -> Double {
    var stable = stepSize
    var unstable = stepSize
    if try spectralRadius(strategy, stepSize) < 1 {
      repeat {
        stable = unstable
        unstable *= 16
        guard unstable.isFinite else { return .infinity }
      } while try spectralRadius(strategy, unstable) < 1
    } else {
      repeat {
        unstable = stable
        stable /= 16
        guard stable >= .leastNormalMagnitude else { return 0 }
      } while !(try spectralRadius(strategy, stable) < 1)
    }
    for _ in 0..<60 {
      let middle = 0.5 * (stable + unstable)
      if try spectralRadius(strategy, middle) < 1 { stable = middle } else { unstable = middle }
    }
    return stable
  }

  // MARK: - Helpers

  /// The strategy's blocks; throws when the topology does not give the matrices its rule
  /// needs (`StrategyKind.requireMatrices(of:)`: doubly stochastic for gradient tracking,
  /// static symmetric doubly stochastic for exact diffusion).
  private func blocks(_ strategy: TheoryStrategy, _ mu: Double) throws -> [LinearBlock] {
    try strategy.kind.requireMatrices(of: topology)
    return StrategyRecursion.blocks(strategy, model: model, period: period, stepSize: mu)
  }

  private func spectralRadius(_ strategy: TheoryStrategy, _ mu: Double) throws -> Double {
    try blocks(strategy, mu).reduce(0) { max($0, try $1.periodMap().transition.spectralRadius()) }
  }

  /// `x` > 0 rounded down to 6 significant digits, so an advised step size is itself stable.
  private func roundedDown(_ x: Double) -> Double {
    var scale = 1.0
    while x * scale < 1e5 { scale *= 10 }
    while x * scale >= 1e6 { scale /= 10 }
    return (x * scale).rounded(.down) / scale
  }

  private func checkedInitialError(_ error: [Double]?) throws -> [Double] {
    let size = model.agents * model.dimension
    guard let error else { return [Double](repeating: 0, count: size) }
    guard error.count == size else {
      throw FlatlandError(.invalidArgument, "initial error has \(error.count) entries: expected K·M = \(size)")
    }
    for (i, v) in error.enumerated() where !v.isFinite {
      throw FlatlandError(.invalidArgument, "initial error entry \(i) is \(v): expected finite values")
    }
    return error
  }
}
