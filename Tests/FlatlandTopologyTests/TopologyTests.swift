import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

@Suite struct TopologyTests {
  func parse(_ name: String, _ agents: Int, _ weights: WeightRule = .metropolis, seed: UInt64 = 0) throws -> Topology {
    try Topology.parse(name, agents: agents, weights: weights, seed: seed)
  }

  @Test func parsesEveryStaticFamily() throws {
    let cases: [(name: String, agents: Int, edges: Int)] = [
      ("ring", 6, 6), ("line", 6, 5), ("star", 6, 5), ("complete", 6, 15), ("hypercube", 8, 12),
      ("exponential", 8, 20), ("grid", 12, 17), ("grid:2x6", 12, 16), ("torus", 16, 32), ("torus:4x4", 16, 32),
      ("erdos-renyi:1", 7, 21), ("geometric:2", 5, 10), ("small-world:4,0", 10, 20),
    ]
    for (name, agents, edges) in cases {
      let topology = try parse(name, agents)
      #expect(topology.graph?.edges.count == edges, "\(name)")
      #expect(topology.matrix(at: 0).supportEdges.count == edges, "\(name)")
      #expect(!topology.isTimeVarying && topology.period == 1 && topology.agents == agents)
      #expect(topology.matrix(at: 5) == topology.matrix(at: 0))
    }
  }

  /// K = 100 000 needs 4 × 10¹⁰ Doubles (320 GB) of dense matrices: refused before any is built,
  /// for every family, and named in the message.
  @Test(arguments: ["ring", "complete", "random-matching", "matrix:/nonexistent.csv"])
  func aKWhoseDenseMatrixDoesNotFitIsRefused(_ name: String) {
    do {
      _ = try parse(name, 100_000, name.hasPrefix("matrix:") ? .user : .metropolis)
      Issue.record("K = 100000 accepted for \(name)")
    } catch let error as FlatlandError {
      #expect(error.message.hasPrefix("K = 100000 agents (a dense 100000 × 100000 combination matrix"), "\(error)")
      #expect(error.message.contains("320.0 GB"))
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(throws: Never.self) { try CombinationMatrix.checkSize(agents: 1000) }
  }

  @Test func seededRandomFamiliesThroughParse() throws {
    for name in ["erdos-renyi:0.3", "geometric:0.5", "small-world:4,0.2"] {
      #expect(try parse(name, 20, seed: 4).matrix(at: 0) == parse(name, 20, seed: 4).matrix(at: 0))
      #expect(try parse(name, 20, seed: 4).graph != parse(name, 20, seed: 5).graph)
    }
  }

  @Test func userMatrixFromCSV() throws {
    let path = try temporaryFile("0.5,0.25,0\n0.5,0.5,0.5\n0,0.25,0.5\n", suffix: ".csv")
    let topology = try parse("matrix:\(path)", 3, .user)
    #expect(topology.weights == .user && topology.graph == nil)
    #expect(topology.matrix(at: 3)[0, 1] == 0.25)
    #expect(
      Topology.defaultWeights(for: "matrix:\(path)") == .user && Topology.defaultWeights(for: "ring") == .metropolis)
  }

  @Test func edgeListThroughParse() throws {
    let path = try temporaryFile("0 1\n1 2\n2 0\n2 3\n", suffix: ".txt")
    let topology = try parse("edges:\(path)", 4, .uniform)
    #expect(topology.graph?.degree(2) == 3 && topology.matrix(at: 0)[3, 2] == 0.25)
  }

  // MARK: - Time-varying

  @Test func onePeerExponentialCyclesThroughOffsets() throws {
    let topology = try parse("one-peer-exponential", 8)
    #expect(topology.isTimeVarying && topology.period == 3)
    for i in 0..<3 {
      let a = topology.matrix(at: i)
      #expect(a.isDoublyStochastic && a == topology.matrix(at: i + 3))
      // Agent 5 listens to 5 − 2^i.
      #expect(a.neighbors(of: 5).map(\.agent) == [5 - (1 << i), 5])
    }
    // K a power of two: one period's product averages exactly.
    let product = try #require(topology.periodProduct())
    #expect(product.weights.allSatisfy { abs($0 - 0.125) < 1e-15 })
    // Not a power of two: the product still mixes, but not exactly.
    let six = try #require(try parse("one-peer-exponential", 6).periodProduct())
    let lambda2 = try Spectrum(six).lambda2
    #expect(lambda2 > 1e-3 && lambda2 < 1)
  }

