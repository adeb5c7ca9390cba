/// Typed forms of `Communicator.shareAll(_:)` and reporting, for the run loop: before an
/// evaluation or a checkpoint every process gathers the rows, statistics and sampler states
/// that other processes computed.
extension Communicator {
  /// Every agent's row of `vectors`, on every process.
  public func shareAll(_ vectors: AgentVectors) {
    shareAll(
      UnsafeMutableRawBufferPointer(
        start: vectors.storage, count: vectors.agents * vectors.length * MemoryLayout<Float>.stride))
  }

  /// Every agent's entries of `values` (K·m plain values, agent k's at k·m..<(k+1)·m), on every
  /// process.
  public func shareAll<T: BitwiseCopyable>(_ values: inout [T]) {
    values.withUnsafeMutableBytes { shareAll($0) }
  }

  /// Every agent's byte string, on every process; `local[k]` is used for the local agents.
  ///
  /// Strings vary in length, so their lengths are shared first and each is padded to the
  /// longest for the fixed-part exchange.
  public func shareAll(_ local: [[UInt8]]) -> [[UInt8]] {
    precondition(local.count == agentCount, "one byte string per agent")
    var lengths = (0..<agentCount).map { Int64(localAgents.contains($0) ? local[$0].count : 0) }
    shareAll(&lengths)
    let width = Int(lengths.max() ?? 0)
    var padded = [UInt8](repeating: 0, count: agentCount * width)
    for k in localAgents { padded.replaceSubrange(k * width..<(k * width + local[k].count), with: local[k]) }
    shareAll(&padded)
    return (0..<agentCount).map { Array(padded[$0 * width..<($0 * width + Int(lengths[$0]))]) }
  }

  /// Runs `body` on the reporting process only (writing files), agreeing on its outcome.
  public func report(_ body: () throws -> Void) throws {
    try agree { if isReporter { try body() } }
  }
}
