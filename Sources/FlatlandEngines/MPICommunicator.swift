import CMPI
import FlatlandCore
import FlatlandStrategies
import FlatlandTopology

/// The MPI engine: the K agents split into contiguous blocks over the P ranks of `mpirun`,
/// each rank running its block on worker threads like the in-process engine.
///
/// Every rank keeps full K × P `AgentVectors` but computes only its own agents' rows; the
/// other rows are filled when needed: the neighbors' rows before a combine (a neighbor
/// exchange), every row before an all-reduce mean or an evaluation. The arithmetic is the
/// in-process engine's (`RowMixing`), fed the same rows, so results are bit-identical to it
/// for any rank and thread count.
public final class MPICommunicator: Communicator, @unchecked Sendable {
  public let environment: MPIEnvironment
  public let blocks: AgentBlocks
  public let threads: Int
  public let localAgents: Range<Int>
  public var agentCount: Int { blocks.agents }
  /// Each rank's number of agents and first agent: the all-gather layout, in agents.
  private let blockCounts: [Int32], blockStarts: [Int32]

  /// Runs `threads` worker threads per rank (default: the rank's share of its machine's
  /// cores); throws when there are more ranks than agents.
  public init(_ environment: MPIEnvironment, agents: Int, threads: Int? = nil) throws {
    let split = try AgentBlocks(agents: agents, processes: environment.size)
    self.environment = environment
    blocks = split
    localAgents = split.range(of: environment.rank)
    self.threads = max(1, threads ?? environment.coresPerRank)
    blockCounts = (0..<split.processes).map { Int32(split.range(of: $0).count) }
    blockStarts = (0..<split.processes).map { Int32(split.range(of: $0).lowerBound) }
  }

  public func forEachAgent(_ body: @Sendable (Int) -> Void) {
    let first = localAgents.lowerBound
    BLASThreads.with(1) { parallelFor(localAgents.count, threads: threads) { body(first + $0) } }
  }

  public func combine(_ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix) {
    precondition(source.agents == agentCount, "vectors hold \(source.agents) agents, engine has \(agentCount)")
    exchange(source, NeighborExchange(matrix: matrix, blocks: blocks, process: environment.rank))
    RowMixing.combine(agents: localAgents, source, into: destination, matrix: matrix, threads: threads)
  }

  /// Shares every row, then sums all K rows in agent order on every rank, as in-process.
  public func allReduceMean(_ source: AgentVectors, into destination: AgentVectors) {
    precondition(source.agents == agentCount, "vectors hold \(source.agents) agents, engine has \(agentCount)")
    shareAll(source)
    RowMixing.mean(source, into: destination, threads: threads)
  }

  public func barrier() { environment.barrier() }

  // MARK: - Run-level coordination

  public var isReporter: Bool { environment.rank == 0 }

  /// One in-place all-gather whose unit is one agent's part: rank r contributes its block.
  public func shareAll(_ bytes: UnsafeMutableRawBufferPointer) {
    precondition(bytes.count % agentCount == 0, "\(bytes.count) bytes do not split into \(agentCount) agents' parts")
    let part = bytes.count / agentCount
    guard part > 0 else { return }
    precondition(part <= Int(Int32.max), "one agent's part (\(part) bytes) exceeds MPI's count range")
    var unit: MPI_Datatype? = nil
    MPI_Type_contiguous(Int32(part), cmpi_byte(), &unit)
    MPI_Type_commit(&unit)
    defer { MPI_Type_free(&unit) }
    MPI_Allgatherv(
      cmpi_in_place(), 0, cmpi_datatype_null(), bytes.baseAddress, blockCounts, blockStarts, unit, environment.world)
  }

  public func agree<R>(_ body: () throws -> R) throws -> R { try environment.agree(body) }

  // MARK: - Neighbor exchange

  /// Receives the rows `plan` names into `vectors` and sends this rank's rows to the ranks
  /// that combine them; all transfers are posted at once, then awaited, so no order of
  /// ranks can deadlock. A row's tag is its agent index.
  private func exchange(_ vectors: AgentVectors, _ plan: NeighborExchange) {
    precondition(vectors.length <= Int(Int32.max), "a row of \(vectors.length) floats exceeds MPI's count range")
    let count = Int32(vectors.length)
    let world = environment.world
    var requests = [MPI_Request?](repeating: nil, count: plan.receives.count + plan.sends.count)
    requests.withUnsafeMutableBufferPointer { r in
      for (i, t) in plan.receives.enumerated() {
        MPI_Irecv(
          vectors[t.agent].baseAddress, count, cmpi_float(), Int32(t.peer), Int32(t.agent), world, r.baseAddress! + i)
      }
      for (i, t) in plan.sends.enumerated() {
        MPI_Isend(
          vectors[t.agent].baseAddress, count, cmpi_float(), Int32(t.peer), Int32(t.agent), world,
          r.baseAddress! + plan.receives.count + i)
      }
      MPI_Waitall(Int32(r.count), r.baseAddress, cmpi_statuses_ignore())
    }
  }
}