  /// User matrices in a cycle: A(i) = matrices[i mod P], with the period's checks.
  @Test func periodicUserMatrices() throws {
    let onePeer = try parse("one-peer-exponential", 8)
    let matrices = (0..<3).map(onePeer.matrix(at:))
    let cycle = try Topology(name: "cycle", periodic: matrices)
    #expect(cycle.period == 3 && cycle.isTimeVarying && cycle.weights == .user)
    #expect((0..<7).allSatisfy { cycle.matrix(at: $0) == onePeer.matrix(at: $0) })
    let single = try Topology(name: "single", periodic: [matrices[0]])
    #expect(single.period == 1 && !single.isTimeVarying && single.matrix(at: 5) == matrices[0])
    // Two shifts by 1 of 8 agents each period: connected; the self-loops alone are not.
    let identity = try CombinationMatrix.identity(8)
    #expect(throws: Never.self) { try Topology(name: "shift", periodic: [identity, matrices[0]]) }
    #expect(
      errorMessage { _ = try Topology(name: "still", periodic: [identity, identity]) }?.contains("connect") == true)
    let four = try parse("ring", 4).matrix(at: 0)
    #expect(
      errorMessage { _ = try Topology(name: "mixed", periodic: [matrices[0], four]) }?.contains("agents") == true)
    #expect(errorMessage { _ = try Topology(name: "none", periodic: []) }?.contains("at least one") == true)
  }

  @Test func onePeerLazyWeights() throws {
    let a = try parse("one-peer-exponential", 4, .lazyUniform).matrix(at: 1)
    #expect(a[2, 0] == 0.25 && a[0, 0] == 0.75)
  }

  @Test func randomMatchingIsSeededPerIteration() throws {
    let topology = try parse("random-matching", 9, seed: 3)
    #expect(topology.isTimeVarying && topology.period == nil && topology.periodProduct() == nil)
    // The same (seed, i) gives the same matching whatever was asked before.
    let later = topology.matrix(at: 7)
    _ = topology.matrix(at: 2)
    #expect(try topology.matrix(at: 7) == later && parse("random-matching", 9, seed: 3).matrix(at: 7) == later)
    #expect(topology.matrix(at: 8) != later)
    #expect(try parse("random-matching", 9, seed: 4).matrix(at: 7) != later)
    for i in 0..<20 {
      let a = topology.matrix(at: i)
      #expect(a.isSymmetric && a.isDoublyStochastic)
      // Four pairs averaging with weight ½, one agent alone with weight 1.
      let selfWeights = (0..<9).map { a[$0, $0] }.sorted()
      #expect(selfWeights == Array(repeating: 0.5, count: 8) + [1])
    }
  }

  // MARK: - Bad input

  @Test func rejectsBadNames() {
    let bad: [(name: String, agents: Int, mentions: String)] = [
      ("ring", 0, "K ≥ 1"), ("ring", -2, "K ≥ 1"), ("donut", 4, "ring, line"), ("ring:3", 4, "without parameters"),
      ("hypercube", 12, "power of two"), ("grid", 7, "'7'"), ("grid", 3, "K not prime"), ("grid:3x3", 10, "'3x3'"),
      ("torus:3by4", 12, "RxC"), ("erdos-renyi", 10, "erdos-renyi:P"), ("erdos-renyi:0", 10, "'0.0'"),
      ("erdos-renyi:1.5", 10, "p in (0, 1]"), ("erdos-renyi:-0.2", 10, "p in (0, 1]"),
      ("erdos-renyi:abc", 10, "erdos-renyi:P"),
      ("geometric:0", 10, "radius > 0"), ("small-world:4", 10, "DEGREE,BETA"),
      ("small-world:2.5,0.1", 10, "even integer"),
      ("small-world:3,0.1", 10, "even degree"), ("edges:", 4, "edges:PATH"),
      ("edges:/nonexistent/e.txt", 4, "cannot read"),
    ]
    for (name, agents, mentions) in bad {
      let message = errorMessage { _ = try parse(name, agents) }
      #expect(message?.contains(mentions) == true, "\(name) K=\(agents): \(message ?? "no error")")
    }
  }

  @Test func rejectsWrongRules() throws {
    #expect(errorMessage { _ = try parse("ring", 4, .user) }?.contains("'user'") == true)
    #expect(errorMessage { _ = try parse("random-matching", 4, .user) }?.contains("time-varying") == true)
    let path = try temporaryFile("1\n", suffix: ".csv")
    #expect(errorMessage { _ = try parse("matrix:\(path)", 1, .metropolis) }?.contains("used as is") == true)
  }

  @Test func rejectsBadUserMatrices() throws {
    let wrongSize = try temporaryFile("0.5,0.5\n0.5,0.5\n", suffix: ".csv")
    #expect(errorMessage { _ = try parse("matrix:\(wrongSize)", 3, .user) }?.contains("2×2") == true)
    // Column 1 sums to 0.8.
    let badColumn = try temporaryFile("0.5,0.3\n0.5,0.5\n", suffix: ".csv")
    let message = errorMessage { _ = try parse("matrix:\(badColumn)", 2, .user) }
    #expect(message?.contains("column 1") == true && message?.contains("sums to 0.8") == true)
    let negative = try temporaryFile("1.5,0\n-0.5,1\n", suffix: ".csv")
    #expect(errorMessage { _ = try parse("matrix:\(negative)", 2, .user) }?.contains("row 1, column 0") == true)
    let disconnected = try temporaryFile("1,0\n0,1\n", suffix: ".csv")
    #expect(errorMessage { _ = try parse("matrix:\(disconnected)", 2, .user) }?.contains("not connected") == true)
  }
}
