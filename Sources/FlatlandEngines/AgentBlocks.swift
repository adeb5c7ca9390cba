import FlatlandCore

/// K agents split over P processes in contiguous blocks: process r hosts agents
/// ⌊rK/P⌋ ..< ⌊(r+1)K/P⌋, so block sizes differ by at most one (K = 5, P = 2: 0..<2, 2..<5).
public struct AgentBlocks: Sendable, Equatable {
  public let agents: Int
  public let processes: Int

  /// Throws unless every process gets at least one agent (1 ≤ P ≤ K).
  public init(agents: Int, processes: Int) throws {
    guard agents >= 1 else { throw FlatlandError.invalid("agents", agents, accepted: "at least 1") }
    guard (1...agents).contains(processes) else {
      throw FlatlandError.invalid("agents", agents, accepted: "at least one agent per MPI rank (\(processes) ranks)")
    }
    self.agents = agents
    self.processes = processes
  }

  /// The agents process r hosts.
  public func range(of process: Int) -> Range<Int> {
    (process * agents / processes)..<((process + 1) * agents / processes)
  }

  /// The process hosting agent k: the largest r with ⌊rK/P⌋ ≤ k, i.e. rK < (k+1)P.
  public func host(of agent: Int) -> Int { ((agent + 1) * processes - 1) / agents }
}
