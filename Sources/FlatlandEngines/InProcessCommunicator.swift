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
    precondition(source.agents == agentCount, "vectors hold \(source.agents) agents, engine has \(agentCount)")
    RowMixing.combine(agents: localAgents, source, into: destination, matrix: matrix, threads: threads)
  }

  public func allReduceMean(_ source: AgentVectors, into destination: AgentVectors) {
    precondition(source.agents == agentCount, "vectors hold \(source.agents) agents, engine has \(agentCount)")
    RowMixing.mean(source, into: destination, threads: threads)
  }

  public func barrier() {}
}
