import FlatlandCore
import FlatlandData
import FlatlandExperiments
import FlatlandMeasures
import FlatlandModels
import Foundation

/// A trained run opened for measurement: its checkpoint, its model, and the loss over the first
/// `samples` training samples of its data set (or of `dataset`, when given).
struct MeasuredRun {
  let checkpoint: Checkpoint
  let network: Network
  let objective: NetworkObjective<Float>

  /// `target` is a strategy run folder holding `checkpoint.bin`, or a checkpoint file.
  init(_ target: String, dataset: String?, samples: Int) throws {
    let path: String
    (checkpoint, path) = try Self.openCheckpoint(target)
    network = try checkpoint.network(path: path)
    let h = checkpoint.header
    let spec = try dataset ?? Self.trainingSet(of: path)
    let data = try DataSpec(parsing: spec).load(dataDir: nil, seed: 0).train.prefix(samples)
    guard data.shape == h.inputShape, data.classes == h.classes else {
      throw FlatlandError.invalid(
        "dataset", spec,
        accepted: "samples of shape \(h.inputShape) with \(h.classes) classes, as the checkpoint's model \(h.model)")
    }
    objective = try NetworkObjective(network: network, features: data.features, labels: data.labels)
  }

  /// w̄ = (1/K) Σ_k w_k.
  var centroid: [Float] { VectorMath.mean(checkpoint.parameters.rows) }

  /// Reads the checkpoint of `target`: `target/checkpoint.bin` for a folder, else the file itself.
  static func openCheckpoint(_ target: String) throws -> (checkpoint: Checkpoint, path: String) {
    var isDirectory: ObjCBool = false
    let isFolder = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) && isDirectory.boolValue
    let path = isFolder ? URL(fileURLWithPath: target).appendingPathComponent(Checkpoint.fileName).path : target
    return (try Checkpoint.read(from: path), path)
  }

  /// The training set of the `flatland train` folder a strategy's checkpoint sits in
  /// (`ROOT/STRATEGY/checkpoint.bin`, with the config in `ROOT/config.json`).
  static func trainingSet(of checkpointPath: String) throws -> String {
    let root = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent().deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: root.appendingPathComponent("config.json").path) else {
      throw FlatlandError(
        .invalidArgument,
        "checkpoint '\(checkpointPath)' is not inside a flatland train output folder, so it names no data: pass "
          + "--dataset SPEC"
      )
    }
    return try RunFolder.storedConfig(root.path).dataset
  }
}
