import CBLAS

/// OpenBLAS's own thread pool, set so that it never competes with agent-level parallelism.
///
/// Flatland parallelizes over agents (one agent's adapt step per core) and keeps each BLAS
/// call single-threaded inside that work; a lone large product (a Hessian-vector product on
/// thousands of samples) may instead use every core. Oversubscribing — K agent threads each
/// spawning OpenBLAS threads — costs more than it gains on small GEMMs.
public enum BLASThreads {
  /// Number of threads OpenBLAS uses for one call.
  public static var count: Int { Int(openblas_get_num_threads()) }

  /// Sets OpenBLAS's thread count (at least 1).
  public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

  /// Runs `body` with OpenBLAS limited to `n` threads, restoring the previous count after.
  public static func with<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
    let previous = count
    set(n)
    defer { set(previous) }
    return try body()
  }
}
