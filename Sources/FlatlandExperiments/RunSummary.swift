import FlatlandCore
import Foundation

/// `summary.json`: the strategy, its full config, the final metrics and timings.
public struct RunSummary: Codable, Sendable {
  public var strategy: String
  public var config: TrainingConfig
  public var final: Final
  public var iterations: Int
  public var trainSeconds: Double

  /// The final evaluation under the names researchers compare runs by.
  public struct Final: Codable, Sendable {
    public var testAccuracyCentroid: Double
    public var testAccuracyAgentsMean: Double
    public var testAccuracyWorstAgent: Double
    public var testLossCentroid: Double
    public var trainLossCentroid: Double
    public var trainAccuracyCentroid: Double
    public var disagreement: Double
    public var gradNormCentroid: Double
    public var samplesPerSecond: Double
    /// The SWA average's test accuracy and training loss, in runs that keep one.
    public var testAccuracySWA: Double?
    public var trainLossSWA: Double?

    enum CodingKeys: String, CodingKey {
      case disagreement
      case testAccuracyCentroid = "test_accuracy_centroid"
      case testAccuracyAgentsMean = "test_accuracy_agents_mean"
      case testAccuracyWorstAgent = "test_accuracy_worst_agent"
      case testLossCentroid = "test_loss_centroid"
      case trainLossCentroid = "train_loss_centroid"
      case trainAccuracyCentroid = "train_accuracy_centroid"
      case gradNormCentroid = "grad_norm_centroid"
      case samplesPerSecond = "samples_per_s"
      case testAccuracySWA = "test_accuracy_swa"
      case trainLossSWA = "train_loss_swa"
    }
  }

  enum CodingKeys: String, CodingKey {
    case strategy, config, final, iterations
    case trainSeconds = "train_seconds"
  }

  init(strategy: String, config: TrainingConfig, final r: MetricsRecord, iterations: Int, trainSeconds: Double) {
    self.strategy = strategy
    self.config = config
    self.iterations = iterations
    self.trainSeconds = trainSeconds
    final = Final(
      testAccuracyCentroid: r.testAccuracyCentroid, testAccuracyAgentsMean: r.testAccuracyAgentsMean,
      testAccuracyWorstAgent: r.testAccuracyWorstAgent, testLossCentroid: r.testLossCentroid,
      trainLossCentroid: r.trainLossCentroid, trainAccuracyCentroid: r.trainAccuracyCentroid,
      disagreement: r.disagreement,
      gradNormCentroid: r.gradNormCentroid, samplesPerSecond: r.samplesPerSecond, testAccuracySWA: r.testAccuracySWA,
      trainLossSWA: r.trainLossSWA)
  }

  func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try AtomicFile.write(try encoder.encode(self), to: url.path)
  }
}
