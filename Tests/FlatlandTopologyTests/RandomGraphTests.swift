import FlatlandCore
import FlatlandTopology
import Testing

@Suite struct RandomGraphTests {
  @Test func seededFamiliesAreReproducible() throws {
    let builders: [(UInt64) throws -> Graph] = [
      { try Graph.erdosRenyi(30, p: 0.2, seed: $0) },
      { try Graph.randomGeometric(30, radius: 0.35, seed: $0) },
      { try Graph.wattsStrogatz(30, neighbors: 4, rewiring: 0.3, seed: $0) },
    ]
    for build in builders {
      let a = try build(7)
      let b = try build(7)
      let c = try build(8)
      #expect(a == b)
      #expect(a != c)
      #expect(a.isConnected && c.isConnected)
    }
  }

  @Test func erdosRenyiDensityMatchesP() throws {
    // Mean edge count over draws ≈ p·K(K−1)/2 = 0.3·780 = 234, std of one draw ≈ 12.8.
    let counts = try (0..<20).map { try Graph.erdosRenyi(40, p: 0.3, seed: UInt64($0)).edges.count }
    let mean = Double(counts.reduce(0, +)) / Double(counts.count)
    #expect(abs(mean - 234) < 12, "mean edge count \(mean)")
    #expect(try Graph.erdosRenyi(12, p: 1, seed: 0) == Graph.complete(12))
  }

  @Test func wattsStrogatzKeepsEdgeCountAndLatticeAtBetaZero() throws {
    #expect(try Graph.wattsStrogatz(20, neighbors: 4, rewiring: 0, seed: 1).edges.count == 40)
    let lattice = try Graph.wattsStrogatz(10, neighbors: 2, rewiring: 0, seed: 1)
    #expect(try lattice == Graph.ring(10))
    // Rewiring moves edges but never adds or removes one.
    #expect(try Graph.wattsStrogatz(20, neighbors: 4, rewiring: 0.5, seed: 1).edges.count == 40)
  }

  @Test func geometricRadiusBeyondDiagonalIsComplete() throws {
    #expect(try Graph.randomGeometric(9, radius: 1.5, seed: 3) == Graph.complete(9))
  }

  @Test func rejectsBadParameters() {
    for p in [0, -0.1, 1.5, Double.nan] {
      let message = errorMessage { _ = try Graph.erdosRenyi(10, p: p, seed: 0) }
      #expect(message?.contains("p in (0, 1]") == true)
    }
    #expect(throws: FlatlandError.self) { try Graph.erdosRenyi(0, p: 0.5, seed: 0) }
    #expect(throws: FlatlandError.self) { try Graph.randomGeometric(10, radius: 0, seed: 0) }
    #expect(throws: FlatlandError.self) { try Graph.randomGeometric(10, radius: .infinity, seed: 0) }
    #expect(throws: FlatlandError.self) { try Graph.wattsStrogatz(10, neighbors: 3, rewiring: 0.1, seed: 0) }
    #expect(throws: FlatlandError.self) { try Graph.wattsStrogatz(10, neighbors: 10, rewiring: 0.1, seed: 0) }
    #expect(throws: FlatlandError.self) { try Graph.wattsStrogatz(10, neighbors: 4, rewiring: 1.1, seed: 0) }
  }

  @Test func tooSparseToConnectGivesUp() {
    let message = errorMessage { _ = try Graph.erdosRenyi(40, p: 0.005, seed: 0) }
    #expect(message?.contains("disconnected in all \(Graph.maxDraws) seeded draws") == true)
  }
}
