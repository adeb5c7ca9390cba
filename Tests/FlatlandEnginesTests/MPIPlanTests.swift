import FlatlandCore
import FlatlandTopology
import Testing

@testable import FlatlandEngines

/// The MPI engine's plans, which need no MPI: the split of K agents into blocks of ranks, and
/// which rows each rank sends and receives for a combine.
@Suite struct MPIPlanTests {
  @Test func blocksCoverTheAgentsInOrderAndHostAgreesWithThem() throws {
    for agents in 1...17 {
      for processes in 1...agents {
        let blocks = try AgentBlocks(agents: agents, processes: processes)
        let ranges = (0..<processes).map(blocks.range(of:))
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == agents)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(Set(ranges.map(\.count)).isSubset(of: [agents / processes, (agents + processes - 1) / processes]))
        for (r, range) in ranges.enumerated() { #expect(range.allSatisfy { blocks.host(of: $0) == r }) }
      }
    }
    #expect(try AgentBlocks(agents: 5, processes: 2).range(of: 0) == 0..<2)
    #expect(throws: FlatlandError.invalid("agents", 2, accepted: "at least one agent per MPI rank (3 ranks)")) {
      try AgentBlocks(agents: 2, processes: 3)
    }
  }

  @Test func aRingInTwoBlocksExchangesOnlyTheBoundaryRows() throws {
    let ring = try Topology.parse("ring", agents: 8, weights: .metropolis, seed: 0).matrix(at: 0)
    let blocks = try AgentBlocks(agents: 8, processes: 2)
    let zero = NeighborExchange(matrix: ring, blocks: blocks, process: 0)
    // Agents 0..<4 live on rank 0: agent 0 combines 7, agent 3 combines 4; 0 and 3 go the other way.
    #expect(zero.receives == [.init(agent: 4, peer: 1), .init(agent: 7, peer: 1)])
    #expect(zero.sends == [.init(agent: 0, peer: 1), .init(agent: 3, peer: 1)])
  }

  @Test func everySendMatchesAReceiveOnTheOtherRank() throws {
    let matrix = try Topology.parse("erdos-renyi:0.4", agents: 11, weights: .metropolis, seed: 3).matrix(at: 0)
    let blocks = try AgentBlocks(agents: 11, processes: 4)
    let plans = (0..<4).map { NeighborExchange(matrix: matrix, blocks: blocks, process: $0) }
    let sent = plans.enumerated().flatMap { r, plan in plan.sends.map { [$0.agent, r, $0.peer] } }
    let received = plans.enumerated().flatMap { r, plan in plan.receives.map { [$0.agent, $0.peer, r] } }
    #expect(!sent.isEmpty && Set(sent) == Set(received) && sent.count == received.count)
    // Each rank receives exactly the foreign neighbors of its agents.
    for (r, plan) in plans.enumerated() {
      let needed = Set(
        blocks.range(of: r).flatMap { k in matrix.neighbors(of: k).map(\.agent) }.filter { blocks.host(of: $0) != r })
      #expect(Set(plan.receives.map(\.agent)) == needed)
    }
  }
}
