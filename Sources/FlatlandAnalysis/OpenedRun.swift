import FlatlandCore
import FlatlandData
import FlatlandExperiments
import FlatlandMeasures
import FlatlandModels
import Foundation

/// A trained run opened for measurement: its checkpoint, its model, the config of the `train`
/// folder it sits in (when it does), and the loss over the first N samples of its training set.
public struct OpenedRun {
  /// Where the checkpoint was read from.
  public let path: String
  public let checkpoint: Checkpoint
  public let network: Network
  /// The `train` config of the folder around the checkpoint; nil for a bare checkpoint file.
  public let config: TrainingConfig?
  /// The data spec the objective was built from.
  public let dataset: String
  /// J(w) over the first `samples` training samples, with gradients and exact HVPs.
  public let objective: NetworkObjective<Float>

  /// Opens `target`, a strategy run folder holding `checkpoint.bin` or a checkpoint file.
  /// - Parameters:
  ///   - target: the run folder or checkpoint file.
  ///   - dataset: the data spec of the loss; nil takes the run's training set, which a
  ///     checkpoint outside a `train` folder does not name.
  ///   - samples: N, the training samples the loss averages over (fewer when the set is smaller).
  /// - Throws: `FlatlandError` for an unreadable checkpoint, no data spec, or data whose shape
  ///   or classes differ from the checkpoint's model.
  public init(_ target: String, dataset: String? = nil, samples: Int) throws {
    (checkpoint, path) = try Self.openCheckpoint(target)
    network = try checkpoint.network(path: path)
    config = Self.trainingConfig(around: path)
    guard let spec = dataset ?? config?.dataset else {
      throw FlatlandError(
        .invalidArgument,
        "checkpoint '\(path)' is not inside a flatland train output folder, so it names no data: pass --dataset SPEC")
    }
    self.dataset = spec
    let h = checkpoint.header
    let data = try DataSpec(parsing: spec).load(dataDir: config?.dataDir, seed: 0).train.prefix(samples)
    guard data.shape == h.inputShape, data.classes == h.classes else {
      throw FlatlandError.invalid(
        "dataset", spec,
        accepted: "samples of shape \(h.inputShape) with \(h.classes) classes, as the checkpoint's model \(h.model)")
    }
    objective = try NetworkObjective(network: network, features: data.features, labels: data.labels)
  }

  /// K, the agents stored in the checkpoint.
  public var agents: Int { checkpoint.parameters.agents }

  /// w̄ = (1/K) Σ_k w_k.
  public var centroid: [Float] { (try? checkpoint.parameters(at: .centroid)) ?? [] }

  /// Agent k's parameters w_k.
  public func agent(_ k: Int) throws -> [Float] { try checkpoint.parameters(at: .agent(k)) }

  /// Reads the checkpoint of `target` (`Checkpoint.open`): `target/checkpoint.bin` for a folder, else
  /// the file itself; for a train output folder the error names its strategy folders.
  public static func openCheckpoint(_ target: String) throws -> (checkpoint: Checkpoint, path: String) {
    try Checkpoint.open(target)
  }

  /// The config of the `flatland train` folder a strategy's checkpoint sits in
  /// (`ROOT/STRATEGY/checkpoint.bin`, with the config in `ROOT/config.json`), if any.
  static func trainingConfig(around checkpointPath: String) -> TrainingConfig? {
    let root = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent().deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: root.appendingPathComponent("config.json").path) else { return nil }
    return try? RunFolder.storedConfig(root.path)
  }
}
