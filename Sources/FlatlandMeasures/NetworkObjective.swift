import FlatlandCore
import FlatlandModels

/// J(w) = (1/n) Σ_s ℓ(w; x_s, y_s): a network's mean loss over a fixed sample set.
///
/// The set is split once into `parts` contiguous chunks of n_p samples; each chunk's mean loss
/// J_p, gradient and HVP is computed in its own workspace, and the results are combined as
/// J = Σ_p (n_p/n) J_p in chunk order. The split, not the thread count, fixes the arithmetic,
/// so the numbers are bit-identical for any number of threads. Chunks run on up to `threads`
/// threads with OpenBLAS held to one thread meanwhile, so the two levels of parallelism never
/// oversubscribe the cores.
///
/// When every chunk fits its own workspace within `cacheBudget` bytes, the workspaces double as
/// a curvature cache: consecutive Hessian-vector products at the same w (Lanczos, Hutchinson)
/// run the forward pass and the gradient sweep once and then only the directional passes.
///
/// Holds the per-chunk workspaces and partial results, so it is not thread-safe: one per thread.
public final class NetworkObjective<T: FlatScalar>: Objective {
  public typealias Scalar = T
  public let network: Network
  public let features: [T]
  public let labels: [Int32]
  public let threads: Int
  /// Chunk c covers samples bounds[c] ..< bounds[c + 1].
  private let bounds: [Int]
  private let workspaces: [Workspace<T>]
  private let partials: [UnsafeMutableBufferPointer<T>]
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
    self.network = network
    self.features = features
    self.labels = labels
    self.threads = threads
    let chunks = min(parts, n)
    bounds = (0...chunks).map { $0 * n / chunks }
    let bytesPerSample = network.makeWorkspace(capacity: 1, of: T.self).scalarCount * MemoryLayout<T>.size
    cachesCurvature = bytesPerSample * n <= cacheBudget
    let perPass = cachesCurvature ? n : capacity
    workspaces = (0..<chunks).map { c in
      network.makeWorkspace(capacity: min(perPass, (c + 1) * n / chunks - c * n / chunks))
    }
    partials = (0..<chunks).map { _ in
      let p = UnsafeMutableBufferPointer<T>.allocate(capacity: network.parameterCount)
      p.initialize(repeating: 0)
      return p
    }
  }

  deinit { for p in partials { p.deallocate() } }

  public var dimension: Int { network.parameterCount }
  public var sampleCount: Int { labels.count }

  /// Mean loss and accuracy over the whole set.
  public func evaluate(_ w: [T]) -> LossStats {
    prepared = nil
    let stats = run(w) { c, wp, f, l in self.network.evaluate(wp, features: f, labels: l, workspace: self.workspaces[c])
    }
    return combine(stats)
  }

  public func loss(_ w: [T]) -> Double { evaluate(w).loss }

  public func lossAndGradient(_ w: [T], gradient: inout [T]) -> Double {
    prepared = nil
    let stats = run(w) { c, wp, f, l in
      self.network.lossAndGradient(
        wp, features: f, labels: l, gradient: self.partials[c], workspace: self.workspaces[c])
    }
    combine(stats, into: &gradient)
    return combine(stats).loss
  }

  public func hessianVectorProduct(_ w: [T], direction v: [T], result: inout [T]) {
    guard cachesCurvature else {
      let stats = v.withUnsafeBufferPointer { vp in
        run(w) { c, wp, f, l in
          self.network.hessianVectorProduct(
            wp, direction: vp, features: f, labels: l, result: self.partials[c], workspace: self.workspaces[c])
        }
      }
      return combine(stats, into: &result)
    }
    let stats = prepare(w)
    v.withUnsafeBufferPointer { vp in
      _ = run(w) { c, wp, f, _ in
        self.network.preparedHessianVectorProduct(
          wp, direction: vp, features: f, result: self.partials[c], workspace: self.workspaces[c])
        return stats[c]
      }
    }
    combine(stats, into: &result)
  }

  /// J(w) from the forward pass and gradient sweep that HVPs at w then reuse (a plain
  /// evaluation when the curvature cache does not fit).
  public func prepareCurvature(at w: [T]) -> Double {
    cachesCurvature ? combine(prepare(w)).loss : loss(w)
  }

  /// Each chunk's loss at w, running the forward pass and gradient sweep unless the
  /// workspaces already hold them for w.
  private func prepare(_ w: [T]) -> [LossStats] {
    if let prepared, prepared.w == w { return prepared.stats }
    let stats = run(w) { c, wp, f, l in
      self.network.prepareCurvature(wp, features: f, labels: l, workspace: self.workspaces[c])
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

  /// Runs `pass(chunk, w, features, labels)` on every chunk, on up to `threads` threads.
  private func run(
    _ w: [T], _ pass: (Int, UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeBufferPointer<Int32>) -> LossStats
  ) -> [LossStats] {
    let chunks = workspaces.count
    let f = network.inputShape.count
    var stats = [LossStats](repeating: LossStats(loss: 0, correct: 0, count: 0), count: chunks)
    w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { fp in
        labels.withUnsafeBufferPointer { lp in
          stats.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            func work(_ c: Int) {
              let lo = bounds[c]
              let hi = bounds[c + 1]
              out[c] = pass(
                c, wp, UnsafeBufferPointer(rebasing: fp[(lo * f)..<(hi * f)]),
                UnsafeBufferPointer(rebasing: lp[lo..<hi]))
            }
            if threads > 1 && chunks > 1 {
              BLASThreads.with(1) { parallelFor(chunks, threads: threads, work) }
            } else {
              for c in 0..<chunks { work(c) }
            }
          }
        }
      }
    }
    return stats
  }

  /// J = Σ_c (n_c/n) J_c and the summed correct count, in chunk order.
  private func combine(_ stats: [LossStats]) -> LossStats {
    let n = Double(labels.count)
    let loss = stats.reduce(0.0) { $0 + Double($1.count) / n * $1.loss }
    return LossStats(loss: loss, correct: stats.reduce(0) { $0 + $1.correct }, count: labels.count)
  }

  /// vector = Σ_c (n_c/n) partial_c, in chunk order.
  private func combine(_ stats: [LossStats], into vector: inout [T]) {
    let n = Double(labels.count)
    vector.withUnsafeMutableBufferPointer { out in
      out.update(repeating: 0)
      for (c, s) in stats.enumerated() {
        VectorMath.axpy(
          Double(s.count) / n, UnsafePointer(partials[c].baseAddress!), out.baseAddress!, count: out.count)
      }
    }
  }
}
