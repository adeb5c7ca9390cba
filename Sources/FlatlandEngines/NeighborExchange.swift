import FlatlandTopology

/// The rows one process sends and receives before a combine over a combination matrix.
///
/// Process r combines destination_k = Σ_l a_lk source_l for its agents k, so it needs row l
/// from l's host whenever a_lk ≠ 0 for some local k and l lives elsewhere; symmetrically it
/// sends its row l to every other process hosting some k with a_lk ≠ 0. Each row travels at
/// most once per pair of processes, whatever the number of neighbors it has there. On a ring
/// split into two blocks, each process receives two rows and sends two, whatever K.
struct NeighborExchange: Equatable {
  /// One row on the move: agent `agent`'s row, to or from process `peer`.
  struct Transfer: Hashable, Comparable {
    var agent: Int
    var peer: Int

    static func < (a: Transfer, b: Transfer) -> Bool { (a.peer, a.agent) < (b.peer, b.agent) }
  }

  /// Rows of other processes' agents that this process's agents combine.
  let receives: [Transfer]
  /// This process's rows that other processes' agents combine.
  let sends: [Transfer]

  init(matrix: CombinationMatrix, blocks: AgentBlocks, process r: Int) {
    precondition(matrix.agents == blocks.agents, "matrix is for \(matrix.agents) agents, blocks for \(blocks.agents)")
    var receives = Set<Transfer>()
    var sends = Set<Transfer>()
    for k in 0..<blocks.agents {
      let combiner = blocks.host(of: k)
      for (l, _) in matrix.neighbors(of: k) {
        let holder = blocks.host(of: l)
        if combiner == r && holder != r { receives.insert(Transfer(agent: l, peer: holder)) }
        if holder == r && combiner != r { sends.insert(Transfer(agent: l, peer: combiner)) }
      }
    }
    self.receives = receives.sorted()
    self.sends = sends.sorted()
  }
}
