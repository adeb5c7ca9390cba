import FlatlandCore
import FlatlandStrategies
import FlatlandTopology

/// The in-process engine: K simulated agents in one process, spread over worker threads.
///
/// Each agent's adapt step runs on one thread with single-threaded BLAS inside, so agent-level
/// parallelism and BLAS threads never oversubscribe the cores. Every write goes to the agent's
/// own row, and every sum runs in a fixed order (neighbors by index, agents by index), so the
/// results are bit-identical for any thread count.
public final class InProcessCommunicator: Communicator, @unchecked Sendable {
  public let agentCount: Int
  public let threads: Int
  public var localAgents: Range<Int> { 0..<agentCount }

  public init(agents: Int, threads: Int = availableCores) {
    agentCount = agents
    self.threads = max(1, threads)
  }

  public func forEachAgent(_ body: @Sendable (Int) -> Void) {
    BLASThreads.with(1) { parallelFor(agentCount, threads: threads, body) }
  }

  /// Mixes coordinate blocks rather than whole agents: each thread takes a range of blocks and,
  /// within a block, every agent's neighbors. A block of all K source rows stays in cache while
  /// the agents sharing neighbors read it, so each source row crosses memory once instead of
  /// once per neighbor. Each coordinate still sums its neighbors in ascending order.
  public func combine(_ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix) {
    precondition(source !== destination, "combine needs two buffers")
    precondition(matrix.agents == agentCount, "matrix is for \(matrix.agents) agents, engine has \(agentCount)")
    let neighbors = (0..<agentCount).map { k in matrix.neighbors(of: k).map { (agent: $0.agent, weight: Float($0.weight)) } }
    let length = source.length, block = Self.combineBlock
    parallelFor((length + block - 1) / block, threads: threads) { b in
      let columns = (b * block)..<min(length, (b + 1) * block)
      for k in 0..<agentCount { Self.mix(neighbors[k], of: source, columns: columns, into: destination[k]) }
    }
  }

  /// Coordinates per combine block: 16 KiB of each row, so K ≤ 32 rows of a block fit in L2.
  static let combineBlock = 4096

  /// out[j] = Σ_l a_lk source_l[j] over `columns`, neighbors in the given (ascending) order.
  static func mix(_ neighbors: [(agent: Int, weight: Float)], of source: AgentVectors, columns: Range<Int>, into out: UnsafeMutableBufferPointer<Float>) {
    let first = source[neighbors[0].agent], a0 = neighbors[0].weight
    for j in columns { out[j] = a0 * first[j] }
    for (l, alk) in neighbors.dropFirst() {
      let row = source[l]
      for j in columns { out[j] += alk * row[j] }
    }
  }

  public func allReduceMean(_ source: AgentVectors, into destination: AgentVectors) {
    // Split the coordinates into contiguous blocks; each block sums agents in order.
    let length = source.length, k = agentCount
    let blocks = min(max(1, threads * 4), max(1, length))
    let scale = 1 / Float(k)
    BLASThreads.with(1) {
      parallelFor(blocks, threads: threads) { b in
        let lo = b * length / blocks, hi = (b + 1) * length / blocks
        let out = destination[0]
        for j in lo..<hi { out[j] = source.storage[j] }
        for l in 1..<max(1, k) {
          let row = source[l]
          for j in lo..<hi { out[j] += row[j] }
        }
        for j in lo..<hi { out[j] *= scale }
        for l in 1..<max(1, k) { destination[l].baseAddress!.advanced(by: lo).update(from: out.baseAddress! + lo, count: hi - lo) }
      }
    }
  }

  public func barrier() {}
}
