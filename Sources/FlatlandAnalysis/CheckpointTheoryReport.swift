import FlatlandCore
import FlatlandTheory

/// What `theory --checkpoint` reports: the estimates at the run's centroid and, keyed by
/// strategy, the small-μ excess risk and the stability limit along the largest curvature.
public struct CheckpointTheoryReport: Codable, Sendable, Equatable {
  public var checkpoint: String
  public var topology: String
  public var agents: Int
  public var weights: String
  public var mu: Double
  public var batch: Int
  public var estimates: CheckpointEstimates
  /// μ Tr(R)/(4KB) + μ² Tr(HR)/(8KB) + μ² Tr(HR)/(2KB) Σ_{m≥2} f(λ_m), per strategy.
  public var excessRisk: [String: Double]
  /// Strategies from lowest to highest predicted excess risk.
  public var ordering: [String]
  public var stabilityLimit: [String: Double]
  /// μ λ_max / (1 − |λ₂(A)|): the expansion holds when it is ≪ 1.
  public var expansionParameter: Double
  /// Strategies left out because μ is beyond their stability limit at the point (only when
  /// the prediction was asked to omit them rather than refuse).
  public var unstable: [String]?

  init(
    checkpoint: String, setting: LearningSetting, estimates: CheckpointEstimates, excessRisk: [String: Double],
    ordering: [String], stabilityLimit: [String: Double], expansionParameter: Double, unstable: [String]? = nil
  ) {
    self.checkpoint = checkpoint
    (topology, agents, weights, mu, batch) = (
      setting.topology, setting.agents, setting.weights, setting.mu, setting.batch
    )
    self.estimates = estimates
    self.excessRisk = excessRisk
    self.ordering = ordering
    self.stabilityLimit = stabilityLimit
    self.expansionParameter = expansionParameter
    self.unstable = unstable
  }

  enum CodingKeys: String, CodingKey {
    case checkpoint, topology, agents, weights, mu, batch, estimates, ordering, unstable
    case excessRisk = "excess_risk"
    case stabilityLimit = "stability_limit"
    case expansionParameter = "expansion_parameter"
  }

  /// The terminal form: the estimates, then one row per strategy.
  public var text: String {
    let e = estimates
    let n = e.noise
    let g = { (x: Double) in TextTable.number(x) }
    let table = TextTable(
      header: ["strategy", "excess risk (small-μ)", "stable μ <"],
      rows: TheoryStrategy.allCases.map {
        [$0.rawValue, excessRisk[$0.rawValue].map(g) ?? "unstable", g(stabilityLimit[$0.rawValue]!)]
      }
    )
    return
      ([
        "\(checkpoint) at the centroid: loss \(g(e.loss)) over \(e.samples) samples",
        "  Tr H    \(g(e.traceHessian)) ± \(g(e.traceHessianStderr))   top eigenvalues "
          + e.topEigenvalues.map(g).joined(separator: ", "),
        "  Tr R    \(g(n.traceNoise)) ± \(g(n.traceNoiseStderr))   (\(n.samples) per-sample gradients)",
        "  Tr(HR)  \(g(n.traceHessianNoise)) ± \(g(n.traceHessianNoiseStderr))   (\(e.hvps) HVPs in all)",
        "\(topology) K=\(agents) (\(weights)), μ=\(mu), B=\(batch); μ λ_max / (1 − |λ₂|) = "
          + "\(g(expansionParameter)) (≪ 1 for the expansion)",
      ] + table.lines + ["predicted ordering (lowest first): \(ordering.joined(separator: " < "))"])
      .joined(separator: "\n")
  }
}
