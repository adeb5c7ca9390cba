import FlatlandCore

/// How agents weigh their neighbors: the rule that turns a `Graph` into a `CombinationMatrix`.
///
/// With d_k the degree of agent k (self excluded), n_k = d_k + 1 the size of its neighborhood
/// N_k (self included) and a_lk the weight agent k gives l ∈ N_k (zero outside N_k):
///
/// - `metropolis` (Metropolis–Hastings; Metropolis et al. 1953, Hastings 1970; for averaging,
///   Xiao & Boyd, "Fast linear iterations for distributed averaging", 2004, and Sayed 2014,
///   Table 14.1): a_lk = 1 / (1 + max(d_k, d_l)) for l ≠ k, a_kk = 1 − Σ_{l≠k} a_lk.
///   Symmetric and doubly stochastic on any graph; needs only each neighbor's degree.
/// - `uniform` (averaging rule): a_lk = 1 / n_k. Columns sum to one (left-stochastic); symmetric
///   and doubly stochastic only on regular graphs.
/// - `maxDegree`: a_lk = 1 / (1 + d_max) for l ≠ k, a_kk = 1 − d_k / (1 + d_max). Symmetric and
///   doubly stochastic, with a positive diagonal, but slow on irregular graphs.
/// - `lazyMetropolis`, `lazyUniform`, `lazyMaxDegree`: ½(I + A) of the rule above. Eigenvalues
///   move from [−1, 1] to [0, 1], so even bipartite graphs mix (at half speed).
/// - `user`: the matrix is given as is (the `matrix:PATH.csv` topology); no graph rule applies.
public enum WeightRule: String, Sendable, Codable, CaseIterable {
  case metropolis
  case uniform
  case maxDegree = "max-degree"
  case lazyMetropolis = "lazy-metropolis"
  case lazyUniform = "lazy-uniform"
  case lazyMaxDegree = "lazy-max-degree"
  case user

  /// Whether the rule is ½(I + A) of another.
  public var isLazy: Bool { self == .lazyMetropolis || self == .lazyUniform || self == .lazyMaxDegree }

  /// The combination matrix of `graph` under this rule. Throws for `user`, which has no graph rule.
  public func matrix(for graph: Graph) throws -> CombinationMatrix {
    try requireGraphRule(for: "a graph")
    return graphMatrix(graph)
  }

  /// Throws for `user`, naming `context` (what needed a graph rule).
  func requireGraphRule(for context: String) throws {
    guard self != .user else {
      throw FlatlandError.invalid(
        "weight rule", rawValue,
        accepted:
          "a graph rule (metropolis, uniform, max-degree, lazy-…) for \(context); 'user' goes with a "
          + "matrix:PATH.csv topology"
      )
    }
  }

  /// The matrix for any rule but `user` (callers guarantee that).
  func graphMatrix(_ graph: Graph) -> CombinationMatrix {
    let size = graph.agents
    var w = [Double](repeating: 0, count: size * size)
    let maxDegree = graph.maxDegree
    for k in 0..<size {
      var offDiagonal = 0.0
      for l in graph.adjacency[k] {
        let a: Double
        switch self {
        case .metropolis, .lazyMetropolis:
          a = 1 / Double(1 + max(graph.degree(k), graph.degree(l)))
        case .uniform, .lazyUniform:
          a = 1 / Double(1 + graph.degree(k))
        case .maxDegree, .lazyMaxDegree:
          a = 1 / Double(1 + maxDegree)
        case .user:
          preconditionFailure("the user rule has no graph weights")
        }
        w[l * size + k] = a
        offDiagonal += a
      }
      w[k * size + k] = 1 - offDiagonal
    }
    let matrix = CombinationMatrix(checkedAgents: size, weights: w)
    return isLazy ? matrix.lazy : matrix
  }
}

extension WeightRule {
  /// The rule named `name`, or an error listing the accepted names.
  public init(parsing name: String) throws {
    guard let rule = WeightRule(rawValue: name) else {
      throw FlatlandError.invalid(
        "weights", name, accepted: WeightRule.allCases.map(\.rawValue).joined(separator: ", "))
    }
    self = rule
  }
}
