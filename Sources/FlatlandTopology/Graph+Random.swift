import FlatlandCore
import RealModule

/// Random graph families, seeded: the same (K, parameters, seed) always gives the same graph.
///
/// A disconnected network cannot reach consensus, so each family draws again, from the next
/// child stream of `RandomStream(seed:, purpose: .topology)`, until the graph is connected, and
/// throws after `maxDraws` disconnected draws (the parameters are then too sparse for K).
extension Graph {
  /// How many disconnected draws a random family tolerates before it gives up.
  public static let maxDraws = 1000

  /// Erdős–Rényi G(K, p): each of the K(K−1)/2 pairs is an edge independently with
  /// probability p ∈ (0, 1]. Connected with high probability once p > ln K / K.
  public static func erdosRenyi(_ agents: Int, p: Double, seed: UInt64) throws -> Graph {
    try requirePositive(agents)
    guard p > 0, p <= 1 else {
      throw FlatlandError.invalid("edge probability p", p, accepted: "p in (0, 1]")
    }
    let threshold = (Double.log(Double(agents)) / Double(agents) * 1000).rounded() / 1000
    return try drawConnected(
      "erdos-renyi:\(p)", agents: agents, seed: seed, hint: "raise p above ln K / K ≈ \(threshold)"
    ) { rng in
      var edges: [Edge] = []
      for u in 0..<agents {
        for v in (u + 1)..<agents where rng.uniform() < p { edges.append(Edge(u, v)) }
      }
      return edges
    }
  }

  /// Random geometric graph: K points uniform in the unit square, joined when their Euclidean
  /// distance is at most `radius` > 0 (a model of wireless and sensor networks).
  public static func randomGeometric(_ agents: Int, radius: Double, seed: UInt64) throws -> Graph {
    try requirePositive(agents)
    guard radius > 0, radius.isFinite else {
      throw FlatlandError.invalid(
        "connection radius", radius, accepted: "a finite radius > 0 (the unit square's diagonal is √2)")
    }
    return try drawConnected("geometric:\(radius)", agents: agents, seed: seed, hint: "raise the radius") { rng in
      let points: [(x: Double, y: Double)] = (0..<agents).map { _ in (rng.uniform(), rng.uniform()) }
      var edges: [Edge] = []
      for u in 0..<agents {
        for v in (u + 1)..<agents {
          let dx = points[u].x - points[v].x
          let dy = points[u].y - points[v].y
          if dx * dx + dy * dy <= radius * radius { edges.append(Edge(u, v)) }
        }
      }
      return edges
    }
  }

  /// Watts–Strogatz small world (Nature, 1998): the ring lattice where each agent is joined to
  /// its `neighbors`/2 nearest agents on each side, then each lattice edge (u, u + j) is rewired
  /// with probability `rewiring` to (u, w), w uniform among the agents not yet joined to u.
  /// `neighbors` must be even with 2 ≤ neighbors < K; `rewiring` in [0, 1].
  public static func wattsStrogatz(_ agents: Int, neighbors: Int, rewiring beta: Double, seed: UInt64) throws -> Graph {
    try requirePositive(agents)
    guard neighbors >= 2, neighbors % 2 == 0, neighbors < agents else {
      throw FlatlandError.invalid(
        "small-world lattice degree", neighbors, accepted: "an even degree with 2 ≤ degree < K = \(agents)")
    }
    guard beta >= 0, beta <= 1 else {
      throw FlatlandError.invalid("small-world rewiring probability", beta, accepted: "a probability in [0, 1]")
    }
    return try drawConnected(
      "small-world:\(neighbors),\(beta)", agents: agents, seed: seed, hint: "lower the rewiring probability"
    ) { rng in
      var joined = [Set<Int>](repeating: [], count: agents)
      for u in 0..<agents {
        for j in 1...(neighbors / 2) {
          joined[u].insert((u + j) % agents)
          joined[(u + j) % agents].insert(u)
        }
      }
      for j in 1...(neighbors / 2) {
        for u in 0..<agents {
          let v = (u + j) % agents
          guard joined[u].contains(v), rng.uniform() < beta else { continue }
          let free = (0..<agents).filter { $0 != u && !joined[u].contains($0) }
          guard !free.isEmpty else { continue }
          let w = free[rng.index(below: free.count)]
          joined[u].remove(v)
          joined[v].remove(u)
          joined[u].insert(w)
          joined[w].insert(u)
        }
      }
      return (0..<agents).flatMap { u in joined[u].filter { $0 > u }.map { Edge(u, $0) } }
    }
  }

  /// Draws edge sets from successive child streams until the graph is connected.
  private static func drawConnected(
    _ name: String, agents: Int, seed: UInt64, hint: String, draw: (inout RandomStream) -> [Edge]
  ) throws -> Graph {
    let root = RandomStream(seed: seed, purpose: .topology)
    for attempt in 0..<maxDraws {
      var rng = root.split(attempt)
      let graph = Graph(checkedAgents: agents, edges: draw(&rng))
      if graph.isConnected { return graph }
    }
    throw FlatlandError(
      .invalidArgument,
      "random graph '\(name)' on K = \(agents) agents was disconnected in all \(maxDraws) seeded draws: \(hint)")
  }
}
