import FlatlandTheory
import Foundation

/// What `flatland theory --checkpoint` prints: the estimates at the run's centroid and, keyed by
/// strategy, the small-μ excess risk and the stability limit along the largest curvature.
struct CheckpointTheoryReport: Encodable {
  let checkpoint: String
  let topology: String
  let agents: Int
  let weights: String
  let mu: Double
  let batch: Int
  let estimates: CheckpointEstimates
  /// μ Tr(R)/(4KB) + μ² Tr(HR)/(8KB) + μ² Tr(HR)/(2KB) Σ_{m≥2} f(λ_m), per strategy.
  let excessRisk: [String: Double]
  /// Strategies from lowest to highest predicted excess risk.
  let ordering: [String]
  let stabilityLimit: [String: Double]
  /// μ λ_max / (1 − |λ_2(A)|): the expansion holds when it is ≪ 1.
  let expansionParameter: Double

  enum CodingKeys: String, CodingKey {
    case checkpoint, topology, agents, weights, mu, batch, estimates, ordering
    case excessRisk = "excess_risk"
    case stabilityLimit = "stability_limit"
    case expansionParameter = "expansion_parameter"
  }

  func printTable() {
    let e = estimates
    let n = e.noise
    print("\(checkpoint) at the centroid: loss \(format(e.loss)) over \(e.samples) samples")
    print(
      "  Tr H    \(format(e.traceHessian)) ± \(format(e.traceHessianStderr))   top eigenvalues "
        + "\(e.topEigenvalues.map(format).joined(separator: ", "))"
    )
    print("  Tr R    \(format(n.traceNoise)) ± \(format(n.traceNoiseStderr))   (\(n.samples) per-sample gradients)")
    print("  Tr(HR)  \(format(n.traceHessianNoise)) ± \(format(n.traceHessianNoiseStderr))   (\(e.hvps) HVPs in all)")
    print(
      "\(topology) K=\(agents) (\(weights)), μ=\(mu), B=\(batch); μ λ_max / (1 − |λ₂|) = "
        + "\(format(expansionParameter)) (≪ 1 for the expansion)"
    )
    let rows =
      [["strategy", "excess risk (small-μ)", "stable μ <"]]
      + TheoryStrategy.allCases.map {
        [$0.rawValue, format(excessRisk[$0.rawValue]!), format(stabilityLimit[$0.rawValue]!)]
      }
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
    for row in rows {
      print(
        row.indices.map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }
    print("predicted ordering (lowest first): \(ordering.joined(separator: " < "))")
  }

  private func format(_ x: Double) -> String { String(format: "%.6g", x) }
}
