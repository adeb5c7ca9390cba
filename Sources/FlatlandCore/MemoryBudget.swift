import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory one request may take, and the check that every size a user gives (agents,
/// widths, samples, grid points, classes, a file header's dimensions) passes before anything
/// is allocated for it.
///
/// Unchecked, such a size goes straight to the allocator, and a typo like `mlp:1000000000`
/// ends in a fatal "out of memory" trap, or in the machine swapping. The budget is half of
/// physical memory: a request beyond it cannot be met beside what the process and the rest of
/// the machine already hold, so it is refused with a message naming the value and the bytes it
/// would need. Sizes are multiplied with overflow checks, so a product beyond `Int.max` is
/// refused the same way instead of trapping.
public enum MemoryBudget {
  /// Half of this machine's physical memory, or of the process's address-space limit
  /// (`ulimit -v`) when that is lower, in bytes.
  public static let bytes: Int = {
    var limit = rlimit()
    let physical = ProcessInfo.processInfo.physicalMemory
    #if os(Linux)
      let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
    #else
      let resource = RLIMIT_AS
    #endif
    guard getrlimit(resource, &limit) == 0 else {
      return Int(clamping: physical / 2)
    }
    // No limit reads as the largest rlim_t, above any physical memory.
    return Int(clamping: min(physical, UInt64(limit.rlim_cur)) / 2)
  }()

  /// f₁ · f₂ ⋯ fₙ · `bytesEach`, or nil when the product overflows `Int` or a factor is negative.
  public static func size(of factors: [Int], bytesEach: Int) -> Int? {
    var total = bytesEach
    for f in factors {
      guard f >= 0 else { return nil }
      let (product, overflow) = total.multipliedReportingOverflow(by: f)
      guard !overflow else { return nil }
      total = product
    }
    return total
  }

  /// s₁ + s₂ + ⋯ + sₙ, or nil when a size is nil (itself an overflow) or the sum overflows `Int`.
  public static func total(_ sizes: [Int?]) -> Int? {
    var sum = 0
    for size in sizes {
      guard let size, size >= 0 else { return nil }
      let (next, overflow) = sum.addingReportingOverflow(size)
      guard !overflow else { return nil }
      sum = next
    }
    return sum
  }

  /// Throws unless `elements` (the product of `factors`) values of `bytesEach` bytes fit in
  /// `budget` bytes.
  /// - Parameters:
  ///   - what: the value asked for and what it allocates, e.g. `--samples 100000000 (the check
  ///     batch: 100000000 × 784 features)`; the message starts with it.
  ///   - factors: the sizes whose product is the element count.
  ///   - bytesEach: bytes per element (`MemoryLayout<T>.stride`).
  /// - Returns: the bytes the request needs.
  /// - Throws: `FlatlandError` (`.invalidArgument`) naming `what`, the bytes needed and the budget.
  @discardableResult
  public static func check(_ what: String, _ factors: [Int], bytesEach: Int, budget: Int = bytes) throws -> Int {
    guard let needed = size(of: factors, bytesEach: bytesEach) else {
      throw FlatlandError(
        .invalidArgument,
        "\(what) would need more than \(describe(.max)): at most \(describe(budget)) fits (half the memory this "
          + "process may use)"
      )
    }
    guard needed <= budget else {
      throw FlatlandError(
        .invalidArgument,
        "\(what) would need \(describe(needed)): at most \(describe(budget)) fits (half the memory this process "
          + "may use)"
      )
    }
    return needed
  }

  /// Throws unless `bytes` fit in `budget`; for totals added up from several checked sizes.
  public static func check(_ what: String, bytes needed: Int, budget: Int = bytes) throws {
    try check(what, [needed], bytesEach: 1, budget: budget)
  }

  /// `bytes` in the largest unit that keeps the figure ≥ 1: `512 B`, `3.2 MB`, `64.0 GB`, `4.0 PB`
  /// (decimal units).
  public static func describe(_ bytes: Int) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
  }
}
