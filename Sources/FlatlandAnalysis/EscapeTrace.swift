import FlatlandCore

/// One escape run recorded at the plan's iterations: J(w̄ᵢ) − J(w*), the agents' mean
/// (1/K) Σ_k J(w_k,ᵢ) − J(w*), ‖w̄ᵢ − w*‖ and the disagreement; λ_max where measured.
public struct EscapeTrace: Codable, Sendable, Equatable {
  public var strategy: String
  public var repetition: Int
  public var iterations: [Int] = []
  public var centroidExcess: [Double] = []
  public var agentsExcess: [Double] = []
  public var distance: [Double] = []
  public var disagreement: [Double] = []
  /// (iteration, λ_max(H(w̄ᵢ))) every M iterations.
  public var lambdaIterations: [Int] = []
  public var lambdaMax: [Double] = []

  enum CodingKeys: String, CodingKey {
    case strategy, repetition, iterations, distance, disagreement
    case centroidExcess = "centroid_excess"
    case agentsExcess = "agents_excess"
    case lambdaIterations = "lambda_iterations"
    case lambdaMax = "lambda_max"
  }

  /// The first recorded iteration where the loss passes J(w*) + h or the distance passes r.
  public func escapeIteration(loss h: Double, distance r: Double) -> Int? {
    iterations.indices.first { centroidExcess[$0] > h || distance[$0] > r }.map { iterations[$0] }
  }
}

/// A strategy's escape over its repetitions: each curve's mean and 95% interval per recorded
/// iteration, the escape iterations, and the fraction of repetitions that escaped by N.
public struct EscapeSummary: Codable, Sendable, Equatable {
  public var strategy: String
  public var iterations: [Int]
  public var centroidExcess: [MeanInterval]
  public var agentsExcess: [MeanInterval]
  public var distance: [MeanInterval]
  public var disagreement: [MeanInterval]
  public var lambdaIterations: [Int]
  public var lambdaMax: [MeanInterval]
  /// Each repetition's escape iteration; nil for one that stayed.
  public var escapeIterations: [Int?]
  public var escapedFraction: Double
  /// Each repetition's J(w̄_N) − J(w*) and ‖w̄_N − w*‖: what strategies are compared by,
  /// paired by seed.
  public var finalCentroidExcess: [Double]
  public var finalDistance: [Double]
  /// The small-μ steady-state excess risk predicted at w*, if the theory applies there.
  public var predictedExcessRisk: Double?

  enum CodingKeys: String, CodingKey {
    case strategy, iterations, distance, disagreement
    case centroidExcess = "centroid_excess"
    case agentsExcess = "agents_excess"
    case lambdaIterations = "lambda_iterations"
    case lambdaMax = "lambda_max"
    case escapeIterations = "escape_iterations"
    case escapedFraction = "escaped_fraction"
    case finalCentroidExcess = "final_centroid_excess"
    case finalDistance = "final_distance"
    case predictedExcessRisk = "predicted_excess_risk"
  }

  init(_ traces: [EscapeTrace], plan: EscapePlan, predicted: Double?) throws {
    let first = traces[0]
    strategy = first.strategy
    iterations = first.iterations
    func curve(_ f: (EscapeTrace) -> [Double], _ count: Int) throws -> [MeanInterval] {
      try (0..<count).map { i in try MeanInterval(traces.map { f($0)[i] }) }
    }
    centroidExcess = try curve(\.centroidExcess, iterations.count)
    agentsExcess = try curve(\.agentsExcess, iterations.count)
    distance = try curve(\.distance, iterations.count)
    disagreement = try curve(\.disagreement, iterations.count)
    lambdaIterations = first.lambdaIterations
    lambdaMax = try curve(\.lambdaMax, lambdaIterations.count)
    escapeIterations = traces.map { $0.escapeIteration(loss: plan.lossThreshold, distance: plan.distanceThreshold) }
    escapedFraction = Double(escapeIterations.compactMap { $0 }.count) / Double(traces.count)
    finalCentroidExcess = traces.map { $0.centroidExcess.last ?? .nan }
    finalDistance = traces.map { $0.distance.last ?? .nan }
    predictedExcessRisk = predicted
  }
}
