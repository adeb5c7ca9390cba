import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

/// Every rule keeps its promise on every family, as a table of rules × families.
@Suite struct WeightRuleTests {
  static let families: [(name: String, graph: Graph)] = {
    do {
      return [
        ("ring", try .ring(9)), ("line", try .line(7)), ("star", try .star(6)), ("complete", try .complete(5)),
        ("grid", try .grid2D(rows: 3, cols: 4)), ("torus", try .torus2D(rows: 3, cols: 3)),
        ("hypercube", try .hypercube(16)), ("exponential", try .exponential(12)),
        ("erdos-renyi", try .erdosRenyi(15, p: 0.3, seed: 2)),
        ("geometric", try .randomGeometric(15, radius: 0.45, seed: 2)),
        ("small-world", try .wattsStrogatz(14, neighbors: 4, rewiring: 0.3, seed: 2)),
      ]
    } catch {
      preconditionFailure("test families must build: \(error)")
    }
  }()

  static let graphRules = WeightRule.allCases.filter { $0 != .user }

  @Test(arguments: graphRules)
  func stochasticityAndSymmetryOnEveryFamily(rule: WeightRule) throws {
    for (name, graph) in Self.families {
      let a = try rule.matrix(for: graph)
      let regular = (0..<graph.agents).allSatisfy { graph.degree($0) == graph.degree(0) }
      #expect(a.isLeftStochastic, "\(rule) on \(name): columns must sum to 1")
      #expect(a.weights.allSatisfy { $0 >= 0 }, "\(rule) on \(name): negative weight")
      switch rule {
      case .uniform, .lazyUniform:
        // Averaging is symmetric and doubly stochastic exactly on regular graphs.
        #expect(a.isSymmetric == regular && a.isDoublyStochastic == regular, "\(rule) on \(name)")
      default:
        #expect(a.isSymmetric && a.isDoublyStochastic, "\(rule) on \(name)")
      }
      // Support: self plus graph neighbors, nothing else.
      for k in 0..<graph.agents {
        #expect(
          a.neighbors(of: k).map(\.agent) == (graph.adjacency[k] + [k]).sorted(), "\(rule) on \(name), agent \(k)")
      }
    }
  }

  @Test func metropolisWeightsOnAStar() throws {
    // Hub degree 4, leaves degree 1: a_hub,leaf = 1/(1 + 4) = 0.2; leaf self-weight 0.8, hub 0.2.
    let a = try WeightRule.metropolis.matrix(for: Graph.star(5))
    #expect(a[0, 1] == 0.2 && a[1, 0] == 0.2 && abs(a[1, 1] - 0.8) < 1e-15 && abs(a[0, 0] - 0.2) < 1e-15)
  }

  @Test func uniformWeightsAreOneOverNeighborhoodSize() throws {
    let a = try WeightRule.uniform.matrix(for: Graph.star(5))
    // Hub k = 0 has n = 5: gives 1/5 to everyone; a leaf has n = 2: 1/2 to itself and the hub.
    #expect((0..<5).allSatisfy { abs(a[$0, 0] - 0.2) < 1e-15 })
    #expect(a[0, 1] == 0.5 && a[1, 1] == 0.5 && a[2, 1] == 0)
  }

  @Test func maxDegreeAndLazyWeights() throws {
    let line = try Graph.line(3)  // d_max = 2
    let a = try WeightRule.maxDegree.matrix(for: line)
    #expect(abs(a[1, 0] - 1.0 / 3) < 1e-15 && abs(a[0, 0] - 2.0 / 3) < 1e-15 && abs(a[1, 1] - 1.0 / 3) < 1e-15)
    let lazy = try WeightRule.lazyMaxDegree.matrix(for: line)
    #expect(maxRelativeError(lazy.weights, a.lazy.weights) == 0)
    #expect(abs(lazy[0, 0] - 5.0 / 6) < 1e-15)
  }

  @Test func userRuleNeedsAMatrix() throws {
    let message = errorMessage { _ = try WeightRule.user.matrix(for: Graph.ring(4)) }
    #expect(message?.contains("'user'") == true && message?.contains("matrix:PATH.csv") == true)
  }

  /// Property check over many random graphs: columns (and rows, where promised) sum to one
  /// and every eigenvalue lies in [−1, 1].
  @Test(arguments: graphRules)
  func propertiesOverRandomGraphs(rule: WeightRule) throws {
    var rng = RandomStream(seed: 11, purpose: .measure)
    for trial in 0..<25 {
      let agents = 2 + rng.index(below: 20)
      let p = 0.15 + 0.85 * rng.uniform()
      let graph = try Graph.erdosRenyi(agents, p: p, seed: UInt64(trial))
      let a = try rule.matrix(for: graph)
      for k in 0..<agents { #expect(abs(a.columnSum(k) - 1) < 1e-12) }
      if rule != .uniform && rule != .lazyUniform {
        for l in 0..<agents { #expect(abs(a.rowSum(l) - 1) < 1e-12) }
      }
      let spectrum = try Spectrum(a)
      for (re, im) in zip(spectrum.eigenvalues, spectrum.imaginaryParts) {
        #expect((re * re + im * im).squareRoot() <= 1 + 1e-10, "\(rule), K = \(agents), p = \(p)")
        #expect(!rule.isLazy || re >= -1e-10, "lazy rules have eigenvalues in [0, 1]")
      }
      #expect(abs(spectrum.eigenvalues[0] - 1) < 1e-10 && spectrum.lambda2 < 1, "connected and aperiodic")
      #expect(spectrum.isConnected && spectrum.isPrimitive)
    }
  }
}
