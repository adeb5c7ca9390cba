import FlatlandCore

/// Which agents of a decentralized run to measure when measuring all of them costs too much.
public enum AgentSample {
  /// `count` distinct agents of 0..<`agents`, drawn uniformly without replacement by a seeded
  /// partial Fisher–Yates shuffle and returned in increasing order; all agents when `count`
  /// equals `agents`. The same seed gives the same sample.
  /// - Throws: `FlatlandError` for a count outside 1…agents.
  public static func indices(_ count: Int, of agents: Int, seed: UInt64) throws -> [Int] {
    guard count >= 1, count <= agents else {
      throw FlatlandError.invalid("agent sample size", count, accepted: "1 ≤ N ≤ \(agents), the run's agent count")
    }
    var rng = MeasureStream.agentSample.stream(seed: seed, index: 0)
    var pool = Array(0..<agents)
    for i in 0..<count { pool.swapAt(i, i + rng.index(below: agents - i)) }
    return pool[0..<count].sorted()
  }
}
