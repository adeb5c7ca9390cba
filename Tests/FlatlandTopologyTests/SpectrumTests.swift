import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Foundation
import Testing

@Suite struct SpectrumTests {
  /// Ring with Metropolis weights: A = (I + S + Sᵀ)/3 for the cyclic shift S, a circulant with
  /// eigenvalues 1/3 + (2/3) cos(2πm/K), m = 0, …, K−1.
  @Test(arguments: [3, 4, 7, 10, 16])
  func ringMetropolisClosedForm(agents: Int) throws {
    let spectrum = try Spectrum(WeightRule.metropolis.matrix(for: Graph.ring(agents)))
    let expected = (0..<agents).map { 1.0 / 3 + 2.0 / 3 * cos(2 * Double.pi * Double($0) / Double(agents)) }
    let err = maxRelativeError(spectrum.eigenvalues.sorted(), expected.sorted(), floor: 1e-2)
    #expect(err < 1e-12, "largest relative difference \(err)")
    let lambda2 = expected.dropFirst().map(abs).max()!
    #expect(abs(spectrum.lambda2 - lambda2) < 1e-12)
    #expect(abs(spectrum.spectralGap - (1 - lambda2)) < 1e-12)
    #expect(spectrum.imaginaryParts.allSatisfy { $0 == 0 })
  }

  /// Complete graph, uniform weights: A = 11ᵀ/K, eigenvalues 1 and 0 (K−1 times); one step
  /// averages exactly, so λ₂ = 0.
  @Test(arguments: [2, 5, 9])
  func completeGraphAveragesInOneStep(agents: Int) throws {
    let spectrum = try Spectrum(WeightRule.uniform.matrix(for: Graph.complete(agents)))
    #expect(abs(spectrum.eigenvalues[0] - 1) < 1e-13)
    #expect(spectrum.eigenvalues.dropFirst().allSatisfy { abs($0) < 1e-13 })
    #expect(spectrum.lambda2 < 1e-13 && abs(spectrum.spectralGap - 1) < 1e-13)
  }

  /// Hypercube of dimension d with Metropolis weights: A = (I + Adj)/(d + 1), and Adj has
  /// eigenvalues d − 2j with multiplicity C(d, j), so A has (d + 1 − 2j)/(d + 1).
  @Test(arguments: [1, 2, 3, 4, 5])
  func hypercubeMetropolis(dims: Int) throws {
    let spectrum = try Spectrum(WeightRule.metropolis.matrix(for: Graph.hypercube(1 << dims)))
    var expected: [Double] = []
    for j in 0...dims {
      let binomial = (0..<j).reduce(1) { $0 * (dims - $1) / ($1 + 1) }
      expected += Array(repeating: Double(dims + 1 - 2 * j) / Double(dims + 1), count: binomial)
    }
    #expect(maxRelativeError(spectrum.eigenvalues.sorted(), expected.sorted(), floor: 1e-2) < 1e-12)
    #expect(abs(spectrum.lambda2 - Double(dims - 1) / Double(dims + 1)) < 1e-12)
  }

  /// Uniform weights: the Perron vector is p_k = n_k / Σ n (neighborhood sizes), since
  /// (A p)_l = Σ_{k ∈ N_l} (1/n_k)(n_k/S) = n_l/S.
  @Test func perronVectorOfAveragingRule() throws {
    let graph = try Graph.star(6)
    let spectrum = try Spectrum(WeightRule.uniform.matrix(for: graph))
    let sizes = (0..<6).map { Double(graph.degree($0) + 1) }
    let total = sizes.reduce(0, +)
    let p = try #require(spectrum.perronVector)
    #expect(maxRelativeError(p, sizes.map { $0 / total }) < 1e-12)
    // Doubly stochastic: p = 1/K.
    let q = try #require(Spectrum(WeightRule.metropolis.matrix(for: graph)).perronVector)
    #expect(maxRelativeError(q, Array(repeating: 1.0 / 6, count: 6)) < 1e-12)
  }

