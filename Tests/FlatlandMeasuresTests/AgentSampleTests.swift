import FlatlandCore
import FlatlandMeasures
import Testing

/// The seeded agent sample of `flatland flatness --agents sample:N`.
@Suite struct AgentSampleTests {
  @Test func aSampleIsDistinctSortedInRangeAndReproducible() throws {
    for seed: UInt64 in 0..<20 {
      let s = try AgentSample.indices(5, of: 12, seed: seed)
      #expect(s.count == 5 && Set(s).count == 5 && s == s.sorted() && s.allSatisfy { (0..<12).contains($0) })
      #expect(try AgentSample.indices(5, of: 12, seed: seed) == s)
    }
    #expect(try AgentSample.indices(6, of: 6, seed: 9) == Array(0..<6))
  }

  /// Without replacement and uniform, each agent is in the sample with probability N/K = 0.3;
  /// over 4000 seeds the frequency has standard deviation √(0.3·0.7/4000) ≈ 0.0072, so 0.03 is
  /// over four standard deviations.
  @Test func everyAgentIsChosenWithProbabilityNOverK() throws {
    var hits = [Int](repeating: 0, count: 10)
    let seeds = 4000
    for seed in 0..<seeds {
      for k in try AgentSample.indices(3, of: 10, seed: UInt64(seed)) { hits[k] += 1 }
    }
    let worst = hits.map { abs(Double($0) / Double(seeds) - 0.3) }.max()!
    #expect(worst < 0.03, "hit frequencies \(hits)")
  }

  @Test(arguments: [0, 5]) func aSampleSizeOutsideOneToKIsRefused(_ n: Int) {
    #expect { try AgentSample.indices(n, of: 4, seed: 0) } throws: {
      "\($0)".contains("'\(n)'") && "\($0)".contains("1 ≤ N ≤ 4")
    }
  }
}
