import FlatlandCore
import FlatlandStrategies
import FlatlandTestSupport
import FlatlandTopology
import Testing

@testable import FlatlandEngines

/// The in-process engine's combine and all-reduce mean against their equations evaluated
/// naively in the same Float operations, in place and not, for 1 and 2 threads. P spans two
/// combine blocks and ends mid-block.
@Suite struct InProcessCommunicatorTests {
  static let agents = 4
  static let length = RowMixing.combineBlock + 77
  static let rows = (0..<agents).map { normalVector(length, seed: UInt64(40 + $0)).map(Float.init) }

  /// Agent k listens to itself (½), to k − 1 (⅓) and to k + 2 (⅙): left-stochastic, not symmetric.
  static let matrix: CombinationMatrix = {
    let k = agents
    var a = [Double](repeating: 0, count: k * k)
    for col in 0..<k {
      a[col * k + col] = 0.5
      a[((col + k - 1) % k) * k + col] += 1.0 / 3
      a[((col + 2) % k) * k + col] += 1.0 / 6
    }
    return try! CombinationMatrix(agents: k, weights: a)
  }()

  static func vectors() -> AgentVectors {
    let v = AgentVectors(agents: agents, length: length)
    for k in 0..<agents { v.set(k, rows[k]) }
    return v
  }

  @Test(arguments: [1, 2], [false, true])
  func combineIsTheWeightedSumOverNeighborsInIndexOrder(threads: Int, inPlace: Bool) {
    let source = Self.vectors()
    let destination = inPlace ? source : AgentVectors(agents: Self.agents, length: Self.length)
    InProcessCommunicator(agents: Self.agents, threads: threads).combine(source, into: destination, matrix: Self.matrix)
    for k in 0..<Self.agents {
      let terms = Self.matrix.neighbors(of: k)
      var want = Self.rows[terms[0].agent].map { Float(terms[0].weight) * $0 }
      for (l, a) in terms.dropFirst() { for j in want.indices { want[j] += Float(a) * Self.rows[l][j] } }
      #expect(destination.row(k) == want, "agent \(k)")
    }
  }

  @Test(arguments: [1, 2], [Self.agents, 1])
  func allReduceMeanSumsInAgentOrderThenScales(threads: Int, destinationRows: Int) {
    let source = Self.vectors()
    let destination = AgentVectors(agents: destinationRows, length: Self.length)
    InProcessCommunicator(agents: Self.agents, threads: threads).allReduceMean(source, into: destination)
    var want = Self.rows[0]
    for l in 1..<Self.agents { for j in want.indices { want[j] += Self.rows[l][j] } }
    want = want.map { $0 * (1 / Float(Self.agents)) }
    #expect((0..<destinationRows).allSatisfy { destination.row($0) == want })
  }

  @Test(arguments: [1, 2, 8])
  func forEachAgentRunsEveryAgentOnce(threads: Int) {
    let engine = InProcessCommunicator(agents: 7, threads: threads)
    let visits = UncheckedBox(UnsafeMutableBufferPointer<Int>.allocate(capacity: 7))
    defer { visits.value.deallocate() }
    visits.value.initialize(repeating: 0)
    engine.forEachAgent { visits.value[$0] += 1 }
    #expect(Array(visits.value) == Array(repeating: 1, count: 7))
    #expect(engine.localAgents == 0..<7 && engine.isReporter)
  }
}
