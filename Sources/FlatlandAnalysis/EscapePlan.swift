import FlatlandCore
import FlatlandExperiments
import Foundation

/// The escape protocol: from a local minimum w*, every strategy runs with equal μ, B and K
/// for N iterations over R repetitions (sampling seeds), recorded on log-spaced iterations.
public struct EscapePlan: Codable, Sendable, Equatable {
  /// Data set, model, K, topology, weights and μ of every run; `base.batch` is B.
  public var base: TrainingConfig
  public var strategies: [String] = ["centralized", "consensus", "diffusion"]
  /// w* as `RUN|CHECKPOINT[,agent=K|centroid]`; nil finds it by centralized training with
  /// `findBatch` per agent for `findIterations` iterations.
  public var from: String?
  public var findBatch = 256
  public var findIterations = 300
  /// N, the iterations of each escape run.
  public var iterations = 300
  /// R, the repetitions (seeds base.seed, base.seed + 1, ...).
  public var repetitions = 3
  /// Recorded iterations: about this many, log-spaced in 1…N.
  public var recordPoints = 16
  /// λ_max by Lanczos every M iterations (0: never).
  public var lambdaEvery = 100
  /// h: a run has escaped once J(w̄) − J(w*) > h ...
  public var lossThreshold = 0.05
  /// ... or ‖w̄ − w*‖ > r.
  public var distanceThreshold = Double.infinity
  /// The fixed training subset J averages over.
  public var samples = 1024

  public init(base: TrainingConfig = TrainingConfig()) { self.base = base }

  enum CodingKeys: String, CodingKey {
    case base, strategies, from, iterations, repetitions, samples
    case findBatch = "find_batch"
    case findIterations = "find_iterations"
    case recordPoints = "record_points"
    case lambdaEvery = "lambda_every"
    case lossThreshold = "loss_threshold"
    case distanceThreshold = "distance_threshold"
  }

  public func validate() throws {
    guard !strategies.isEmpty else { throw FlatlandError.invalid("strategies", "[]", accepted: "at least one") }
    for (name, v) in [
      ("iterations", iterations), ("repetitions", repetitions), ("record_points", recordPoints),
      ("find_batch", findBatch), ("find_iterations", findIterations), ("samples", samples),
    ] where v < 1 {
      throw FlatlandError.invalid(name, v, accepted: "a positive integer")
    }
    guard repetitions >= 2 else {
      throw FlatlandError.invalid("repetitions", repetitions, accepted: "at least 2 for a 95% interval")
    }
    guard lambdaEvery >= 0 else { throw FlatlandError.invalid("lambda_every", lambdaEvery, accepted: "0 or more") }
    // Recorded iterations pass through Double (log spacing), exact below 2⁵³; seeds are base.seed + r.
    guard iterations <= 1 << 53 else {
      throw FlatlandError.invalid("iterations", iterations, accepted: "at most 2^53 = \(1 << 53)")
    }
    guard UInt64(repetitions) <= UInt64.max - base.seed else {
      throw FlatlandError.invalid(
        "repetitions", repetitions, accepted: "at most \(UInt64.max - base.seed) (the seeds are seed + r)")
    }
    let recorded = recordPoints + (lambdaEvery > 0 ? iterations / lambdaEvery : 0) + 2
    try MemoryBudget.check(
      "an escape record of \(repetitions) repetitions × \(recorded) recorded iterations",
      [strategies.count, repetitions, recorded, 8], bytesEach: MemoryLayout<Double>.stride)
    guard lossThreshold > 0, !lossThreshold.isNaN, distanceThreshold > 0 else {
      throw FlatlandError.invalid(
        "escape thresholds", "\(lossThreshold), \(distanceThreshold)", accepted: "positive loss and distance")
    }
    var c = runConfig(strategy: strategies[0], repetition: 0, root: ".")
    c.initFrom = nil
    try c.validate()
  }

  /// The iterations recorded: 0, then about `recordPoints` log-spaced values in 1…N, N included.
  public var recordedIterations: [Int] {
    var points = Set([0, iterations])
    for j in 0..<recordPoints {
      let t = Double(j) / Double(max(1, recordPoints - 1))
      points.insert(Int((pow(Double(iterations), t)).rounded()))
    }
    if lambdaEvery > 0 { points.formUnion(stride(from: lambdaEvery, through: iterations, by: lambdaEvery)) }
    return points.sorted()
  }

  /// The config that finds w*: centralized with the large batch.
  func minimumConfig(root: String) -> TrainingConfig {
    var c = base
    (c.strategies, c.batch, c.iterations, c.initFrom) = (["centralized"], findBatch, findIterations, nil)
    (c.evalEvery, c.out) = (findIterations, root + "/minimum")
    return c
  }

  /// One escape run: `strategy` from w* with seed base.seed + repetition.
  func runConfig(strategy: String, repetition: Int, root: String) -> TrainingConfig {
    var c = base
    (c.strategies, c.iterations, c.evalEvery) = ([strategy], iterations, iterations)
    c.seed = base.seed + UInt64(repetition)
    c.initFrom = from ?? root + "/minimum/centralized"
    c.out = root + "/escape/\(strategy)-r\(repetition)"
    return c
  }
}
