import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import FlatlandTestSupport
import FlatlandTopology
import Foundation
import Testing

/// Exact diffusion and gradient tracking: several steps against their equations coordinate
/// for coordinate (the first step alone never exercises ψ_prev, y or the old gradient), their
/// state buffers, and the bias they remove on agents with different minimizers.
@Suite struct BiasCorrectedRuleTests {
  typealias Rules = UpdateRuleTests
  static let steps = 3

  /// The naive state of either rule: w, velocity, and ψ_prev or (y, old gradient).
  struct Reference {
    var w: [[Float]]
    var velocity: [[Float]]
    var previous: [[Float]]
    var tracker: [[Float]]
    var old: [[Float]]

    init() {
      w = Rules.start
      let zeros = Array(repeating: [Float](repeating: 0, count: Rules.length), count: Rules.agents)
      (velocity, previous, tracker, old) = (zeros, Rules.start, zeros, zeros)
    }

    /// LocalOptimizer's step in the same Float operations: d = g + λw, m ← βm + d, x − μm.
    static func adapt(_ x: [Float], _ g: [Float], _ m: inout [Float], _ o: LocalOptimizer) -> [Float] {
      var out = x
      for j in x.indices {
        let d = g[j] + o.weightDecay * x[j]
        if o.momentum != 0 {
          m[j] = o.momentum * m[j] + d
          out[j] -= Rules.mu * m[j]
        } else {
          out[j] -= Rules.mu * d
        }
      }
      return out
    }

    /// c = w − ψ_prev; ψ = adapt(w, ∇Q(w)); φ = ψ + c; ψ_prev ← ψ; w ← Σ ā_lk φ_l.
    mutating func exactDiffusion(_ o: LocalOptimizer) {
      var phi = w
      for k in 0..<Rules.agents {
        let c = zip(w[k], previous[k]).map { $0 - $1 }
        let psi = Self.adapt(w[k], Rules.gradient(k, w[k]), &velocity[k], o)
        phi[k] = zip(psi, c).map { $0 + $1 }
        previous[k] = psi
      }
      w = (0..<Rules.agents).map { Rules.mix(phi, $0, Rules.matrix.exactDiffusionCombination) }
    }

    /// d = ∇Q(w) + λw; y ← Σ a y + (d − d_old); d_old ← d; w ← Σ a w − μ m, m ← βm + y.
    mutating func gradientTracking(_ o: LocalOptimizer) {
      var delta = w
      for k in 0..<Rules.agents {
        let d = zip(Rules.gradient(k, w[k]), w[k]).map { $0 + o.weightDecay * $1 }
        delta[k] = zip(d, old[k]).map { $0 - $1 }
        old[k] = d
      }
      let mixed = (0..<Rules.agents).map { Rules.mix(tracker, $0) }
      let combined = (0..<Rules.agents).map { Rules.mix(w, $0) }
      for k in 0..<Rules.agents {
        tracker[k] = zip(mixed[k], delta[k]).map { $0 + $1 }
        w[k] = combined[k]
        for j in w[k].indices {
          if o.momentum != 0 {
            velocity[k][j] = o.momentum * velocity[k][j] + tracker[k][j]
            w[k][j] -= Rules.mu * velocity[k][j]
          } else {
            w[k][j] -= Rules.mu * tracker[k][j]
          }
        }
      }
    }
  }

  static let optimizers = [
    LocalOptimizer(), LocalOptimizer(momentum: 0.9), LocalOptimizer(momentum: 0.5, weightDecay: 0.01),
  ]

  /// The number of coordinates where `got` and `want` differ.
  func differing(_ got: AgentVectors?, _ want: [[Float]]) -> Int {
    guard let got else { return -1 }
    return (0..<Rules.agents).reduce(0) { $0 + zip(got.row($1), want[$1]).filter { $0 != $1 }.count }
  }

