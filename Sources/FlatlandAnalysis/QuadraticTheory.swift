import FlatlandCore
import FlatlandTheory

/// The `theory` pipeline on a local quadratic model: agent k's gradient is H (w − w*) + s_k
/// with H = diag(h) and Cov s_k = diag(r)/B. Each strategy's exact steady-state excess risk
/// (Lyapunov), at the centroid and averaged over agents; for a static symmetric A the closed forms and
/// the small-μ expansion; optionally the exact curve and a Monte Carlo check. Exact diffusion
/// and gradient tracking are reported where the topology gives the matrices they need
/// (`StrategyKind.matrixRequirement`), and left out otherwise.
public struct QuadraticTheory: Sendable, Equatable {
  public var setting: LearningSetting
  /// h_i ≥ 0, the curvatures along the eigendirections.
  public var hessian: [Double]
  /// r_i ≥ 0, the per-sample gradient noise variances (one per curvature).
  public var noise: [Double]

  public init(setting: LearningSetting, hessian: [Double], noise: [Double]? = nil) throws {
    self.setting = setting
    self.hessian = hessian
    self.noise = noise ?? Array(repeating: 1, count: hessian.count)
    guard self.noise.count == hessian.count else {
      throw FlatlandError.invalid(
        "--noise", self.noise.count, accepted: "\(hessian.count) values, one noise variance per --hessian curvature")
    }
  }

  /// The report; `steps` adds the exact curve for iterations 0…N, `simulate` R repetitions
  /// of the strategies on the model (over `steps`, or twenty time constants of the slowest).
  public func report(steps: Int? = nil, simulate repetitions: Int? = nil) throws -> TheoryReport {
    try setting.validate()
    if let steps, steps < 1 { throw FlatlandError.invalid("--steps", steps, accepted: "N ≥ 1") }
    if let repetitions, repetitions < 2 {
      throw FlatlandError.invalid("--simulate", repetitions, accepted: "R ≥ 2 repetitions")
    }
    let network = try setting.network()
    let s = setting
    let model = try QuadraticModel(agents: s.agents, hessian: hessian, noise: noise, batch: s.batch)
    let theory = try ExcessRiskTheory(model: model, topology: network, stepSize: s.mu)
    var report = TheoryReport(
      topology: s.topology, agents: s.agents, weights: s.weights, mu: s.mu, batch: s.batch, hessian: hessian,
      noise: noise)
    let strategies = TheoryStrategy.allCases.filter(theory.supports)
    for strategy in strategies {
      let steady = try theory.steadyState(strategy)
      report.excessRisk[strategy.rawValue] = steady.average
      report.centroidExcessRisk[strategy.rawValue] = steady.centroid
      report.spectralRadius[strategy.rawValue] = try theory.spectralRadius(strategy)
      report.stabilityLimit[strategy.rawValue] = try theory.stabilityLimit(strategy)
    }
    if let spectrum = try LearningSetting.symmetricSpectrum(of: network) {
      let eigenvalues = spectrum.eigenvalues
      let expansion = try SmallStepPrediction(
        traceNoise: noise.reduce(0, +), traceHessianNoise: zip(hessian, noise).reduce(0) { $0 + $1.0 * $1.1 },
        eigenvalues: eigenvalues, stepSize: s.mu, batch: s.batch)
      var closed: [String: Double] = [:]
      var small: [String: Double] = [:]
      for strategy in strategies {
        closed[strategy.rawValue] = try ClosedForms.steadyState(
          strategy, eigenvalues: eigenvalues, hessian: hessian, noise: noise, stepSize: s.mu, batch: s.batch)
        small[strategy.rawValue] = expansion.value(strategy)
      }
      report.closedForm = closed
      report.smallStep = small
      report.smallStepOrdering = expansion.ordering.map(\.rawValue)
    }
    if let steps {
      var curves: [String: [Double]] = [:]
      for strategy in strategies {
        curves[strategy.rawValue] = try theory.curve(strategy, steps: steps).map(\.average)
      }
      report.curve = curves
    }
    if let repetitions {
      let length = try steps ?? Self.defaultSimulationSteps(theory, strategies)
      let plan = try SimulationPlan(repetitions: repetitions, steps: length, windowStart: length / 2, seed: s.seed)
      var simulated: [String: SimulationReport] = [:]
      for strategy in strategies {
        simulated[strategy.rawValue] = SimulationReport(try theory.simulate(strategy, plan: plan))
      }
      report.simulated = simulated
    }
    return report
  }

  /// Twenty time constants 1/(1 − ρ) of the slowest strategy, between 200 and 100 000 steps.
  static func defaultSimulationSteps(_ theory: ExcessRiskTheory, _ strategies: [TheoryStrategy]) throws -> Int {
    let slowest = try strategies.map { try theory.spectralRadius($0) }.max()!
    return min(100_000, max(200, Int((20 / (1 - slowest)).rounded(.up))))
  }
}
