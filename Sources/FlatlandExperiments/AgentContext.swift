import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies

/// One agent's private training machinery: its sampler over its shard, its batch buffer, its
/// workspace and, under sharpness-aware minimization, its ascent point. Only the thread running
/// agent k touches context k.
final class AgentContext: @unchecked Sendable {
  var sampler: BatchSampler
  var batch: Batch
  let workspace: Workspace<Float>
  /// The transform of every gradient, when sharpness-aware.
  let sharpness: SharpnessAware?
  /// w + ε, P entries made once (empty without `sharpness`).
  private var ascentPoint: [Float]

  init(sampler: BatchSampler, network: Network, sharpness: SharpnessAware? = nil) {
    self.sampler = sampler
    batch = sampler.makeBatch()
    workspace = network.makeWorkspace(capacity: sampler.batchSize, of: Float.self)
    self.sharpness = sharpness
    ascentPoint = [Float](repeating: 0, count: sharpness == nil ? 0 : network.parameterCount)
  }

  /// Draws the next mini-batch and writes ∇Q_k(w) on it into `gradient`; when sharpness-aware,
  /// ∇Q_k(w + ε) on that same batch (two passes), returning the statistics at w.
  func gradient(_ network: Network, _ w: UnsafeBufferPointer<Float>, _ gradient: UnsafeMutableBufferPointer<Float>)
    -> LossStats
  {
    nextBatch(network) { features, labels in
      let pass = { (x: UnsafeBufferPointer<Float>, g: UnsafeMutableBufferPointer<Float>) in
        network.lossAndGradient(x, features: features, labels: labels, gradient: g, workspace: self.workspace)
      }
      guard let sharpness else { return pass(w, gradient) }
      return ascentPoint.withUnsafeMutableBufferPointer { sharpness.gradient(at: w, into: gradient, point: $0, pass) }
    }
  }

  /// Draws the next mini-batch and applies the SGD step of its gradient at w to `target`:
  /// target ← (1 − μλ) target − μ∇Q_k(w) (target may be w itself).
  func descend(
    _ network: Network, from w: UnsafeBufferPointer<Float>, onto target: UnsafeMutableBufferPointer<Float>,
    stepSize mu: Float, weightDecay lambda: Float
  ) -> LossStats {
    precondition(sharpness == nil, "the fused descent takes no sharpness-aware gradient")
    return nextBatch(network) { features, labels in
      network.descend(
        from: w, onto: target, stepSize: mu, weightDecay: lambda, features: features, labels: labels,
        workspace: workspace)
    }
  }

  /// Draws the next mini-batch and hands its filled part to `body`.
  private func nextBatch(
    _ network: Network, _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) -> LossStats
  ) -> LossStats {
    sampler.next(into: &batch)
    let n = batch.count
    let width = network.inputShape.count
    return batch.features.withUnsafeBufferPointer { f in
      batch.labels.withUnsafeBufferPointer { l in
        body(UnsafeBufferPointer(rebasing: f[0..<(n * width)]), UnsafeBufferPointer(rebasing: l[0..<n]))
      }
    }
  }
}
