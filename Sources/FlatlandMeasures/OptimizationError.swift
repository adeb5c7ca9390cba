import FlatlandCore

/// How well a run reached a minimum: loss and stationarity at a point, how far apart agents or
/// runs ended, and the excess over a reference minimum.
public struct Stationarity: Codable, Sendable, Equatable {
  /// J(w) over the objective's full sample set.
  public var loss: Double
  /// ‖∇J(w)‖₂: zero exactly at a stationary point.
  public var gradientNorm: Double

  enum CodingKeys: String, CodingKey {
    case loss
    case gradientNorm = "gradient_norm"
  }
}

public enum OptimizationError {
  /// Full-data loss and gradient norm at w.
  /// - Throws: `FlatlandError` for a point of the wrong length or a non-finite loss or gradient.
  public static func stationarity<O: Objective>(_ objective: O, at w: [O.Scalar]) throws -> Stationarity {
    _ = try objective.checkedLoss(at: w)
    let (loss, gradient) = try objective.checkedGradient(w)
    return Stationarity(loss: loss, gradientNorm: VectorMath.norm(gradient))
  }

  /// Disagreement (1/K) Σ_k ‖w_k − w̄‖² with w̄ = (1/K) Σ_k w_k: the consensus error of K agents,
  /// zero exactly when all agree.
  /// - Throws: `FlatlandError` for no vectors or vectors of different lengths.
  public static func disagreement<T: FlatScalar>(_ agents: [[T]]) throws -> Double {
    guard let first = agents.first else {
      throw FlatlandError.invalid("agent count", 0, accepted: "at least one parameter vector")
    }
    if let bad = agents.first(where: { $0.count != first.count }) {
      throw FlatlandError.invalid(
        "parameter vector length", bad.count, accepted: "\(first.count), the length of the first vector")
    }
    return VectorMath.meanSquaredDistance(agents, to: VectorMath.mean(agents))
  }

  /// ‖a − b‖₂, e.g. between the minima two strategies reached from the same initialization.
  /// - Throws: `FlatlandError` for vectors of different lengths.
  public static func distance<T: FlatScalar>(_ a: [T], _ b: [T]) throws -> Double {
    guard a.count == b.count else {
      throw FlatlandError.invalid(
        "parameter vector length", b.count, accepted: "\(a.count), the length of the first vector")
    }
    return VectorMath.squaredDistance(a, b).squareRoot()
  }

  /// Excess risk J(w) − J(w_ref) against a reference minimum (e.g. a long centralized run).
  /// Negative values mean the reference was not a minimum for this objective.
  /// - Throws: `FlatlandError` for points of the wrong length or non-finite losses.
  public static func excessRisk<O: Objective>(_ objective: O, at w: [O.Scalar], reference: [O.Scalar]) throws -> Double
  {
    try objective.checkedLoss(at: w) - objective.checkedLoss(at: reference)
  }
}

/// Mean and spread of one measure over agents (or runs).
public struct Spread: Codable, Sendable, Equatable {
  public var mean: Double
  /// Sample standard deviation (n − 1), 0 for a single value.
  public var std: Double
  public var min: Double
  public var max: Double
  public var count: Int

  /// - Throws: `FlatlandError` for no values.
  public init(_ values: [Double]) throws {
    guard !values.isEmpty else { throw FlatlandError.invalid("value count", 0, accepted: "at least one value") }
    var stats = RunningMean()
    for v in values { stats.add(v) }
    mean = stats.mean
    std = stats.variance.squareRoot()
    min = values.min()!
    max = values.max()!
    count = values.count
  }

  enum CodingKeys: String, CodingKey {
    case mean, std, min, max, count
  }
}
