import Dispatch
import Foundation

/// Runs `body(i)` for i in 0..<count over up to `threads` worker threads.
///
/// Work items must be independent (each writes only its own outputs), so the result is the
/// same for any thread count; the split is a static contiguous partition, so a given
/// thread count always maps items to the same threads.
public func parallelFor(_ count: Int, threads: Int, _ body: (Int) -> Void) {
  let workers = min(max(1, threads), count)
  if workers <= 1 {
    for i in 0..<count { body(i) }
    return
  }
  withoutActuallyEscaping(body) { body in
    let shared = UncheckedBox(body)
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      let lo = w * count / workers
      let hi = (w + 1) * count / workers
      for i in lo..<hi { shared.value(i) }
    }
  }
}

/// The number of cores this process may use.
public var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

/// Shares a value across worker threads whose accesses are disjoint by construction.
public struct UncheckedBox<T>: @unchecked Sendable {
  public let value: T
  public init(_ value: T) { self.value = value }
}
