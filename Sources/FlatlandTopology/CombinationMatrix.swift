import FlatlandCore

/// The K×K combination matrix A of a network of K agents: `a_lk` is the weight agent k puts on
/// what neighbor l sends it, self-weight `a_kk` included.
///
/// Flatland follows Sayed's convention ("Adaptation, Learning, and Optimization over Networks",
/// 2014): the combine step of agent k is `w_k = Σ_l a_lk ψ_l`, so **column k holds agent k's
/// weights** and the network combine is `w = Aᵀ ψ`. A matrix whose columns sum to one is
/// *left-stochastic* (`Aᵀ 1 = 1`), which is what consensus and diffusion need; some strategies
/// also need the rows to sum to one (*doubly stochastic*).
///
/// Entries are non-negative by construction (the initializer rejects negative weights). The
/// sparse neighbor lists that strategies combine over are computed once, at construction.
public struct CombinationMatrix: Sendable {
  /// Number of agents K.
  public let agents: Int
  /// The weights, (K, K) row-major: `weights[l * K + k]` = a_lk.
  public let weights: [Double]
  /// For each agent k, the agents l with a_lk ≠ 0 (self included), ascending, with a_lk.
  private let neighborLists: [[(agent: Int, weight: Double)]]

  /// Absolute tolerance of the property checks (symmetry, row and column sums): loose enough
  /// for weights like 1/3 summed in floating point, tight enough to catch a mistyped entry.
  public static let tolerance = 1e-9

  /// A combination matrix from its (K, K) row-major weights, `weights[l * K + k]` = a_lk.
  ///
  /// Throws when K < 1, the count is not K², or an entry is negative or not finite. Sums are
  /// not checked here: call `validate(requirement:)` for what a strategy needs.
  public init(agents: Int, weights: [Double]) throws {
    guard agents >= 1 else {
      throw FlatlandError.invalid("number of agents", agents, accepted: "K ≥ 1")
    }
    guard weights.count == agents * agents else {
      throw FlatlandError.invalid(
        "combination matrix size", "\(weights.count) entries",
        accepted: "K×K = \(agents * agents) entries for K = \(agents)")
    }
    for l in 0..<agents {
      for k in 0..<agents {
        let a = weights[l * agents + k]
        guard a.isFinite, a >= 0 else {
          throw FlatlandError.invalid(
            "combination weight a[\(l),\(k)] (row \(l), column \(k))", a, accepted: "a finite weight ≥ 0")
        }
      }
    }
    self.init(checkedAgents: agents, weights: weights)
  }

  /// Throws unless the dense K × K weights of `agents` agents (and the few matrices of that size
  /// that products, spectra and reports build from them) fit in `MemoryBudget`: the check every
  /// user-given K passes before a matrix is built.
  public static func checkSize(agents: Int) throws {
    try MemoryBudget.check(
      "K = \(agents) agents (a dense \(agents) × \(agents) combination matrix, built 4 times)", [4, agents, agents],
      bytesEach: MemoryLayout<Double>.stride)
  }

  /// Builders whose weights are non-negative by construction come here directly.
  init(checkedAgents agents: Int, weights: [Double]) {
    self.agents = agents
    self.weights = weights
    neighborLists = (0..<agents).map { k in
      (0..<agents).compactMap { l in
        let a = weights[l * agents + k]
        return a == 0 ? nil : (agent: l, weight: a)
      }
    }
  }

  /// The identity: every agent keeps its own iterate (no cooperation; the centralized strategy
  /// uses it as a placeholder network). Throws when K < 1.
  public static func identity(_ agents: Int) throws -> CombinationMatrix {
    guard agents >= 1 else {
      throw FlatlandError.invalid("number of agents", agents, accepted: "K ≥ 1")
    }
    var w = [Double](repeating: 0, count: agents * agents)
    for k in 0..<agents { w[k * agents + k] = 1 }
    return CombinationMatrix(checkedAgents: agents, weights: w)
  }

  // MARK: - Access

  /// a_lk: the weight agent k gives neighbor l.
  public subscript(l: Int, k: Int) -> Double { weights[l * agents + k] }

  /// The agents l that agent k listens to (a_lk ≠ 0, self included), ascending in l, with
  /// their weights: the sparse form of column k, for the combine `w_k = Σ_l a_lk ψ_l`.
  public func neighbors(of k: Int) -> [(agent: Int, weight: Double)] { neighborLists[k] }

  /// Sum of column k: the total weight agent k gives out (1 for a left-stochastic A).
  public func columnSum(_ k: Int) -> Double { (0..<agents).reduce(0) { $0 + weights[$1 * agents + k] } }

  /// Sum of row l: the total weight neighbor l receives from everyone (1 for a right-stochastic A).
  public func rowSum(_ l: Int) -> Double { (0..<agents).reduce(0) { $0 + weights[l * agents + $1] } }

  /// The undirected support: pairs {l, k}, l < k, with a_lk ≠ 0 or a_kl ≠ 0.
  public var supportEdges: [Graph.Edge] {
    var edges: [Graph.Edge] = []
    for l in 0..<agents {
      for k in (l + 1)..<agents where self[l, k] != 0 || self[k, l] != 0 {
        edges.append(Graph.Edge(l, k))
      }
    }
    return edges
  }

  /// The lazy matrix ½(I + A): same support and fixed points, eigenvalues ½(1 + λ) moved into
  /// [0, 1], so it is primitive whenever A is irreducible. Preserves all stochasticity.
  public var lazy: CombinationMatrix {
    var w = weights.map { 0.5 * $0 }
    for k in 0..<agents { w[k * agents + k] += 0.5 }
    return CombinationMatrix(checkedAgents: agents, weights: w)
  }

  // MARK: - Properties

  /// a_lk = a_kl for all pairs, within `tolerance`.
  public var isSymmetric: Bool {
    for l in 0..<agents {
      for k in 0..<l where abs(self[l, k] - self[k, l]) > Self.tolerance { return false }
    }
    return true
  }

  /// Every column sums to one within `tolerance` (Aᵀ 1 = 1): each agent's weights are a convex
  /// combination.
  public var isLeftStochastic: Bool { (0..<agents).allSatisfy { abs(columnSum($0) - 1) <= Self.tolerance } }

  /// Every row sums to one within `tolerance` (A 1 = 1).
  public var isRightStochastic: Bool { (0..<agents).allSatisfy { abs(rowSum($0) - 1) <= Self.tolerance } }

  /// Rows and columns both sum to one: the network average is preserved by every combine.
  public var isDoublyStochastic: Bool { isLeftStochastic && isRightStochastic }
}

// MARK: - Equatable, Codable

extension CombinationMatrix: Equatable {
  public static func == (a: CombinationMatrix, b: CombinationMatrix) -> Bool {
    a.agents == b.agents && a.weights == b.weights
  }
}

extension CombinationMatrix: Codable {
  private enum CodingKeys: String, CodingKey {
    case agents
    case weights
  }

  /// Decodes `agents` and row-major `weights`, with the same checks as `init(agents:weights:)`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(agents: c.decode(Int.self, forKey: .agents), weights: c.decode([Double].self, forKey: .weights))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(agents, forKey: .agents)
    try c.encode(weights, forKey: .weights)
  }
}
