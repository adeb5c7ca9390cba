/// Expected excess risk of a network at one iteration (or in steady state).
///
/// Agent k's excess risk is E[½ w̃_kᵀ H̄ w̃_k] = ½ (m_kᵀ H̄ m_k + tr(H̄ Σ_kk)) with m_k and Σ_kk
/// the mean and covariance of its error; the centroid's uses w̃_c = (1/K) Σ_k w̃_k.
public struct ExcessRisk: Sendable, Equatable {
  /// E[½ w̃_kᵀ H̄ w̃_k] for each agent k (all equal for the centralized strategy).
  public let perAgent: [Double]
  /// E[½ w̃_cᵀ H̄ w̃_c] at the centroid w̃_c = (1/K) Σ_k w̃_k.
  public let centroid: Double

  public init(perAgent: [Double], centroid: Double) {
    self.perAgent = perAgent
    self.centroid = centroid
  }

  /// (1/K) Σ_k E[½ w̃_kᵀ H̄ w̃_k], the excess risk averaged over agents.
  public var average: Double { perAgent.reduce(0, +) / Double(perAgent.count) }

  /// The sum of two blocks' contributions (independent eigendirections add).
  static func + (a: ExcessRisk, b: ExcessRisk) -> ExcessRisk {
    ExcessRisk(perAgent: zip(a.perAgent, b.perAgent).map { $0 + $1 }, centroid: a.centroid + b.centroid)
  }

  /// The mean of several values, e.g. over the phases of a periodic steady state.
  static func mean(_ values: [ExcessRisk]) -> ExcessRisk {
    let sum = values.dropFirst().reduce(values[0], +)
    let scale = 1.0 / Double(values.count)
    return ExcessRisk(perAgent: sum.perAgent.map { $0 * scale }, centroid: sum.centroid * scale)
  }
}
