import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import FlatlandTestSupport
import FlatlandTopology
import Testing

/// One step of every rule against its equation, evaluated naively in the same Float operations:
/// Q_k(w) = ½‖w − c_k‖², so ∇Q_k(w) = w − c_k, over a left-stochastic, non-symmetric A. P spans
/// several combine blocks and ends mid-block, so the blocked combine and the fused
/// gradient-then-adapt pass are checked coordinate by coordinate, for 1 and 2 threads.
@Suite struct UpdateRuleTests {
  static let agents = 5, length = 2 * 4096 + 123, mu: Float = 0.3

  /// a_lk: column k sums to one; agent k listens to itself and to k ± 1, l = k + 2 not at all.
  static let matrix: CombinationMatrix = {
    let k = agents
    var a = [Double](repeating: 0, count: k * k)
    for col in 0..<k {
      a[col * k + col] = 0.5
      a[((col + 1) % k) * k + col] = 0.3
      a[((col + k - 1) % k) * k + col] = 0.2
    }
    return try! CombinationMatrix(agents: k, weights: a)
  }()

  static let start = (0..<agents).map { k in normalVector(length, seed: UInt64(k)).map(Float.init) }
  static let targets = (0..<agents).map { k in normalVector(length, seed: UInt64(100 + k)).map(Float.init) }

  static func gradient(_ k: Int, _ w: [Float]) -> [Float] { zip(w, targets[k]).map { $0 - $1 } }

  /// Σ_l a_lk x_l with the neighbors in ascending order: a product, then multiply-adds.
  static func mix(_ x: [[Float]], _ k: Int, _ matrix: CombinationMatrix = matrix) -> [Float] {
    let terms = matrix.neighbors(of: k)
    var out = x[terms[0].agent].map { Float(terms[0].weight) * $0 }
    for (l, a) in terms.dropFirst() {
      for j in out.indices { out[j] += Float(a) * x[l][j] }
    }
    return out
  }

  static func sgd(_ w: [Float], _ g: [Float]) -> [Float] { zip(w, g).map { $0 - mu * $1 } }

  /// (1/K) Σ_l x_l, summed in agent order, then scaled, as the engine's all-reduce mean.
  static func average(_ x: [[Float]]) -> [Float] {
    var sum = x[0]
    for l in 1..<x.count { for j in sum.indices { sum[j] += x[l][j] } }
    return sum.map { $0 * (1 / Float(x.count)) }
  }

  static func reference(_ kind: StrategyKind) -> [[Float]] {
    let w = start
    let k = 0..<agents
    switch kind {
    case .centralized:
      let mean = average(k.map { gradient($0, w[$0]) })
      return k.map { sgd(w[$0], mean) }
    case .consensus:
      return k.map { sgd(mix(w, $0), gradient($0, w[$0])) }
    case .diffusion:
      let psi = k.map { sgd(w[$0], gradient($0, w[$0])) }
      return k.map { mix(psi, $0) }
    case .diffusionCTA:
      let phi = k.map { mix(w, $0) }
      return k.map { sgd(phi[$0], gradient($0, phi[$0])) }
    case .localSGD:
      return k.map { sgd(w[$0], gradient($0, w[$0])) }
    case .exactDiffusion:
      // ψ_prev = w, so φ = ψ: diffusion over ½(I + A).
      let psi = k.map { sgd(w[$0], gradient($0, w[$0])) }
      return k.map { mix(psi, $0, matrix.exactDiffusionCombination) }
    case .gradientTracking:
      // y_0 = ∇Q_k(w_0): w ← Σ a w − μ ∇Q_k(w).
      return k.map { sgd(mix(w, $0), gradient($0, w[$0])) }
    }
  }

