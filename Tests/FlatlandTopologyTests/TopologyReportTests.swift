import FlatlandTopology
import Foundation
import Testing

@Suite struct TopologyReportTests {
  @Test func jsonHasTheDocumentedKeys() throws {
    let report = try TopologyReport(Topology.parse("ring", agents: 6, weights: .metropolis, seed: 0))
    let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    for key in [
      "agents", "edges", "lambda2", "spectral_gap", "symmetric", "doubly_stochastic", "left_stochastic", "connected",
      "primitive", "eigenvalues", "mixing_time", "matrix", "edge_list", "perron_vector",
    ] {
      #expect(object[key] != nil, "missing key \(key)")
    }
    #expect(object["eigenvalues_imag"] == nil, "symmetric A has a real spectrum")
    #expect(report.edges == 6 && report.edgeList.first == [0, 1])
    #expect(abs(report.lambda2 - (1.0 / 3 + 2.0 / 3 * cos(Double.pi / 3))) < 1e-12)
    #expect(zip(report.matrix[0], [1.0 / 3, 1.0 / 3, 0, 0, 0, 1.0 / 3]).allSatisfy { abs($0 - $1) < 1e-15 })
    #expect(try JSONDecoder().decode(TopologyReport.self, from: JSONEncoder().encode(report)) == report)
  }

  @Test func timeVaryingReport() throws {
    let report = try TopologyReport(
      Topology.parse("one-peer-exponential", agents: 8, weights: .metropolis, seed: 0), iteration: 1)
    #expect(report.timeVarying && report.period == 3 && report.iteration == 1)
    #expect(report.eigenvaluesImag != nil && !report.symmetric && report.doublyStochastic)
    #expect(try #require(report.periodLambda2) < 1e-12)
    #expect(report.text.contains("time-varying (period 3, showing A(1))"))
  }

  @Test func textSummary() throws {
    let text = try TopologyReport(Topology.parse("star", agents: 5, weights: .uniform, seed: 0)).text
    #expect(text.contains("K = 5, weights uniform, 4 edges"))
    #expect(text.contains("symmetric no, doubly stochastic no, left-stochastic yes"))
  }

  @Test func dotAndSvg() throws {
    let ring = try Topology.parse("ring", agents: 5, weights: .metropolis, seed: 0).matrix(at: 0)
    let dot = TopologyDrawing.dot(ring, name: "ring")
    #expect(dot.hasPrefix("graph \"ring\" {") && dot.contains("0 -- 4 [label=\"0.3333\"]"))
    #expect(dot.components(separatedBy: " -- ").count - 1 == 5)
    let svg = TopologyDrawing.svg(ring, name: "ring")
    #expect(svg.hasPrefix("<svg") && svg.components(separatedBy: "<line").count - 1 == 5)
    #expect(svg.components(separatedBy: "<circle").count - 1 == 5)
    // A non-symmetric matrix is drawn as a digraph, l -> k for a_lk > 0.
    let onePeer = try Topology.parse("one-peer-exponential", agents: 4, weights: .metropolis, seed: 0).matrix(at: 0)
    let digraph = TopologyDrawing.dot(onePeer, name: "one-peer")
    #expect(digraph.hasPrefix("digraph") && digraph.contains("3 -> 0 [label=\"0.5\"]"))
  }
}