  @Test func periodicMatrixIsConnectedButNotPrimitive() throws {
    // The swap [[0,1],[1,0]]: eigenvalues 1 and −1, period 2.
    let swap = try Spectrum(CombinationMatrix(agents: 2, weights: [0, 1, 1, 0]))
    #expect(swap.isConnected && !swap.isPrimitive && abs(swap.lambda2 - 1) < 1e-14)
    #expect(swap.mixingTime() == .infinity)
    // A directed 4-cycle: eigenvalues the 4th roots of unity; its lazy version is primitive.
    var cycle = [Double](repeating: 0, count: 16)
    for k in 0..<4 { cycle[((k + 3) % 4) * 4 + k] = 1 }
    let a = try CombinationMatrix(agents: 4, weights: cycle)
    let s = try Spectrum(a)
    #expect(s.isConnected && !s.isPrimitive && abs(s.lambda2 - 1) < 1e-12)
    #expect(s.imaginaryParts.contains { abs(abs($0) - 1) < 1e-12 })
    let lazy = try Spectrum(a.lazy)
    #expect(lazy.isPrimitive && abs(lazy.lambda2 - 0.5.squareRoot()) < 1e-12)
    // The cycle 0 → 1 → 2 → 0 plus 0 → 3 → 0 has cycles of length 3 and 2: aperiodic with no
    // self-weight.
    var mixed = [Double](repeating: 0, count: 16)
    for (l, k, w) in [(0, 1, 1.0), (1, 2, 1), (2, 0, 0.5), (3, 0, 0.5), (0, 3, 1)] { mixed[l * 4 + k] = w }
    #expect(try CombinationMatrix(agents: 4, weights: mixed).isPrimitive)
  }

  @Test func disconnectedMatrix() throws {
    let split = try Spectrum(CombinationMatrix(agents: 3, weights: [1, 0, 0, 0, 0.5, 0.5, 0, 0.5, 0.5]))
    #expect(!split.isConnected && !split.isPrimitive && split.perronVector == nil)
    #expect(abs(split.lambda2 - 1) < 1e-14 && split.spectralGap < 1e-14)
    // One-way reachability is not strong connectivity: agent 1 hears 0 but 0 never hears 1.
    let oneWay = try CombinationMatrix(agents: 2, weights: [1, 0.5, 0, 0.5])
    #expect(!oneWay.isIrreducible)
  }

  @Test func mixingTimeEstimate() throws {
    let spectrum = try Spectrum(WeightRule.metropolis.matrix(for: Graph.ring(8)))
    let expected = log(1e3) / spectrum.spectralGap
    #expect(abs(spectrum.mixingTime() - expected) < 1e-12)
    #expect(abs(spectrum.mixingTime(epsilon: 1e-6) - 2 * expected) < 1e-9)
    // It is an upper bound: the disagreement ‖Aᵗx − mean‖ after that many steps is below ε‖x‖.
    let a = try WeightRule.metropolis.matrix(for: Graph.ring(8))
    var x = normalVector(8, seed: 1)
    let mean = x.reduce(0, +) / 8
    x = x.map { $0 - mean }
    let start = x.map { $0 * $0 }.reduce(0, +).squareRoot()
    for _ in 0..<Int(spectrum.mixingTime().rounded(.up)) {
      x = (0..<8).map { k in a.neighbors(of: k).reduce(0) { $0 + $1.weight * x[$1.agent] } }
    }
    #expect(x.map { $0 * $0 }.reduce(0, +).squareRoot() <= 1e-3 * start)
  }

  @Test func singleAgent() throws {
    let spectrum = try Spectrum(CombinationMatrix.identity(1))
    #expect(spectrum.eigenvalues == [1] && spectrum.lambda2 == 0 && spectrum.isPrimitive)
    #expect(spectrum.perronVector == [1])
  }
}
