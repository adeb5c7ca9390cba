import FlatlandData
import FlatlandModels

/// One agent's private training machinery: its sampler over its shard, its batch buffer and
/// its workspace. Only the thread running agent k touches context k.
final class AgentContext: @unchecked Sendable {
  var sampler: BatchSampler
  var batch: Batch
  let workspace: Workspace<Float>

  init(sampler: BatchSampler, network: Network) {
    self.sampler = sampler
    batch = sampler.makeBatch()
    workspace = network.makeWorkspace(capacity: sampler.batchSize, of: Float.self)
  }

  /// Draws the next mini-batch and writes ∇Q_k(w) on it into `gradient`.
  func gradient(_ network: Network, _ w: UnsafeBufferPointer<Float>, _ gradient: UnsafeMutableBufferPointer<Float>) -> LossStats {
    sampler.next(into: &batch)
    let n = batch.count
    return batch.features.withUnsafeBufferPointer { f in
      batch.labels.withUnsafeBufferPointer { l in
        network.lossAndGradient(
          w, features: UnsafeBufferPointer(rebasing: f[0..<(n * network.inputShape.count)]),
          labels: UnsafeBufferPointer(rebasing: l[0..<n]), gradient: gradient, workspace: workspace)
      }
    }
  }
}
