import FlatlandTheory
import Foundation

/// What `flatland theory` prints: maps are keyed by strategy (centralized, consensus,
/// diffusion, diffusion_cta).
struct TheoryReport: Encodable {
  let topology: String
  let agents: Int
  let weights: String
  let mu: Double
  let batch: Int
  let hessian: [Double]
  let noise: [Double]
  /// Exact steady-state excess risk averaged over agents.
  var excessRisk: [String: Double] = [:]
  /// Exact steady-state excess risk at the centroid.
  var centroidExcessRisk: [String: Double] = [:]
  var spectralRadius: [String: Double] = [:]
  var stabilityLimit: [String: Double] = [:]
  /// Closed forms and the small-μ expansion, for symmetric A only.
  var closedForm: [String: Double]?
  var smallStep: [String: Double]?
  var smallStepOrdering: [String]?
  /// Exact excess risk averaged over agents at iterations 0…N, with --steps.
  var curve: [String: [Double]]?
  var simulated: [String: SimulationReport]?

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

  func printTable() {
    print("\(topology) K=\(agents) (\(weights)), μ=\(mu), B=\(batch), h=\(hessian), r=\(noise)")
    var header = ["strategy", "excess risk", "centroid", "closed form", "small-μ", "ρ", "stable μ <"]
    if simulated != nil { header += ["simulated", "95% CI", "predicted (window)"] }
    var rows = [header]
    for strategy in TheoryStrategy.allCases {
      let key = strategy.rawValue
      var row = [
        key, format(excessRisk[key]), format(centroidExcessRisk[key]), format(closedForm?[key]),
        format(smallStep?[key]),
        format(spectralRadius[key]), format(stabilityLimit[key]),
      ]
      if let s = simulated?[key] {
        row += [format(s.mean), "[\(format(s.ciLow)), \(format(s.ciHigh))]", format(s.predicted)]
      }
      rows.append(row)
    }
    let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
    for row in rows {
      print(
        row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
    if let ordering = smallStepOrdering {
      print("small-μ ordering (lowest first): \(ordering.joined(separator: " < "))")
    }
    if let curve {
      let strategies = TheoryStrategy.allCases.map(\.rawValue)
      print("\nexcess risk averaged over agents, by iteration")
      print((["i"] + strategies).joined(separator: "\t"))
      for i in curve[strategies[0]]!.indices {
        print(([String(i)] + strategies.map { format(curve[$0]![i]) }).joined(separator: "\t"))
      }
    }
  }

  private func format(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "-" }
}

/// A simulated mean and 95% confidence interval beside the exact prediction for the same window.
struct SimulationReport: Encodable {
  let mean: Double
  let ciLow: Double
  let ciHigh: Double
  let standardError: Double
  let predicted: Double
  let repetitions: Int
  let steps: Int
  let windowStart: Int

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