  @Test(arguments: [StrategyKind.exactDiffusion, .gradientTracking], [1, 2])
  func stepsEqualTheUpdateEquationsWithTheirState(_ kind: StrategyKind, threads: Int) {
    for (index, optimizer) in Self.optimizers.enumerated() {
      for fused in [false, true] {
        let parameters = AgentVectors(agents: Rules.agents, length: Rules.length)
        for k in 0..<Rules.agents { parameters.set(k, Rules.start[k]) }
        let state = StrategyState(parameters: parameters, optimizer: optimizer, kind: kind)
        let oracle: GradientOracle = { k, w, g in
          for j in 0..<Rules.length { g[j] = w[j] - Rules.targets[k][j] }
          return LossStats(loss: 0, correct: 0, count: 1)
        }
        let descent: DescentOracle = { k, w, target, mu, lambda in
          for j in 0..<Rules.length { target[j] = (1 - mu * lambda) * target[j] - mu * (w[j] - Rules.targets[k][j]) }
          return LossStats(loss: 0, correct: 0, count: 1)
        }
        let comm = InProcessCommunicator(agents: Rules.agents, threads: threads)
        var reference = Reference()
        for i in 0..<Self.steps {
          Strategy(kind).step(
            state, iteration: i, stepSize: Rules.mu, matrix: Rules.matrix, optimizer: optimizer, communicator: comm,
            gradient: oracle, descent: fused && optimizer.weightDecay == 0 ? descent : nil)
          if kind == .exactDiffusion {
            reference.exactDiffusion(optimizer)
          } else {
            reference.gradientTracking(optimizer)
          }
        }
        let label = "\(kind.rawValue), optimizer \(index), fused \(fused)"
        #expect(differing(state.parameters, reference.w) == 0, "\(label): parameters")
        if optimizer.momentum != 0 { #expect(differing(state.velocity, reference.velocity) == 0, "\(label): velocity") }
        if kind == .exactDiffusion {
          #expect(differing(state.previousAdapted, reference.previous) == 0, "\(label): ψ_prev")
          #expect(state.tracker == nil && state.previousGradient == nil)
        } else {
          #expect(differing(state.tracker, reference.tracker) == 0, "\(label): y")
          #expect(differing(state.previousGradient, reference.old) == 0, "\(label): old gradient")
          #expect(state.previousAdapted == nil)
        }
      }
    }
  }

  @Test func stateBuffersAreMadeOnlyForTheRulesThatNeedThem() {
    let w = AgentVectors(agents: 2, length: 3)
    for kind in StrategyKind.allCases {
      let names = StrategyState(parameters: w, optimizer: LocalOptimizer(momentum: 0.5), kind: kind).stateBuffers.keys
      let own: [StrategyKind: [String]] = [
        .exactDiffusion: ["previous_adapted_iterate"], .gradientTracking: ["previous_gradient", "tracker"],
      ]
      #expect(names.sorted() == (["velocity"] + (own[kind] ?? [])).sorted(), "\(kind.rawValue)")
      #expect(names.count == 1 + kind.stateBufferCount)
    }
  }

  // MARK: - Heterogeneous agents

  /// Q_k(w) = ½ Σ_j h_j (w_j − c_kj)² with c_kj = c̄_j + a_j cos(2πk/K): each agent its own
  /// minimizer, the network's at w* = c̄. On the Metropolis ring (a_lk = ⅓ on self and both
  /// neighbors), cos(2πk/K) is an eigenvector of A with λ = ⅓ + ⅔ cos(2π/K), so diffusion's
  /// fixed point has the closed form w_kj − c̄_j = λμh_j / (1 − λ(1 − μh_j)) · a_j cos(2πk/K):
  /// a bias of order μ. Exact diffusion and gradient tracking reach w* itself, up to Float32
  /// rounding: gradient tracking's conserved sum Σ_k (y_k − d_k) involves vectors that vanish at
  /// the fixed point, so its rounding does too (within 10⁻⁵); exact diffusion's Σ_k (w_k −
  /// ψ_k,prev) involves w* itself, whose rounding settles at an offset of order ε/(μh) (within
  /// 2·10⁻⁴ here; 6·10⁻³ with Ā's weights rounded to Float32 independently).
  static let tolerance: [StrategyKind: Double] = [.exactDiffusion: 2e-4, .gradientTracking: 1e-5]
  static let k = 8
  static let curvature: [Float] = [0.5, 1, 2]
  static let mean: [Float] = [1, -2, 0.5]
  static let spread: [Float] = [1, 0.5, 2]

  static func heterogeneous(_ kind: StrategyKind, mu: Float, iterations: Int) throws -> [[Float]] {
    let topology = try Topology.parse("ring", agents: k, weights: .metropolis, seed: 1)
    let state = StrategyState(
      parameters: AgentVectors(agents: k, length: curvature.count), optimizer: LocalOptimizer(), kind: kind)
    let oracle: GradientOracle = { agent, w, g in
      let wave = Float(cos(2 * Double.pi * Double(agent) / Double(k)))
      for j in 0..<curvature.count { g[j] = curvature[j] * (w[j] - (mean[j] + spread[j] * wave)) }
      return LossStats(loss: 0, correct: 0, count: 1)
    }
    let comm = InProcessCommunicator(agents: k, threads: 1)
    for i in 0..<iterations {
      Strategy(kind).step(
        state, iteration: i, stepSize: mu, matrix: topology.matrix(at: i), optimizer: LocalOptimizer(),
        communicator: comm, gradient: oracle)
    }
    return state.parameters.rows
  }

  @Test func biasCorrectedRulesReachTheNetworkMinimizerWhereDiffusionKeepsAnOrderMuBias() throws {
    let lambda = 1.0 / 3 + 2.0 / 3 * cos(2 * Double.pi / Double(Self.k))
    var biases: [Double] = []
    for mu in [0.05, 0.025] {
      let iterations = Int(40 / mu)
      for kind in [StrategyKind.exactDiffusion, .gradientTracking] {
        let w = try Self.heterogeneous(kind, mu: Float(mu), iterations: iterations)
        let worst = (0..<Self.k).flatMap { a in (0..<3).map { abs(Double(w[a][$0] - Self.mean[$0])) } }.max()!
        #expect(worst < Self.tolerance[kind]!, "\(kind.rawValue), μ = \(mu): max |w_k − w*| = \(worst)")
      }
      let w = try Self.heterogeneous(.diffusion, mu: Float(mu), iterations: iterations)
      var worstError = 0.0
      var bias = 0.0
      for a in 0..<Self.k {
        let wave = cos(2 * Double.pi * Double(a) / Double(Self.k))
        for j in 0..<3 {
          let muH = mu * Double(Self.curvature[j])
          let predicted = lambda * muH / (1 - lambda * (1 - muH)) * Double(Self.spread[j]) * wave
          worstError = max(worstError, abs(Double(w[a][j] - Self.mean[j]) - predicted))
          bias = max(bias, abs(predicted))
        }
      }
      #expect(worstError < 1e-5, "diffusion, μ = \(mu): fixed point off its closed form by \(worstError)")
      biases.append(bias)
    }
    // The largest bias, along h = 2 at agents 0 and 4: 0.5837 at μ = 0.05, 0.3417 at μ/2 (the
    // O(μ) term λμh/(1 − λ) shrunk by the denominator's μh).
    #expect(abs(biases[0] - 0.5837) < 1e-4 && abs(biases[1] - 0.3417) < 1e-4, "diffusion biases \(biases)")
  }

  // MARK: - Requirements

  @Test func theRulesNameWhatTheyNeedOfTheMatrixAndTheOptimizer() throws {
    let star = try Topology.parse("star", agents: 5, weights: .uniform, seed: 1)
    #expect(throws: Never.self) { try StrategyKind.diffusion.requireMatrices(of: star) }
    for kind in [StrategyKind.gradientTracking, .exactDiffusion] {
      let error = try #require(throws: FlatlandError.self) { try kind.requireMatrices(of: star) }
      #expect(error.message.hasPrefix("\(kind.rawValue) needs a \(kind.matrixRequirement!.rawValue) combination"))
      #expect(error.message.contains("row 0") && !error.message.contains("\n"), "\(error.message)")
    }
    let onePeer = try Topology.parse("one-peer-exponential", agents: 8, weights: .metropolis, seed: 1)
    #expect(throws: Never.self) { try StrategyKind.gradientTracking.requireMatrices(of: onePeer) }
    let timeVarying = try #require(throws: FlatlandError.self) {
      try StrategyKind.exactDiffusion.requireMatrices(of: onePeer)
    }
    #expect(timeVarying.message.hasPrefix("exact-diffusion needs a static topology"))
    let ring = try Topology.parse("ring", agents: 6, weights: .metropolis, seed: 1)
    for kind in StrategyKind.allCases { #expect(throws: Never.self) { try kind.requireMatrices(of: ring) } }
    let clipped = LocalOptimizer(momentum: 0.9, weightDecay: 1e-4, clipNorm: 5)
    let clip = try #require(throws: FlatlandError.self) {
      try StrategyKind.gradientTracking.requireComposable(with: clipped)
    }
    #expect(clip.message.hasPrefix("invalid clip '5.0' for gradient-tracking"))
    for kind in StrategyKind.allCases where kind != .gradientTracking {
      #expect(throws: Never.self) { try kind.requireComposable(with: clipped) }
    }
    #expect(throws: Never.self) {
      try StrategyKind.gradientTracking.requireComposable(with: LocalOptimizer(momentum: 0.9, weightDecay: 1e-4))
    }
  }
}
