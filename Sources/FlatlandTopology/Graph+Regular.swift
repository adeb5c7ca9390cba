import FlatlandCore

/// Deterministic graph families. Each throws when K < 1 or when the family does not fit K.
extension Graph {
  /// The cycle 0 — 1 — … — (K−1) — 0 (one edge for K = 2, none for K = 1).
  public static func ring(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    return Graph(checkedAgents: agents, edges: agents < 2 ? [] : (0..<agents).map { Edge($0, ($0 + 1) % agents) })
  }

  /// The path 0 — 1 — … — (K−1).
  public static func line(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    return Graph(checkedAgents: agents, edges: (0..<max(agents - 1, 0)).map { Edge($0, $0 + 1) })
  }

  /// Agent 0 is the hub, joined to every other agent.
  public static func star(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    return Graph(checkedAgents: agents, edges: (1..<agents).map { Edge(0, $0) })
  }

  /// Every pair of agents is joined.
  public static func complete(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    var edges: [Edge] = []
    for u in 0..<agents { for v in (u + 1)..<agents { edges.append(Edge(u, v)) } }
    return Graph(checkedAgents: agents, edges: edges)
  }

  /// The rows×cols grid, agent r·cols + c at row r, column c, joined to its 4-neighbors.
  public static func grid2D(rows: Int, cols: Int) throws -> Graph {
    try lattice(rows: rows, cols: cols, wrap: false)
  }

  /// The rows×cols torus: the grid with wrap-around edges in both directions (a side of 2
  /// has its wrap-around edge merged with the direct one).
  public static func torus2D(rows: Int, cols: Int) throws -> Graph {
    try lattice(rows: rows, cols: cols, wrap: true)
  }

  /// The d-dimensional hypercube on K = 2^d agents: u and v are joined when their binary
  /// labels differ in exactly one bit. Throws unless K is a power of two.
  public static func hypercube(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    guard agents & (agents - 1) == 0 else {
      throw FlatlandError.invalid(
        "number of agents for a hypercube", agents, accepted: "a power of two (1, 2, 4, 8, …)")
    }
    let dims = agents.trailingZeroBitCount
    var edges: [Edge] = []
    for u in 0..<agents {
      for bit in 0..<dims where u & (1 << bit) == 0 { edges.append(Edge(u, u | (1 << bit))) }
    }
    return Graph(checkedAgents: agents, edges: edges)
  }

  /// The undirected exponential graph: agent k is joined to k ± 2^i (mod K) for every
  /// 2^i < K, so the degree is O(log K) and λ₂ stays bounded away from 1 as K grows
  /// (Ying et al., "Exponential graph is provably efficient for decentralized deep training",
  /// NeurIPS 2021; BlueFog's ExponentialGraph is its directed version).
  public static func exponential(_ agents: Int) throws -> Graph {
    try requirePositive(agents)
    var edges: [Edge] = []
    for k in 0..<agents {
      for offset in powersOfTwo(below: agents) where (k + offset) % agents != k {
        edges.append(Edge(k, (k + offset) % agents))
      }
    }
    return Graph(checkedAgents: agents, edges: edges)
  }

  // MARK: - Helpers

  /// The offsets 1, 2, 4, … below K.
  static func powersOfTwo(below agents: Int) -> [Int] {
    var offsets: [Int] = []
    var offset = 1
    while offset < agents {
      offsets.append(offset)
      offset *= 2
    }
    return offsets
  }

  static func requirePositive(_ agents: Int) throws {
    guard agents >= 1 else {
      throw FlatlandError.invalid("number of agents", agents, accepted: "K ≥ 1")
    }
  }

  private static func lattice(rows: Int, cols: Int, wrap: Bool) throws -> Graph {
    guard rows >= 1, cols >= 1 else {
      throw FlatlandError.invalid("grid shape", "\(rows)x\(cols)", accepted: "rows ≥ 1 and columns ≥ 1")
    }
    var edges: [Edge] = []
    for r in 0..<rows {
      for c in 0..<cols {
        let k = r * cols + c
        if c + 1 < cols { edges.append(Edge(k, k + 1)) } else if wrap && cols > 1 { edges.append(Edge(k, r * cols)) }
        if r + 1 < rows { edges.append(Edge(k, k + cols)) } else if wrap && rows > 1 { edges.append(Edge(k, c)) }
      }
    }
    return Graph(checkedAgents: rows * cols, edges: edges)
  }

  /// The most nearly square rows×cols = K with 2 ≤ rows ≤ cols, for `grid` and `torus` given
  /// only K. Throws when K has no such factorization (K < 4 or K prime).
  static func squarestShape(_ agents: Int, family: String) throws -> (rows: Int, cols: Int) {
    try requirePositive(agents)
    var rows = Int(Double(agents).squareRoot())
    while rows >= 2 && agents % rows != 0 { rows -= 1 }
    guard rows >= 2 else {
      throw FlatlandError.invalid(
        "number of agents for a \(family)", agents,
        accepted: "K = rows × cols with rows, cols ≥ 2 (K not prime, K ≥ 4), or give the shape as \(family):RxC")
    }
    return (rows, agents / rows)
  }
}
