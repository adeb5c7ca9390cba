import FlatlandCore
import FlatlandTheory

/// What `theory` reports on a quadratic model: maps are keyed by strategy (centralized,
/// consensus, diffusion, diffusion-cta, and exact-diffusion and gradient-tracking where the
/// topology's matrices suit them).
public struct TheoryReport: Codable, Sendable, Equatable {
  public var topology: String
  public var agents: Int
  public var weights: String
  public var mu: Double
  public var batch: Int
  public var hessian: [Double]
  public var noise: [Double]
  /// Exact steady-state excess risk averaged over agents.
  public var excessRisk: [String: Double] = [:]
  /// Exact steady-state excess risk at the centroid.
  public var centroidExcessRisk: [String: Double] = [:]
  public var spectralRadius: [String: Double] = [:]
  public var stabilityLimit: [String: Double] = [:]
  /// Closed forms and the small-μ expansion, for symmetric A only.
  public var closedForm: [String: Double]?
  public var smallStep: [String: Double]?
  public var smallStepOrdering: [String]?
  /// Exact excess risk averaged over agents at iterations 0…N, with a number of steps.
  public var curve: [String: [Double]]?
  public var simulated: [String: SimulationReport]?

  enum CodingKeys: String, CodingKey {
    case topology, agents, weights, mu, batch, hessian, noise, curve, simulated
    case excessRisk = "excess_risk"
    case centroidExcessRisk = "centroid_excess_risk"
    case spectralRadius = "spectral_radius"
    case stabilityLimit = "stability_limit"
    case closedForm = "closed_form"
    case smallStep = "small_step"
    case smallStepOrdering = "small_step_ordering"
  }

  /// The terminal form: one row per strategy, then the ordering and the curve if present.
  public var text: String {
    let g = { (x: Double?) in TextTable.number(x) }
    var table = TextTable(header: ["strategy", "excess risk", "centroid", "closed form", "small-μ", "ρ", "stable μ <"])
    if simulated != nil { table.header += ["simulated", "95% CI", "predicted (window)"] }
    for key in TheoryStrategy.allCases.map(\.rawValue) where excessRisk[key] != nil {
      var row = [
        key, g(excessRisk[key]), g(centroidExcessRisk[key]), g(closedForm?[key]), g(smallStep?[key]),
        g(spectralRadius[key]), g(stabilityLimit[key]),
      ]
      if let s = simulated?[key] { row += [g(s.mean), "[\(g(s.ciLow)), \(g(s.ciHigh))]", g(s.predicted)] }
      table.rows.append(row)
    }
    var lines = ["\(topology) K=\(agents) (\(weights)), μ=\(mu), B=\(batch), h=\(hessian), r=\(noise)"] + table.lines
    if let smallStepOrdering {
      lines.append("small-μ ordering (lowest first): \(smallStepOrdering.joined(separator: " < "))")
    }
    if let curve {
      let strategies = TheoryStrategy.allCases.map(\.rawValue).filter { curve[$0] != nil }
      lines += ["", "excess risk averaged over agents, by iteration", (["i"] + strategies).joined(separator: "\t")]
      for i in curve[strategies[0]]!.indices {
        lines.append(([String(i)] + strategies.map { g(curve[$0]![i]) }).joined(separator: "\t"))
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// A simulated mean and 95% confidence interval beside the exact prediction for the same window.
public struct SimulationReport: Codable, Sendable, Equatable {
  public var mean: Double
  public var ciLow: Double
  public var ciHigh: Double
  public var standardError: Double
  public var predicted: Double
  public var repetitions: Int
  public var steps: Int
  public var windowStart: Int

  init(_ s: SimulatedExcessRisk) {
    mean = s.estimate.mean
    ciLow = s.estimate.lower
    ciHigh = s.estimate.upper
    standardError = s.estimate.standardError
    predicted = s.predicted
    repetitions = s.plan.repetitions
    steps = s.plan.steps
    windowStart = s.plan.windowStart
  }

  enum CodingKeys: String, CodingKey {
    case mean, predicted, repetitions, steps
    case ciLow = "ci_low"
    case ciHigh = "ci_high"
    case standardError = "standard_error"
    case windowStart = "window_start"
  }
}
