import CMPI
import FlatlandCore

/// This process's MPI runtime: started once when the MPI engine is chosen, finished once.
///
/// Under `mpirun -np P` there are P processes (ranks 0..<P); started without `mpirun`, the
/// process is a singleton world of one rank. Only the thread that created the environment
/// calls MPI (`MPI_THREAD_FUNNELED`): engines run agents on worker threads but communicate
/// from the calling thread. MPI errors are fatal (Open MPI's default handler prints its own
/// message and ends every rank), so the calls here return no error codes to check.
public final class MPIEnvironment: @unchecked Sendable {
  /// This process's rank r.
  public let rank: Int
  /// P, the number of processes.
  public let size: Int
  /// How many of the P ranks share this machine (and its cores).
  public let ranksOnThisMachine: Int
  let world: MPI_Comm

  /// Starts MPI; throws when the library cannot give worker threads a funneled MPI.
  public init() throws {
    var initialized: Int32 = 0
    MPI_Initialized(&initialized)
    precondition(initialized == 0, "MPI is started once per process")
    var provided: Int32 = 0
    MPI_Init_thread(nil, nil, cmpi_thread_funneled(), &provided)
    guard provided >= cmpi_thread_funneled() else {
      MPI_Finalize()
      throw FlatlandError(
        .invalidArgument,
        "the MPI library offers thread level \(provided); the MPI engine needs MPI_THREAD_FUNNELED "
          + "(\(cmpi_thread_funneled()))"
      )
    }
    world = cmpi_comm_world()
    var r: Int32 = 0
    var p: Int32 = 0
    MPI_Comm_rank(world, &r)
    MPI_Comm_size(world, &p)
    rank = Int(r)
    size = Int(p)
    var machine: MPI_Comm? = nil
    var local: Int32 = 1
    MPI_Comm_split_type(world, cmpi_comm_type_shared(), r, cmpi_info_null(), &machine)
    MPI_Comm_size(machine, &local)
    MPI_Comm_free(&machine)
    ranksOnThisMachine = Int(local)
  }

  /// This rank's share of the machine's cores: the default number of worker threads, so the
  /// ranks on one machine do not oversubscribe it.
  public var coresPerRank: Int { max(1, availableCores / ranksOnThisMachine) }

  /// Ends MPI for this process; every rank calls it once, after its last communication.
  public func finalize() {
    var finalized: Int32 = 0
    MPI_Finalized(&finalized)
    if finalized == 0 { MPI_Finalize() }
  }

  /// Waits until every rank has reached this point.
  public func barrier() { MPI_Barrier(world) }

  /// Runs `body` on every rank and agrees on the outcome: when it throws on any rank, every
  /// rank throws. The lowest failing rank rethrows its own error; the others throw a
  /// `FlatlandError` with its kind and message, prefixed by the rank when that is not rank 0,
  /// so rank 0 can print every failure.
  ///
  /// Costs one integer all-reduce, and one broadcast of the message on failure.
  public func agree<R>(_ body: () throws -> R) throws -> R {
    let outcome = Result { try body() }
    var failing = Int32(size)
    if case .failure = outcome { failing = Int32(rank) }
    MPI_Allreduce(cmpi_in_place(), &failing, 1, cmpi_int(), cmpi_min(), world)
    guard failing < size else { return try outcome.get() }
    var text = ""
    if case .failure(let error) = outcome {
      let e = (error as? FlatlandError) ?? FlatlandError(.io, String(describing: error))
      text = e.kind.rawValue + " " + e.message
    }
    let shared = String(decoding: broadcast(Array(text.utf8), from: Int(failing)), as: UTF8.self)
    if Int(failing) == rank { return try outcome.get() }
    let kind = shared.prefix { $0 != " " }
    let message = shared.dropFirst(kind.count + 1)
    throw FlatlandError(
      FlatlandError.Kind(rawValue: String(kind)) ?? .io,
      failing == 0 ? String(message) : "rank \(failing) of \(size): \(message)")
  }

  /// Rank `root`'s `bytes`, on every rank (the other ranks' `bytes` are ignored).
  func broadcast(_ bytes: [UInt8], from root: Int) -> [UInt8] {
    var count = Int32(bytes.count)
    MPI_Bcast(&count, 1, cmpi_int(), Int32(root), world)
    var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
    buffer.withUnsafeMutableBytes { _ = MPI_Bcast($0.baseAddress, count, cmpi_byte(), Int32(root), world) }
    return buffer
  }
}
