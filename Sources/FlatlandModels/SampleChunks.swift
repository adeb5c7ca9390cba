import FlatlandCore

/// A fixed sample set cut once into contiguous chunks, each with its own workspace and partial
/// vector: the one way a network is evaluated over a whole set in parallel and
/// deterministically.
///
/// With n samples in C chunks, chunk c holds the n_c samples ⌊cn/C⌋ ..< ⌊(c+1)n/C⌋. A pass
/// (loss, gradient, Hessian-vector product) runs on each chunk in that chunk's workspace and
/// gives the chunk's mean J_c and, for vectors, its partial v_c; the set's values are the
/// by-count combinations
///
///     J = Σ_c (n_c/n) J_c,   v = Σ_c (n_c/n) v_c,
///
/// summed in chunk order. The split, not the thread count, fixes the arithmetic, so the numbers
/// are bit-identical for any number of threads. With more than one chunk, OpenBLAS is held to
/// one thread during the passes whatever the number of worker threads, so the two levels of
/// parallelism never oversubscribe the cores and the BLAS setting does not vary with the thread
/// count either; a single chunk runs on the caller's thread with BLAS as the caller set it, so
/// one large pass may use every core.
///
/// Owns the workspaces and partial vectors, so it serves one caller at a time.
public final class SampleChunks<T: FlatScalar>: @unchecked Sendable {
  public let network: Network
  /// n samples of `network.inputShape.count` scalars each, sample-major.
  public let features: [T]
  /// The n samples' classes.
  public let labels: [Int32]
  /// Threads the chunks run on.
  public let threads: Int
  /// Chunk c covers samples bounds[c] ..< bounds[c + 1].
  private let bounds: [Int]
  /// Chunk c's workspace, for batches of up to min(capacity, n_c) samples.
  public let workspaces: [Workspace<T>]
  /// Chunk c's partial vector at offset c·P (P = `network.parameterCount`).
  private let partials: UnsafeMutablePointer<T>

  /// - Parameters:
  ///   - features, labels: the n ≥ 0 samples (checked by the caller: this is not user input).
  ///   - chunks: number of chunks C ≥ 1 (capped at n, at least one).
  ///   - threads: threads the chunks run on (≥ 1).
  ///   - capacity: largest batch one pass processes (≥ 1); bigger chunks are looped over.
  public init(network: Network, features: [T], labels: [Int32], chunks: Int, threads: Int, capacity: Int) {
    precondition(features.count == labels.count * network.inputShape.count, "features and labels disagree")
    precondition(chunks >= 1 && threads >= 1 && capacity >= 1, "chunks, threads and capacity must be positive")
    let n = labels.count
    let c = max(1, min(chunks, n))
    self.network = network
    self.features = features
    self.labels = labels
    self.threads = threads
    bounds = (0...c).map { $0 * n / c }
    workspaces = (0..<c).map { [bounds] in
      network.makeWorkspace(capacity: max(1, min(capacity, bounds[$0 + 1] - bounds[$0])))
    }
    partials = ZeroedMemory.allocate(count: c * network.parameterCount)
  }

  deinit { ZeroedMemory.free(partials) }

  /// C, the number of chunks.
  public var count: Int { workspaces.count }

  /// n, the number of samples.
  public var sampleCount: Int { labels.count }

  /// The samples of chunk c.
  public func samples(_ c: Int) -> Range<Int> { bounds[c]..<bounds[c + 1] }

  /// Chunk c's partial vector (P entries), for its pass to write.
  public func partial(_ c: Int) -> UnsafeMutableBufferPointer<T> {
    UnsafeMutableBufferPointer(start: partials + c * network.parameterCount, count: network.parameterCount)
  }

  // MARK: - Passes

  /// Runs `pass(c, features_c, labels_c)` on every chunk c and returns the chunks' statistics in
  /// chunk order; `pass` uses `workspaces[c]` and `partial(c)` only.
  public func map(_ pass: (Int, UnsafeBufferPointer<T>, UnsafeBufferPointer<Int32>) -> LossStats) -> [LossStats] {
    let d = network.inputShape.count
    var stats = [LossStats](repeating: LossStats(loss: 0, correct: 0, count: 0), count: count)
    features.withUnsafeBufferPointer { f in
      labels.withUnsafeBufferPointer { l in
        stats.withUnsafeMutableBufferPointer { out in
          let out = out
          func work(_ c: Int) {
            let s = samples(c)
            out[c] = pass(
              c, UnsafeBufferPointer(rebasing: f[(s.lowerBound * d)..<(s.upperBound * d)]),
              UnsafeBufferPointer(rebasing: l[s]))
          }
          if count > 1 {
            BLASThreads.with(1) { parallelFor(count, threads: threads, work) }
          } else {
            work(0)
          }
        }
      }
    }
    return stats
  }

  // MARK: - Combination

  /// n_c / n, chunk c's weight in the set's mean.
  private func weight(_ c: Int) -> Double { Double(bounds[c + 1] - bounds[c]) / Double(sampleCount) }

  /// J = Σ_c (n_c/n) J_c and the summed correct count, in chunk order (J = 0 for no samples).
  public func combine(_ stats: [LossStats]) -> LossStats {
    precondition(stats.count == count, "one statistic per chunk")
    let loss = sampleCount == 0 ? 0 : stats.indices.reduce(0.0) { $0 + weight($1) * stats[$1].loss }
    return LossStats(loss: loss, correct: stats.reduce(0) { $0 + $1.correct }, count: sampleCount)
  }

  /// vector = Σ_c (n_c/n) partial_c, in chunk order (overwritten; P entries).
  public func combinePartials(into vector: UnsafeMutableBufferPointer<T>) {
    precondition(vector.count == network.parameterCount, "the combined vector has P entries")
    vector.update(repeating: 0)
    guard sampleCount > 0, let out = vector.baseAddress else { return }
    for c in 0..<count {
      VectorMath.axpy(weight(c), UnsafePointer(partial(c).baseAddress!), out, count: vector.count)
    }
  }
}
