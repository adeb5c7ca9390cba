import FlatlandCore

/// A network: K agents and the combination matrix A(i) they mix with at iteration i.
///
/// A static topology (a graph family with a weight rule, or a user matrix) has the same A at
/// every iteration. A time-varying one is a sequence of matrices: periodic (one-peer
/// exponential) or a fresh seeded random draw per iteration (random matchings). Every matrix a
/// topology hands out is non-negative and left-stochastic, and a static one is irreducible
/// (its agents form one connected network); build topologies from names with
/// `parse(_:agents:weights:seed:)` (`Topology+Parse.swift`).
public struct Topology: Sendable {
  /// How the per-iteration matrices are produced.
  enum Schedule: Sendable {
    /// The same matrix at every iteration.
    case fixed(CombinationMatrix)
    /// A(i) = matrices[i mod count].
    case cycle([CombinationMatrix])
    /// A(i) is a random matching drawn from `root.split(i)`, weighted by the rule.
    case randomMatching(root: RandomStream)
  }

  /// The name this topology was built from, e.g. `ring` or `erdos-renyi:0.3`.
  public let name: String
  /// Number of agents K.
  public let agents: Int
  /// The weight rule (`user` for a matrix given as is).
  public let weights: WeightRule
  /// The undirected graph, for static graph families; nil for user matrices and time-varying
  /// topologies (use `matrix(at:).supportEdges` for who talks to whom at an iteration).
  public let graph: Graph?
  let schedule: Schedule

  /// A static topology: `graph` weighted by `weights`. Throws when the graph is disconnected
  /// or the rule is `user`.
  public init(name: String, graph: Graph, weights: WeightRule) throws {
    try graph.requireConnected(name)
    self.name = name
    agents = graph.agents
    self.weights = weights
    self.graph = graph
    schedule = .fixed(try weights.matrix(for: graph))
  }

  /// A static topology with a user-given matrix, used as is. Throws unless the matrix is
  /// left-stochastic (naming the first column that is not) and irreducible (connected).
  public init(name: String, matrix: CombinationMatrix) throws {
    try matrix.validate(requirement: .leftStochastic)
    guard matrix.isIrreducible else {
      throw FlatlandError(
        .invalidArgument,
        "combination matrix '\(name)' is not connected: some agent's iterate never reaches another (the graph of "
          + "a_lk > 0 must be strongly connected)"
      )
    }
    self.name = name
    agents = matrix.agents
    weights = .user
    graph = nil
    schedule = .fixed(matrix)
  }

  /// A periodic topology of user matrices, A(i) = matrices[i mod P], each used as is (a single
  /// matrix is the static topology of `init(name:matrix:)`). Throws unless every matrix is for
  /// the same K and left-stochastic (naming the matrix and its first bad column) and the
  /// product over one period is irreducible, so the agents form one network over each cycle.
  public init(name: String, periodic matrices: [CombinationMatrix]) throws {
    guard let first = matrices.first else {
      throw FlatlandError.invalid("period of '\(name)'", 0, accepted: "at least one combination matrix")
    }
    guard matrices.count > 1 else {
      try self.init(name: name, matrix: first)
      return
    }
    for (j, matrix) in matrices.enumerated() {
      guard matrix.agents == first.agents else {
        throw FlatlandError.invalid(
          "agents of matrix \(j) of the period of '\(name)'", matrix.agents,
          accepted: "\(first.agents), the agents of matrix 0")
      }
      do {
        try matrix.validate(requirement: .leftStochastic)
      } catch let error as FlatlandError {
        throw FlatlandError(error.kind, "matrix \(j) of the period of '\(name)': \(error.message)")
      }
    }
    self.init(name: name, agents: first.agents, weights: .user, schedule: .cycle(matrices))
    guard periodProduct()!.isIrreducible else {
      throw FlatlandError(
        .invalidArgument,
        "the period of '\(name)' does not connect its agents: over one cycle some agent's iterate never reaches "
          + "another (the product A(0) ⋯ A(P − 1) must be irreducible)"
      )
    }
  }

  init(name: String, agents: Int, weights: WeightRule, schedule: Schedule) {
    self.name = name
    self.agents = agents
    self.weights = weights
    graph = nil
    self.schedule = schedule
  }

  /// A(i), the combination matrix agents use at iteration `iteration` ≥ 0: the same matrix for
  /// a static topology; for a time-varying one, the same A(i) for the same (seed, i) however
  /// often or in whatever order it is asked for.
  public func matrix(at iteration: Int) -> CombinationMatrix {
    precondition(iteration >= 0, "iterations count from 0")
    switch schedule {
    case .fixed(let matrix):
      return matrix
    case .cycle(let matrices):
      return matrices[iteration % matrices.count]
    case .randomMatching(let root):
      return Self.randomMatching(agents: agents, weights: weights, rng: root.split(iteration))
    }
  }

  /// Whether A(i) changes with i.
  public var isTimeVarying: Bool {
    if case .fixed = schedule { return false }
    return true
  }

  /// The smallest p with A(i + p) = A(i) for all i: 1 for a static topology, the cycle length
  /// for a periodic one, nil for random draws.
  public var period: Int? {
    switch schedule {
    case .fixed: return 1
    case .cycle(let matrices): return matrices.count
    case .randomMatching: return nil
    }
  }

  /// A(0) A(1) ⋯ A(p − 1) over one period p: after p iterations the combines have applied
  /// its transpose (`w ← A(i)ᵀ w` each step), so its λ₂ is the mixing of a whole cycle. Nil
  /// for random draws, which have no period.
  public func periodProduct() -> CombinationMatrix? {
    guard let period else { return nil }
    var product = matrix(at: 0).weights
    for i in 1..<period {
      let next = matrix(at: i)
      var result = [Double](repeating: 0, count: agents * agents)
      for l in 0..<agents {
        for m in 0..<agents where product[l * agents + m] != 0 {
          for k in 0..<agents { result[l * agents + k] += product[l * agents + m] * next[m, k] }
        }
      }
      product = result
    }
    return CombinationMatrix(checkedAgents: agents, weights: product)
  }
}
