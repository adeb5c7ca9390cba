import FlatlandCore

/// An undirected simple graph on K agents 0..<K: who may talk to whom.
///
/// A graph carries no weights; a `WeightRule` turns it into a `CombinationMatrix`. Self-loops
/// are implicit (every agent always weighs its own iterate), so edges join distinct agents.
/// Builders are throwing static factories with the size first (`Graph+Regular.swift`,
/// `Graph+Random.swift`, `Graph+File.swift`).
public struct Graph: Sendable, Equatable {
  /// An undirected edge {u, v} stored with u < v.
  public struct Edge: Sendable, Hashable, Codable, Comparable {
    public let u: Int
    public let v: Int

    /// The edge {a, b}, in either order; a ≠ b.
    public init(_ a: Int, _ b: Int) {
      precondition(a != b, "an edge joins two distinct agents")
      u = min(a, b)
      v = max(a, b)
    }

    public static func < (x: Edge, y: Edge) -> Bool { (x.u, x.v) < (y.u, y.v) }
  }

  /// Number of agents K.
  public let agents: Int
  /// The edges, each once, sorted.
  public let edges: [Edge]
  /// For each agent, its neighbors (self excluded), ascending.
  public let adjacency: [[Int]]

  /// The graph on `agents` agents with the given edges (pairs in any order; duplicates, such
  /// as both (u, v) and (v, u), are merged). Throws when K < 1, an endpoint is outside 0..<K,
  /// or an edge is a self-loop.
  public init(agents: Int, edges pairs: [(Int, Int)]) throws {
    guard agents >= 1 else {
      throw FlatlandError.invalid("number of agents", agents, accepted: "K ≥ 1")
    }
    for (a, b) in pairs {
      guard (0..<agents).contains(a), (0..<agents).contains(b) else {
        throw FlatlandError.invalid("edge", "\(a) \(b)", accepted: "endpoints in 0..<\(agents) for K = \(agents)")
      }
      guard a != b else {
        throw FlatlandError.invalid("edge", "\(a) \(b)", accepted: "two distinct agents (self-loops are implicit)")
      }
    }
    self.init(checkedAgents: agents, edges: pairs.map { Edge($0.0, $0.1) })
  }

  /// Builders whose edges are in range and loop-free by construction come here directly.
  init(checkedAgents agents: Int, edges: [Edge]) {
    self.agents = agents
    self.edges = Array(Set(edges)).sorted()
    var adjacency = [[Int]](repeating: [], count: agents)
    for e in self.edges {
      adjacency[e.u].append(e.v)
      adjacency[e.v].append(e.u)
    }
    self.adjacency = adjacency.map { $0.sorted() }
  }

  /// Number of neighbors of agent k, self excluded.
  public func degree(_ k: Int) -> Int { adjacency[k].count }

  /// The largest degree in the graph.
  public var maxDegree: Int { adjacency.map(\.count).max() ?? 0 }

  /// Whether every agent reaches every other (search from agent 0).
  public var isConnected: Bool { reachable(agents) { adjacency[$0] }.allSatisfy { $0 } }

  /// Throws unless the graph is connected; `name` says which graph, for the message.
  func requireConnected(_ name: String) throws {
    guard isConnected else {
      throw FlatlandError(
        .invalidArgument, "graph '\(name)' on K = \(agents) agents is not connected: every agent must reach every other"
      )
    }
  }
}

/// Which of `count` nodes node 0 reaches along `next` (depth-first search).
func reachable(_ count: Int, next: (Int) -> [Int]) -> [Bool] {
  var seen = [Bool](repeating: false, count: count)
  seen[0] = true
  var stack = [0]
  while let u = stack.popLast() {
    for v in next(u) where !seen[v] {
      seen[v] = true
      stack.append(v)
    }
  }
  return seen
}
