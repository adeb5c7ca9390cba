import FlatlandCore
import Foundation
import Testing

/// The allocation guard: exact products, overflow caught, and a one-line refusal naming the
/// request and the bytes it needs.
@Suite struct MemoryBudgetTests {
  @Test func sizesAreExactProductsAndOverflowIsNil() {
    #expect(MemoryBudget.size(of: [16, 1_000_000_001], bytesEach: 4) == 64_000_000_064)
    #expect(MemoryBudget.size(of: [], bytesEach: 8) == 8)
    #expect(MemoryBudget.size(of: [3, 0, .max], bytesEach: 4) == 0)
    #expect(MemoryBudget.size(of: [1 << 31, 1 << 31], bytesEach: 4) == nil)
    #expect(MemoryBudget.size(of: [-1], bytesEach: 1) == nil)
    #expect(MemoryBudget.total([1, 2, 3]) == 6)
    #expect(MemoryBudget.total([.max, 1]) == nil)
    #expect(MemoryBudget.total([4, nil]) == nil)
  }

  @Test func aRequestBeyondTheBudgetIsRefusedByName() throws {
    let needed = try MemoryBudget.check("small", [250], bytesEach: 4, budget: 1000)
    #expect(needed == 1000)
    do {
      try MemoryBudget.check("--model mlp:1000000000", [16, 1_000_000_001], bytesEach: 4, budget: 12_000_000_000)
      Issue.record("64 GB fitted in 12 GB")
    } catch let error as FlatlandError {
      #expect(error.kind == .invalidArgument)
      #expect(error.message.hasPrefix("--model mlp:1000000000 would need 64.0 GB: at most 12.0 GB fits"))
    }
    do {
      try MemoryBudget.check("grid", [1 << 40, 1 << 40], bytesEach: 8, budget: 1000)
      Issue.record("an overflowing product passed")
    } catch let error as FlatlandError {
      #expect(error.message.hasPrefix("grid would need more than 9.2 EB"))
    }
  }

  @Test func theBudgetIsAtMostHalfOfPhysicalMemory() {
    #expect(MemoryBudget.bytes > 0)
    #expect(UInt64(MemoryBudget.bytes) <= ProcessInfo.processInfo.physicalMemory / 2)
  }

  @Test func bytesAreDescribedInDecimalUnits() {
    #expect(MemoryBudget.describe(999) == "999 B")
    #expect(MemoryBudget.describe(1500) == "1.5 kB")
    #expect(MemoryBudget.describe(64_000_000_064) == "64.0 GB")
    #expect(MemoryBudget.describe(.max) == "9.2 EB")
  }

  @Test func classCountsAreBounded() throws {
    try ClassCount.check(2, of: "a")
    try ClassCount.check(ClassCount.maximum, of: "a")
    for bad in [1, ClassCount.maximum + 1, 10_000_000_000] {
      #expect(throws: FlatlandError.self) { try ClassCount.check(bad, of: "model x") }
    }
  }
}
