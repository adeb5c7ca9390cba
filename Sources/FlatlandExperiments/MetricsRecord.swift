import FlatlandCore
import FlatlandModels
import Foundation

/// One evaluation point of a run: what `metrics.csv` and `metrics.jsonl` hold per line.
///
/// "Centroid" is w̄ = (1/K) Σ_k w_k; "agents" statistics evaluate each agent's own w_k and
/// average (or take the worst); disagreement is (1/K) Σ_k ‖w_k − w̄‖². The `swa` values
/// evaluate the stochastic weight average (`WeightAveraging`) on the centroid's samples, once it
/// holds a centroid; before that, and in runs without it, they are absent (empty in the CSV).
public struct MetricsRecord: Codable, Sendable, Equatable {
  public var iteration: Int
  public var epoch: Double
  public var samples: Int
  public var wallSeconds: Double
  public var samplesPerSecond: Double
  public var stepSize: Double
  public var trainLossCentroid: Double
  public var trainAccuracyCentroid: Double
  public var trainLossAgentsMean: Double
  public var trainAccuracyAgentsMean: Double
  public var testLossCentroid: Double
  public var testAccuracyCentroid: Double
  public var testLossAgentsMean: Double
  public var testAccuracyAgentsMean: Double
  public var testAccuracyWorstAgent: Double
  public var disagreement: Double
  public var gradNormCentroid: Double
  public var trainLossSWA: Double? = nil
  public var trainAccuracySWA: Double? = nil
  public var testLossSWA: Double? = nil
  public var testAccuracySWA: Double? = nil

  enum CodingKeys: String, CodingKey, CaseIterable {
    case iteration, epoch, samples, disagreement
    case wallSeconds = "wall_seconds"
    case samplesPerSecond = "samples_per_s"
    case stepSize = "step_size"
    case trainLossCentroid = "train_loss_centroid"
    case trainAccuracyCentroid = "train_accuracy_centroid"
    case trainLossAgentsMean = "train_loss_agents_mean"
    case trainAccuracyAgentsMean = "train_accuracy_agents_mean"
    case testLossCentroid = "test_loss_centroid"
    case testAccuracyCentroid = "test_accuracy_centroid"
    case testLossAgentsMean = "test_loss_agents_mean"
    case testAccuracyAgentsMean = "test_accuracy_agents_mean"
    case testAccuracyWorstAgent = "test_accuracy_worst_agent"
    case gradNormCentroid = "grad_norm_centroid"
    case trainLossSWA = "train_loss_swa"
    case trainAccuracySWA = "train_accuracy_swa"
    case testLossSWA = "test_loss_swa"
    case testAccuracySWA = "test_accuracy_swa"
  }

  /// CSV header, in a fixed column order.
  static var csvHeader: String { CodingKeys.allCases.map(\.rawValue).joined(separator: ",") }

  /// The record's values in `csvHeader` order.
  var csvLine: String {
    let values: [String] =
      [
        "\(iteration)", "\(epoch)", "\(samples)", "\(disagreement)", "\(wallSeconds)", "\(samplesPerSecond)",
        "\(stepSize)",
        "\(trainLossCentroid)", "\(trainAccuracyCentroid)", "\(trainLossAgentsMean)", "\(trainAccuracyAgentsMean)",
        "\(testLossCentroid)", "\(testAccuracyCentroid)", "\(testLossAgentsMean)", "\(testAccuracyAgentsMean)",
        "\(testAccuracyWorstAgent)", "\(gradNormCentroid)",
      ] + [trainLossSWA, trainAccuracySWA, testLossSWA, testAccuracySWA].map { $0.map { "\($0)" } ?? "" }
    return values.joined(separator: ",")
  }
}

extension MetricsRecord {
  /// Every record of the `metrics.jsonl` in `folder`.
  public static func read(folder: URL) throws -> [MetricsRecord] {
    let path = folder.appendingPathComponent("metrics.jsonl").path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(.io, "cannot read '\(path)'")
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return try data.split(separator: UInt8(ascii: "\n")).map {
        try decoder.decode(MetricsRecord.self, from: Data($0))
      }
    } catch {
      throw FlatlandError(.format, "'\(path)' holds a line that is not a metrics record")
    }
  }
}
