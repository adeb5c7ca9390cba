import FlatlandTopology

/// The communication seam between strategies and engines.
///
/// Strategies are written only against this: run a per-agent computation on the agents this
/// process hosts, mix vectors over the graph, and average over all agents. The in-process
/// engine implements it with threads over K simulated agents; an MPI engine implements it
/// with one process per group of agents, without any change to the strategies.
public protocol Communicator: AnyObject, Sendable {
  /// K, the number of agents in the network.
  var agentCount: Int { get }
  /// The agents whose rows this process holds and updates.
  var localAgents: Range<Int> { get }

  /// Runs `body(k)` once for each local agent, possibly concurrently; `body` writes only
  /// agent k's rows.
  func forEachAgent(_ body: @Sendable (Int) -> Void)

  /// Neighbor combine: destination_k = Σ_l a_lk source_l for each local agent k, reading only
  /// k's neighbors (a_lk ≠ 0). `destination` may be `source`: every term reads the values from
  /// before the combine, so rules need no double buffer.
  func combine(_ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix)

  /// All-reduce mean: m = (1/K) Σ_l source_l, summed in agent order so every agent gets
  /// bit-identical values, written to every row of `destination`. A K-row destination gives
  /// each agent its own copy; a one-row destination holds m once for all agents to read,
  /// sparing K − 1 copies when nobody changes it. `destination` may be `source`.
  func allReduceMean(_ source: AgentVectors, into destination: AgentVectors)

  /// Waits until every agent has reached this point.
  func barrier()

  // MARK: - Run-level coordination (evaluation, checkpoints, files)

  /// Whether this process writes the run's files and prints its progress; exactly one process
  /// of an engine does.
  var isReporter: Bool { get }

  /// Fills in the other agents' parts of `bytes`, which holds K equal parts, part k belonging
  /// to agent k: afterwards every process holds every agent's part as its host wrote it.
  /// Callers fill their local agents' parts first. For plain values only (no references).
  func shareAll(_ bytes: UnsafeMutableRawBufferPointer)

  /// Runs `body` on every process and agrees on the outcome: when it throws on any process,
  /// it throws on all of them (the lowest-ranked failure's error), so no process is left
  /// waiting for one that gave up.
  func agree<R>(_ body: () throws -> R) throws -> R
}
