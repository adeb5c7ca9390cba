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
    let isFile = target.hasSuffix(".bin")
    let folder = URL(fileURLWithPath: isFile ? (target as NSString).deletingLastPathComponent : target)
    checkpoint = try Checkpoint.read(from: isFile ? target : folder.appendingPathComponent(Checkpoint.fileName).path)
    let h = checkpoint.header
    network = try Network.named(h.model, input: h.inputShape, classes: h.classes)
    let spec = try dataset ?? RunFolder.storedConfig(folder.deletingLastPathComponent().path).dataset
    let data = try DataSpec(parsing: spec).load(dataDir: nil, seed: 0).train.prefix(samples)
    guard data.shape == h.inputShape, data.classes == h.classes else {
      throw FlatlandError.invalid(
        "dataset", spec, accepted: "samples of shape \(h.inputShape) with \(h.classes) classes, as the checkpoint's model \(h.model)")
    }
    objective = try NetworkObjective(network: network, features: data.features, labels: data.labels)
  }

  /// w̄ = (1/K) Σ_k w_k.
  var centroid: [Float] { VectorMath.mean(checkpoint.parameters.rows) }
}
