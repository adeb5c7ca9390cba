import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

@testable import FlatlandTheory

/// Exact predictions against simulations of the strategies' actual updates.
@Suite struct MonteCarloTests {
  struct Case: CustomStringConvertible, Sendable {
    let name: String
    let schedule: [[Double]]
    let dense: Bool
    var description: String { name }
  }

  static let cases = [
    Case(name: "ring", schedule: [Networks.ring(8)], dense: false),
    Case(name: "skewed left-stochastic", schedule: [Networks.skewed(8, seed: 3)], dense: false),
    Case(name: "periodic ring/exponential", schedule: [Networks.ring(8), Networks.exponential(8)], dense: false),
    Case(name: "dense heterogeneous", schedule: [Networks.skewed(8, seed: 5)], dense: true),
    Case(name: "dense heterogeneous ring", schedule: [Networks.ring(8)], dense: true),
  ]

  func theory(_ c: Case, mu: Double = 0.05) throws -> ExcessRiskTheory {
    let k = 8
    let model: QuadraticModel
    if c.dense {
      // Agent k: H_k = [[1 + k/8, 0.3], [0.3, 2]], R_k = [[1, 0.2], [0.2, 0.5]].
      model = try QuadraticModel(
        denseHessians: (0..<k).map { [1 + Double($0) / 8, 0.3, 0.3, 2] },
        denseNoises: Array(repeating: [1, 0.2, 0.2, 0.5], count: k),
        dimension: 2, batch: 2)
    } else {
      model = try QuadraticModel(agents: k, hessian: [1, 2, 3, 4], noise: [1, 1, 1, 1], batch: 1)
    }
    return try ExcessRiskTheory(
      model: model, topology: try Networks.topology(periodic: c.schedule, agents: k), stepSize: mu)
  }

  /// The time-average over iterations 200…800 of 40 runs; the prediction is the exact curve's
  /// average over the same window, within 1e-3 of the steady state there.
  @Test(arguments: cases)
  func steadyStatePredictionInsideConfidenceInterval(_ c: Case) throws {
    let theory = try theory(c)
    let plan = try SimulationPlan(repetitions: 40, steps: 800, windowStart: 200, seed: 7)
    for strategy in TheoryStrategy.allCases where theory.supports(strategy) {
      let simulated = try theory.simulate(strategy, plan: plan)
      let steady = try theory.steadyState(strategy).average
      #expect(relativeError(simulated.predicted, steady) < 1e-3)
      #expect(
        simulated.estimate.contains(simulated.predicted),
        "\(c) \(strategy): predicted \(simulated.predicted), simulated \(simulated.estimate)")
      let halfWidth = (simulated.estimate.upper - simulated.estimate.lower) / 2
      #expect(halfWidth < 0.08 * steady, "\(c) \(strategy): the interval is too wide to discriminate")
    }
  }

  /// The interval is narrow enough to tell diffusion from consensus.
  @Test func simulationDiscriminatesStrategies() throws {
    let theory = try theory(Self.cases[0], mu: 0.1)
    let plan = try SimulationPlan(repetitions: 40, steps: 400, windowStart: 200, seed: 8)
    let diffusion = try theory.simulate(.diffusion, plan: plan)
    #expect(diffusion.estimate.contains(diffusion.predicted))
    #expect(!diffusion.estimate.contains(try theory.steadyState(.consensus).average))
    #expect(!diffusion.estimate.contains(try theory.steadyState(.centralized).average))
  }

  /// Escape from a displaced start: the excess risk at step 20 across 200 runs.
  @Test func transientFromInitialError() throws {
    let theory = try theory(Self.cases[1], mu: 0.05)
    let start = normalVector(8 * 4, seed: 3, scale: 0.3)
    let plan = try SimulationPlan(repetitions: 200, steps: 20, windowStart: 20, seed: 9)
    for strategy in TheoryStrategy.allCases where theory.supports(strategy) {
      let simulated = try theory.simulate(strategy, plan: plan, initialError: start)
      #expect(
        relativeError(simulated.predicted, try theory.curve(strategy, steps: 20, initialError: start)[20].average)
          < 1e-14)
      #expect(
        simulated.estimate.contains(simulated.predicted),
        "\(strategy): predicted \(simulated.predicted), simulated \(simulated.estimate)")
    }
  }

  @Test func studentQuantiles() {
    #expect(ConfidenceInterval.studentQuantile975(degreesOfFreedom: 1) == 12.706)
    #expect(abs(ConfidenceInterval.studentQuantile975(degreesOfFreedom: 39) - 2.0227) < 2e-4)
    #expect(abs(ConfidenceInterval.studentQuantile975(degreesOfFreedom: 120) - 1.9799) < 2e-4)
  }
}
