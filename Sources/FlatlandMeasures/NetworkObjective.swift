import FlatlandCore
import FlatlandModels

/// J(w) = (1/n) Σ_s ℓ(w; x_s, y_s): a network's mean loss over a fixed sample set.
///
/// The set is split once into `parts` contiguous chunks (`SampleChunks`): each chunk's mean
/// loss, gradient and HVP is computed in its own workspace on up to `threads` threads, and the
/// results are combined by sample count in chunk order, so the numbers are bit-identical for
/// any number of threads.
///
/// When every chunk fits its own workspace within `cacheBudget` bytes, the workspaces double as
/// a curvature cache: consecutive Hessian-vector products at the same w (Lanczos, Hutchinson)
/// run the forward pass and the gradient sweep once and then only the directional passes.
///
/// Holds the per-chunk workspaces and partial results, so it is not thread-safe: one per thread.
public final class NetworkObjective<T: FlatScalar>: Objective {
  public typealias Scalar = T
  /// The samples, their split and each chunk's workspace and partial vector.
  private let chunks: SampleChunks<T>
  /// Whether each chunk's workspace holds all of its samples (the curvature cache fits).
  public let cachesCurvature: Bool
  /// The point the workspaces are prepared at, and each chunk's loss there.
  private var prepared: (w: [T], stats: [LossStats])?
  /// Batch-of-one passes get their own workspace, so per-sample gradients taken between HVPs
  /// (the gradient-noise estimate alternates them) leave the curvature cache intact.
  private lazy var single = network.makeWorkspace(capacity: 1, of: T.self)

  /// - Parameters:
  ///   - features: n samples of `network.inputShape.count` scalars each (n ≥ 1).
  ///   - labels: n classes in 0 ..< `network.classes`.
  ///   - parts: number of chunks the set is split into (capped at n).
  ///   - threads: threads the chunks run on.
  ///   - capacity: largest batch one pass processes when the curvature cache does not fit;
  ///     bigger chunks are looped over.
  ///   - cacheBudget: bytes the chunk workspaces may take to hold whole chunks.
  /// - Throws: `FlatlandError` for an empty or inconsistent sample set or non-positive counts.
  public init(
    network: Network, features: [T], labels: [Int32], parts: Int = 2, threads: Int = min(2, availableCores),
    capacity: Int = 256,
    cacheBudget: Int = 512 << 20
  ) throws {
    let n = labels.count
    guard n > 0 else { throw FlatlandError.invalid("sample count", 0, accepted: "at least one sample") }
    guard features.count == n * network.inputShape.count else {
      throw FlatlandError.invalid(
        "feature count", features.count,
        accepted: "\(n) samples × \(network.inputShape.count) features = \(n * network.inputShape.count)")
    }
    if let bad = labels.first(where: { $0 < 0 || Int($0) >= network.classes }) {
      throw FlatlandError.invalid("label", bad, accepted: "a class in 0..<\(network.classes)")
    }
    guard parts >= 1 else { throw FlatlandError.invalid("sample parts", parts, accepted: "a positive integer") }
    guard threads >= 1 else { throw FlatlandError.invalid("threads", threads, accepted: "a positive integer") }
    guard capacity >= 1 else {
      throw FlatlandError.invalid("workspace capacity", capacity, accepted: "a positive integer")
    }
    let bytesPerSample = network.makeWorkspace(capacity: 1, of: T.self).scalarCount * MemoryLayout<T>.size
    cachesCurvature = bytesPerSample * n <= cacheBudget
    chunks = SampleChunks(
      network: network, features: features, labels: labels, chunks: parts, threads: threads,
      capacity: cachesCurvature ? n : capacity)
  }

  public var network: Network { chunks.network }
  public var features: [T] { chunks.features }
  public var labels: [Int32] { chunks.labels }
  public var threads: Int { chunks.threads }
  public var dimension: Int { network.parameterCount }
  public var sampleCount: Int { labels.count }

  /// Mean loss and accuracy over the whole set.
  public func evaluate(_ w: [T]) -> LossStats {
    prepared = nil
    let stats = run(w) { c, wp, f, l in network.evaluate(wp, features: f, labels: l, workspace: chunks.workspaces[c]) }
    return chunks.combine(stats)
  }

  public func loss(_ w: [T]) -> Double { evaluate(w).loss }

  public func lossAndGradient(_ w: [T], gradient: inout [T]) -> Double {
    prepared = nil
    let stats = run(w) { c, wp, f, l in
      network.lossAndGradient(
        wp, features: f, labels: l, gradient: chunks.partial(c), workspace: chunks.workspaces[c])
    }
    combinePartials(into: &gradient)
    return chunks.combine(stats).loss
  }

  public func hessianVectorProduct(_ w: [T], direction v: [T], result: inout [T]) {
    guard cachesCurvature else {
      _ = v.withUnsafeBufferPointer { vp in
        run(w) { c, wp, f, l in
          network.hessianVectorProduct(
            wp, direction: vp, features: f, labels: l, result: chunks.partial(c), workspace: chunks.workspaces[c])
        }
      }
      return combinePartials(into: &result)
    }
    let stats = prepare(w)
    v.withUnsafeBufferPointer { vp in
      _ = run(w) { c, wp, f, _ in
        network.preparedHessianVectorProduct(
          wp, direction: vp, features: f, result: chunks.partial(c), workspace: chunks.workspaces[c])
        return stats[c]
      }
    }
    combinePartials(into: &result)
  }

  /// J(w) from the forward pass and gradient sweep that HVPs at w then reuse (a plain
  /// evaluation when the curvature cache does not fit).
  public func prepareCurvature(at w: [T]) -> Double {
    cachesCurvature ? chunks.combine(prepare(w)).loss : loss(w)
  }

  /// Each chunk's loss at w, running the forward pass and gradient sweep unless the
  /// workspaces already hold them for w.
  private func prepare(_ w: [T]) -> [LossStats] {
    if let prepared, prepared.w == w { return prepared.stats }
    let stats = run(w) { c, wp, f, l in
      network.prepareCurvature(wp, features: f, labels: l, workspace: chunks.workspaces[c])
    }
    prepared = (w, stats)
    return stats
  }

  /// ℓ(w; x_s, y_s) of sample `s` alone; writes its gradient ∇ℓ_s(w) into `gradient` (d
  /// entries, overwritten). A batch-of-one pass on this thread.
  public func sampleLossAndGradient(_ w: [T], sample s: Int, gradient: inout [T]) -> Double {
    precondition(s >= 0 && s < labels.count, "sample \(s) is outside 0..<\(labels.count)")
    let f = network.inputShape.count
    return w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in
        labels.withUnsafeBufferPointer { lp in
          gradient.withUnsafeMutableBufferPointer { gp in
            network.lossAndGradient(
              wp, features: UnsafeBufferPointer(rebasing: fp[(s * f)..<((s + 1) * f)]),
              labels: UnsafeBufferPointer(rebasing: lp[s..<(s + 1)]),
              gradient: gp, workspace: single
            ).loss
          }
        }
      }
    }
  }

  // MARK: - Chunks

  /// Runs `pass(chunk, w, features, labels)` on every chunk.
  private func run(
    _ w: [T], _ pass: (Int, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<Int32>) -> LossStats
  ) -> [LossStats] {
    w.withUnsafeBufferPointer { wp in chunks.map { c, f, l in pass(c, wp, f, l) } }
  }

  /// vector = Σ_c (n_c/n) partial_c.
  private func combinePartials(into vector: inout [T]) {
    vector.withUnsafeMutableBufferPointer { chunks.combinePartials(into: $0) }
  }
}
