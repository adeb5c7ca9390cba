import FlatlandCore

/// Draws one agent's mini-batches from its shard of the training set.
///
/// Without replacement, each epoch visits every sample of the shard exactly once in a fresh
/// random order: the order of epoch e is a Fisher–Yates shuffle driven by the child stream
/// `split(e)` of `RandomStream(seed, agent, .sampling)`, so it can be rebuilt from the epoch
/// number alone after a checkpoint. A batch that runs past the end of the shard continues
/// into the next epoch, so every batch is full. With replacement, each row is an
/// independent uniform draw from the shard and an epoch is counted every `shard.count` draws.
public struct BatchSampler: Sendable {
  /// Where a sampler stands, for checkpoints: restoring it continues the same sequence.
  public struct State: Codable, Sendable, Equatable {
    /// Samples drawn in the current epoch.
    public var position: Int
    /// Completed passes over the shard.
    public var epoch: Int
    /// The sampling stream's words (`RandomStream.state`).
    public var rng: [UInt64]

    enum CodingKeys: String, CodingKey {
      case position, epoch, rng
    }
  }

  public let dataset: Dataset
  /// Indices into `dataset` this agent may draw.
  public let shard: [Int]
  public let batchSize: Int
  public let replacement: Bool
  /// Completed passes over the shard.
  public private(set) var epoch: Int
  /// Samples drawn in the current epoch.
  public private(set) var position: Int
  private var rng: RandomStream
  /// The current epoch's visiting order (without replacement only).
  private var order: [Int]

  /// A sampler for `agent` over `shard` (indices into `dataset`), at epoch 0.
  public init(dataset: Dataset, shard: [Int], batchSize: Int, replacement: Bool, seed: UInt64, agent: Int) throws {
    let state = State(position: 0, epoch: 0, rng: RandomStream(seed: seed, agent: agent, purpose: .sampling).state)
    try self.init(restoring: state, dataset: dataset, shard: shard, batchSize: batchSize, replacement: replacement)
  }

  /// Resumes a sampler from a checkpointed `state`; `shard`, `batchSize` and `replacement`
  /// must be those it was saved with.
  public init(restoring state: State, dataset: Dataset, shard: [Int], batchSize: Int, replacement: Bool) throws {
    guard !shard.isEmpty else {
      throw FlatlandError(.invalidArgument, "cannot sample batches from an empty shard of \(dataset.name)")
    }
    guard batchSize >= 1 else { throw FlatlandError.invalid("batch size", batchSize, accepted: "a positive integer") }
    if let bad = shard.first(where: { $0 < 0 || $0 >= dataset.count }) {
      throw FlatlandError(.invalidArgument, "shard index \(bad) is outside \(dataset.name)'s 0..<\(dataset.count)")
    }
    guard state.epoch >= 0, (0..<shard.count).contains(state.position) else {
      throw FlatlandError(
        .format,
        "sampler state at epoch \(state.epoch), position \(state.position) does not fit a shard of "
          + "\(shard.count) samples"
      )
    }
    self.dataset = dataset
    self.shard = shard
    self.batchSize = batchSize
    self.replacement = replacement
    epoch = state.epoch
    position = state.position
    rng = try RandomStream(state: state.rng)
    order = replacement ? [] : shard
    if !replacement { shuffleOrder() }
  }

  /// The sampler's position, for checkpoints.
  public var state: State { State(position: position, epoch: epoch, rng: rng.state) }

  /// Epochs completed, with the fraction of the current one.
  public var epochProgress: Double { Double(epoch) + Double(position) / Double(shard.count) }

  /// A batch with this sampler's capacity and feature count, to be reused for every step.
  public func makeBatch() -> Batch { Batch(capacity: batchSize, featureCount: dataset.shape.count) }

  /// Fills `batch` (made by `makeBatch()`) with the next `batchSize` samples, in place.
  public mutating func next(into batch: inout Batch) {
    precondition(
      batch.capacity == batchSize && batch.featureCount == dataset.shape.count, "batch was not made by this sampler")
    for slot in 0..<batchSize {
      batch.indices[slot] = replacement ? shard[rng.index(below: shard.count)] : order[position]
      position += 1
      if position == shard.count {
        position = 0
        epoch += 1
        if !replacement { shuffleOrder() }
      }
    }
    batch.gather(from: dataset, count: batchSize)
  }

  /// Rebuilds `order` for the current epoch in place: the shard shuffled by `rng.split(epoch)`.
  private mutating func shuffleOrder() {
    var stream = rng.split(epoch)
    let shard = self.shard
    order.withUnsafeMutableBufferPointer { order in
      for i in 0..<shard.count { order[i] = shard[i] }
      var i = shard.count - 1
      while i > 0 {
        order.swapAt(i, stream.index(below: i + 1))
        i -= 1
      }
    }
  }
}
