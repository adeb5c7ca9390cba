import FlatlandCore
import FlatlandExperiments
import Foundation

/// One trained run of a sweep: where it sits in the grid, its accuracy, its optimization
/// error (training loss, gradient norm and disagreement at the end) and its flatness at the
/// centroid.
public struct SweepRun: Codable, Sendable, Equatable {
  public var strategy: String
  public var batch: Int
  public var topology: String
  public var partition: String
  public var seed: UInt64
  public var lr: Double
  /// The run's folder, relative to the sweep's folder.
  public var folder: String
  public var testAccuracyCentroid: Double
  public var testAccuracyAgentsMean: Double
  public var trainLossCentroid: Double
  public var gradNormCentroid: Double
  public var disagreement: Double
  public var lambdaMax: Double
  public var trace: Double
  public var sharpnessAvg: Double
  /// The SWA average's test accuracy, in sweeps whose runs keep one (`swa`).
  public var testAccuracySWA: Double? = nil

  enum CodingKeys: String, CodingKey {
    case strategy, batch, topology, partition, seed, lr, folder, disagreement, trace
    case testAccuracyCentroid = "test_accuracy_centroid"
    case testAccuracyAgentsMean = "test_accuracy_agents_mean"
    case trainLossCentroid = "train_loss_centroid"
    case gradNormCentroid = "grad_norm_centroid"
    case lambdaMax = "lambda_max"
    case sharpnessAvg = "sharpness_avg"
    case testAccuracySWA = "test_accuracy_swa"
  }

  /// The run's metrics by name: what cells summarize and fits regress on.
  public static let metrics: [(name: String, value: @Sendable (SweepRun) -> Double)] = [
    ("test_accuracy_centroid", \.testAccuracyCentroid), ("test_accuracy_agents_mean", \.testAccuracyAgentsMean),
    ("train_loss_centroid", \.trainLossCentroid), ("grad_norm_centroid", \.gradNormCentroid),
    ("disagreement", \.disagreement), ("lambda_max", \.lambdaMax), ("trace", \.trace),
    ("sharpness_avg", \.sharpnessAvg),
  ]

  /// The flatness a sweep measures at each run's centroid, with the seed of its group.
  static func settings(seed: UInt64) -> FlatnessSettings {
    var s = FlatnessSettings()
    s.measures = [.eig, .trace, .sharpness]
    s.seed = seed
    return s
  }

  /// The run of `summary` in `group`, measured at its centroid on `samples` training samples;
  /// the measures are kept in the strategy folder's `measures.json`, so they are taken once.
  static func measure(
    _ summary: RunSummary, group: SweepPlan.Group, root: String, samples: Int
  ) throws -> SweepRun {
    let folder = group.config.out + "/" + summary.strategy
    let cache = folder + "/measures.json"
    let point: PointFlatness
    if let data = FileManager.default.contents(atPath: cache),
      let cached = try? JSONRendering.decode(PointFlatness.self, from: data)
    {
      point = cached
    } else {
      let run = try OpenedRun(folder, samples: samples)
      point = try PointFlatness(
        run.objective, at: run.centroid, point: "centroid", agent: nil, settings: settings(seed: group.seed))
      try OutputFolder.writeJSON(point, to: cache)
    }
    let f = summary.final
    return SweepRun(
      strategy: summary.strategy, batch: group.batch, topology: group.topology, partition: group.partition,
      seed: group.seed, lr: group.config.lr, folder: "runs/\(group.name)/\(summary.strategy)",
      testAccuracyCentroid: f.testAccuracyCentroid, testAccuracyAgentsMean: f.testAccuracyAgentsMean,
      trainLossCentroid: f.trainLossCentroid, gradNormCentroid: f.gradNormCentroid, disagreement: f.disagreement,
      lambdaMax: point.lambdaMax ?? .nan, trace: point.trace ?? .nan, sharpnessAvg: point.sharpnessAvg ?? .nan,
      testAccuracySWA: f.testAccuracySWA)
  }
}
