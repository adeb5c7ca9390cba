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

  public func combine(_ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix) {
    precondition(source !== destination, "combine needs two buffers")
    precondition(matrix.agents == agentCount, "matrix is for \(matrix.agents) agents, engine has \(agentCount)")
    forEachAgent { k in
      let out = destination[k]
      let neighbors = matrix.neighbors(of: k)
      let first = source[neighbors[0].agent], a0 = Float(neighbors[0].weight)
      for j in 0..<out.count { out[j] = a0 * first[j] }
      for (l, a) in neighbors.dropFirst() {
        let row = source[l], alk = Float(a)
        for j in 0..<out.count { out[j] += alk * row[j] }
      }
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
