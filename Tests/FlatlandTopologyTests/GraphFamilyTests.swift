import FlatlandCore
import FlatlandTopology
import Testing

@Suite struct GraphFamilyTests {
  @Test(arguments: [1, 2, 3, 8, 13])
  func ringLineStarCompleteEdgeCounts(agents: Int) throws {
    let ring = try Graph.ring(agents)
    let line = try Graph.line(agents)
    let star = try Graph.star(agents)
    let complete = try Graph.complete(agents)
    #expect(ring.edges.count == (agents >= 3 ? agents : agents - 1))
    #expect(line.edges.count == agents - 1)
    #expect(star.edges.count == agents - 1 && star.degree(0) == agents - 1)
    #expect(complete.edges.count == agents * (agents - 1) / 2)
    if agents >= 3 { #expect((0..<agents).allSatisfy { ring.degree($0) == 2 }) }
    #expect([ring, line, star, complete].allSatisfy { $0.isConnected })
  }

  @Test func gridAndTorus() throws {
    let grid = try Graph.grid2D(rows: 3, cols: 4)
    #expect(grid.agents == 12 && grid.edges.count == 3 * 3 + 4 * 2)
    #expect(grid.adjacency[5] == [1, 4, 6, 9] && grid.degree(0) == 2)
    let torus = try Graph.torus2D(rows: 3, cols: 4)
    #expect(torus.edges.count == 2 * 12 && (0..<12).allSatisfy { torus.degree($0) == 4 })
    #expect(torus.adjacency[0] == [1, 3, 4, 8])
    // A side of 2: the wrap-around edge is the direct edge, merged.
    #expect(try Graph.torus2D(rows: 2, cols: 3).edges.count == 3 * 2 + 3)
    #expect(throws: FlatlandError.self) { try Graph.grid2D(rows: 0, cols: 3) }
  }

  @Test(arguments: [1, 2, 4, 8, 32])
  func hypercube(agents: Int) throws {
    let cube = try Graph.hypercube(agents)
    let dims = agents.trailingZeroBitCount
    #expect(cube.edges.count == dims * agents / 2)
    #expect((0..<agents).allSatisfy { k in cube.adjacency[k].allSatisfy { ($0 ^ k).nonzeroBitCount == 1 } })
  }

  @Test func exponentialNeighborsAtPowersOfTwo() throws {
    let eight = try Graph.exponential(8)
    #expect(eight.adjacency[0] == [1, 2, 4, 6, 7] && eight.edges.count == 20)
    // K = 5: offsets 1, 2, 4 ≡ −1, so every pair is joined.
    #expect(try Graph.exponential(5).edges.count == 10)
  }

  @Test func edgesAreMergedAndSorted() throws {
    let g = try Graph(agents: 3, edges: [(2, 1), (1, 2), (0, 1)])
    #expect(g.edges == [Graph.Edge(0, 1), Graph.Edge(1, 2)])
    #expect(g.maxDegree == 2 && g.degree(0) == 1)
  }

  // MARK: - Connectivity

  @Test func detectsDisconnectedGraphs() throws {
    let split = try Graph(agents: 4, edges: [(0, 1), (2, 3)])
    #expect(!split.isConnected)
    #expect(try !Graph(agents: 3, edges: [(0, 1)]).isConnected)
    let message = errorMessage { _ = try Topology(name: "split", graph: split, weights: .metropolis) }
    #expect(message?.contains("not connected") == true)
    #expect(try Graph(agents: 1, edges: []).isConnected)
  }

  @Test func edgeListFile() throws {
    let path = try temporaryFile("# square\n0 1\n1,2\n2\t3\n3 0\n1 0\n", suffix: ".txt")
    let g = try Graph.fromEdgeList(4, file: path)
    #expect(try g.edges.count == 4 && g == Graph.ring(4))
  }

  @Test func edgeListErrors() throws {
    let disconnected = try temporaryFile("0 1\n2 3\n", suffix: ".txt")
    #expect(errorMessage { _ = try Graph.fromEdgeList(4, file: disconnected) }?.contains("not connected") == true)
    // Agent 4 is never mentioned: isolated.
    let isolated = try temporaryFile("0 1\n1 2\n2 3\n", suffix: ".txt")
    #expect(throws: FlatlandError.self) { try Graph.fromEdgeList(5, file: isolated) }
    let outside = try temporaryFile("0 1\n1 7\n", suffix: ".txt")
    #expect(errorMessage { _ = try Graph.fromEdgeList(4, file: outside) }?.contains("'1 7'") == true)
    let loop = try temporaryFile("0 1\n1 1\n", suffix: ".txt")
    #expect(errorMessage { _ = try Graph.fromEdgeList(2, file: loop) }?.contains("self-loops") == true)
    let malformed = try temporaryFile("0 1\n1 2 0.5\n", suffix: ".txt")
    #expect(errorMessage { _ = try Graph.fromEdgeList(3, file: malformed) }?.contains("line 2") == true)
    let missing = #expect(throws: FlatlandError.self) { try Graph.fromEdgeList(3, file: "/nonexistent/edges.txt") }
    #expect(missing?.kind == .io)
  }

  // MARK: - Bad sizes

  @Test func rejectsSizesThatDoNotFit() {
    for build in [Graph.ring, Graph.line, Graph.star, Graph.complete, Graph.hypercube, Graph.exponential] {
      #expect(throws: FlatlandError.self) { try build(0) }
      #expect(throws: FlatlandError.self) { try build(-3) }
    }
    let message = errorMessage { _ = try Graph.hypercube(12) }
    #expect(message?.contains("'12'") == true && message?.contains("power of two") == true)
    #expect(throws: FlatlandError.self) { try Graph(agents: 0, edges: []) }
  }
}
