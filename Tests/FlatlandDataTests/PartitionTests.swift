import FlatlandCore
import Testing

@testable import FlatlandData

@Suite struct PartitionTests {
  /// 10 classes × 600 samples, interleaved.
  let labels: [Int32] = (0..<6000).map { Int32($0 % 10) }

  func expectExactCover(_ p: Partition, _ n: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let all = p.shards.flatMap { $0 }
    #expect(
      all.count == n && Set(all).count == n && all.allSatisfy { (0..<n).contains($0) }, sourceLocation: sourceLocation)
    #expect(p.shards.allSatisfy { !$0.isEmpty && $0 == $0.sorted() }, sourceLocation: sourceLocation)
  }

  @Test(arguments: ["iid", "dirichlet:0.1", "dirichlet:1", "shards:2", "shards:1"])
  func everySampleInExactlyOneShardAndSeedReproduces(scheme text: String) throws {
    let scheme = try PartitionScheme(parsing: text)
    let p = try Partition.make(scheme, labels: labels, classes: 10, agents: 7, seed: 11)
    expectExactCover(p, labels.count)
    #expect(p.agents == 7)
    #expect(try Partition.make(scheme, labels: labels, classes: 10, agents: 7, seed: 11) == p)
    #expect(try Partition.make(scheme, labels: labels, classes: 10, agents: 7, seed: 12) != p)
  }

  @Test func iidShardsDifferInSizeByAtMostOneAndMatchClassProportions() throws {
    let p = try Partition.make(.iid, labels: labels, classes: 10, agents: 7, seed: 0)
    let sizes = p.shards.map(\.count)
    #expect(sizes.max()! - sizes.min()! <= 1)
    // Each class count in an ~857-sample shard is hypergeometric with sd ≈ 8.3 around 85.7.
    for h in p.histograms(labels: labels, classes: 10) {
      #expect(h.allSatisfy { abs(Double($0) - 85.7) < 5 * 8.3 }, "\(h)")
    }
    // One sample per agent is allowed; every agent then holds exactly one.
    let single = try Partition.make(.iid, labels: Array(labels.prefix(5)), classes: 10, agents: 5, seed: 0)
    #expect(single.shards.map(\.count) == [1, 1, 1, 1, 1])
  }

  @Test func shardsGiveEachAgentAtMostCClassesOnBalancedData() throws {
    let p = try Partition.make(.shards(classesPerAgent: 2), labels: labels, classes: 10, agents: 10, seed: 5)
    for h in p.histograms(labels: labels, classes: 10) {
      #expect(h.filter { $0 > 0 }.count <= 2 && h.reduce(0, +) == 600, "\(h)")
    }
  }

  @Test func dirichletSkewShrinksAsAlphaGrows() throws {
    /// Mean over agents of the largest class share in the agent's shard.
    func dominance(_ alpha: Double) throws -> Double {
      let p = try Partition.make(.dirichlet(alpha: alpha), labels: labels, classes: 10, agents: 10, seed: 2)
      return p.histograms(labels: labels, classes: 10).map { Double($0.max()!) / Double($0.reduce(0, +)) }.reduce(0, +)
        / 10
    }
    let skewed = try dominance(0.05)
    let mild = try dominance(1)
    let flat = try dominance(1000)
    #expect(skewed > 0.6 && skewed > mild && mild > flat, "\(skewed) \(mild) \(flat)")
    #expect(flat < 0.13, "α = 1000 is close to IID: largest share \(flat), IID 0.1")
  }

  /// Dirichlet(α·1_K) components have mean 1/K and variance (K − 1) / (K² (Kα + 1)).
  @Test(arguments: [0.1, 0.5, 3.0]) func dirichletDrawsHaveTheRightMoments(alpha: Double) {
    var rng = RandomStream(seed: 3, purpose: .partition)
    let k = 4
    let n = 20000
    var sum = 0.0
    var sumSquares = 0.0
    for _ in 0..<n {
      let p = Partition.dirichletDraw(alpha: alpha, count: k, rng: &rng)
      #expect(abs(p.reduce(0, +) - 1) < 1e-12)
      sum += p[0]
      sumSquares += p[0] * p[0]
    }
    let mean = sum / Double(n)
    let variance = sumSquares / Double(n) - mean * mean
    let expected = Double(k - 1) / Double(k * k) / (Double(k) * alpha + 1)
    #expect(abs(mean - 0.25) < 4 * (expected / Double(n)).squareRoot(), "mean \(mean)")
    #expect(abs(variance - expected) / expected < 0.05, "variance \(variance), expected \(expected)")
  }

  @Test func histogramsCountLabelsPerAgent() {
    let p = Partition(shards: [[0, 2], [1, 3, 4]])
    #expect(p.histograms(labels: [0, 1, 1, 1, 2], classes: 3) == [[1, 1, 0], [0, 2, 1]])
  }
}