  /// One step from `start`; with `fused`, the engine also offers a descent oracle, and the
  /// agents that took it are returned.
  static func step(
    _ kind: StrategyKind, threads: Int, iteration: Int = 0, fused: Bool = false,
    optimizer: LocalOptimizer = LocalOptimizer()
  ) -> (rows: [[Float]], descended: [Bool]) {
    let parameters = AgentVectors(agents: agents, length: length)
    for k in 0..<agents { parameters.set(k, start[k]) }
    let state = StrategyState(parameters: parameters, optimizer: optimizer, kind: kind)
    let oracle: GradientOracle = { k, w, g in
      for j in 0..<length { g[j] = w[j] - targets[k][j] }
      return LossStats(loss: 0, correct: 0, count: 1)
    }
    let descended = UncheckedBox(UnsafeMutableBufferPointer<Bool>.allocate(capacity: agents))
    defer { descended.value.deallocate() }
    descended.value.initialize(repeating: false)
    let descent: DescentOracle = { k, w, target, mu, _ in
      descended.value[k] = true
      for j in 0..<length { target[j] -= mu * (w[j] - targets[k][j]) }
      return LossStats(loss: 0, correct: 0, count: 1)
    }
    Strategy(kind, localSteps: 2).step(
      state, iteration: iteration, stepSize: mu, matrix: matrix, optimizer: optimizer,
      communicator: InProcessCommunicator(agents: agents, threads: threads), gradient: oracle,
      descent: fused ? descent : nil)
    return ((0..<agents).map { state.parameters.row($0) }, Array(descended.value))
  }

  @Test(arguments: StrategyKind.allCases, [1, 2])
  func oneStepEqualsTheUpdateEquation(_ kind: StrategyKind, threads: Int) {
    let got = Self.step(kind, threads: threads).rows
    let want = Self.reference(kind)
    for k in 0..<Self.agents {
      let differing = zip(got[k], want[k]).filter { $0 != $1 }.count
      #expect(differing == 0, "\(kind.rawValue), agent \(k): \(differing) of \(Self.length) coordinates differ")
    }
  }

  /// The rules whose adapt is the plain step on the agent's own gradient (diffusion, CTA,
  /// local SGD, exact diffusion, and consensus onto its combined row) take the fused descent
  /// when offered, for every agent, with the same result; centralized needs the gradients
  /// themselves to average them, gradient tracking to difference them, and momentum needs the
  /// velocity.
  @Test(arguments: StrategyKind.allCases)
  func plainStepsTakeTheFusedDescent(_ kind: StrategyKind) {
    let fusable: Set<StrategyKind> = [.diffusion, .diffusionCTA, .localSGD, .consensus, .exactDiffusion]
    let fused = Self.step(kind, threads: 2, fused: true)
    #expect(
      fused.descended == Array(repeating: fusable.contains(kind), count: Self.agents),
      "\(kind.rawValue): \(fused.descended)")
    #expect(fused.rows == Self.reference(kind), "\(kind.rawValue): fused step differs from the update equation")
    let momentum = Self.step(kind, threads: 2, fused: true, optimizer: LocalOptimizer(momentum: 0.9))
    #expect(!momentum.descended.contains(true), "\(kind.rawValue) with momentum took the fused step")
    // From zero velocity the first heavy-ball step is the plain one, through the unfused path.
    #expect(
      momentum.rows == Self.reference(kind), "\(kind.rawValue): momentum's first step differs from the update equation")
  }

  /// Local SGD with H = 2 averages after its second local step: iteration 1 ends with every
  /// agent at (1/K) Σ_l (w_l − μ∇Q_l(w_l)), summed in agent order, averaged in place.
  @Test(arguments: [1, 2])
  func localSGDAveragesEveryHSteps(threads: Int) {
    let mean = Self.average(Self.reference(.localSGD))
    for fused in [false, true] {
      let rows = Self.step(.localSGD, threads: threads, iteration: 1, fused: fused).rows
      #expect(rows == Array(repeating: mean, count: Self.agents), "fused: \(fused)")
    }
  }
}
