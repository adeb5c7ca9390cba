import FlatlandCore

/// Time-varying topologies: each agent talks to one peer per iteration, so the per-iteration
/// communication is O(1) however large K is.
///
/// With one neighbor (self excluded) per agent, Metropolis, uniform and max-degree weights all
/// give a_lk = ½ to the peer and ½ to self; their lazy versions ¼ and ¾.
extension Topology {
  /// One-peer exponential graph (Ying et al., NeurIPS 2021; BlueFog's one-peer dynamic
  /// exponential graph): at iteration i, with τ = ⌈log₂ K⌉ and offset 2^(i mod τ), agent k
  /// listens to agent (k − offset) mod K. Each A(i) is doubly stochastic (but not symmetric);
  /// the period is τ, and when K is a power of two the product of τ consecutive matrices is
  /// exactly the average (1/K) 1 1ᵀ.
  public static func onePeerExponential(_ agents: Int, weights: WeightRule) throws -> Topology {
    try Graph.requirePositive(agents)
    try weights.requireGraphRule(for: "a time-varying topology")
    let offsets = Graph.powersOfTwo(below: agents)
    let matrices =
      offsets.isEmpty
      ? [try CombinationMatrix.identity(agents)]
      : offsets.map { offset in
        var w = [Double](repeating: 0, count: agents * agents)
        for k in 0..<agents {
          w[k * agents + k] = 0.5
          w[((k - offset + agents) % agents) * agents + k] = 0.5
        }
        let matrix = CombinationMatrix(checkedAgents: agents, weights: w)
        return weights.isLazy ? matrix.lazy : matrix
      }
    return Topology(name: "one-peer-exponential", agents: agents, weights: weights, schedule: .cycle(matrices))
  }

  /// Random matchings: at iteration i, a uniformly random permutation of the agents (drawn
  /// from `RandomStream(seed:, purpose: .topology).split(i)`) is cut into consecutive pairs that
  /// average with each other; with K odd, one agent sits the iteration out. Every A(i) is
  /// symmetric and doubly stochastic; no single one is connected, but their union is.
  public static func randomMatching(_ agents: Int, weights: WeightRule, seed: UInt64) throws -> Topology {
    try Graph.requirePositive(agents)
    try weights.requireGraphRule(for: "a time-varying topology")
    return Topology(
      name: "random-matching", agents: agents, weights: weights,
      schedule: .randomMatching(root: RandomStream(seed: seed, purpose: .topology)))
  }

  /// The matching drawn from `rng`, weighted by `weights` (never `user`).
  static func randomMatching(agents: Int, weights: WeightRule, rng: RandomStream) -> CombinationMatrix {
    var rng = rng
    var order = Array(0..<agents)
    for i in stride(from: agents - 1, to: 0, by: -1) {
      order.swapAt(i, rng.index(below: i + 1))
    }
    let pairs = stride(from: 0, to: agents - 1, by: 2).map { Graph.Edge(order[$0], order[$0 + 1]) }
    return weights.graphMatrix(Graph(checkedAgents: agents, edges: pairs))
  }
}
