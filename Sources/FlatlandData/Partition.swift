import FlatlandCore
import Foundation

/// The training samples each agent holds: `shards[k]` lists agent k's indices into the
/// training set, ascending. Every training sample is in exactly one shard and no shard is
/// empty. The split is a pure function of (scheme, labels, agents, seed), drawn from the
/// stream `RandomStream(seed, purpose: .partition)`.
public struct Partition: Sendable, Codable, Equatable {
  /// Per agent, ascending sample indices: (agents)(shard size).
  public let shards: [[Int]]

  enum CodingKeys: String, CodingKey {
    case shards
  }

  public init(shards: [[Int]]) {
    self.shards = shards
  }

  public var agents: Int { shards.count }

  /// Splits samples with these `labels` (in `0 ..< classes`) among `agents` agents.
  public static func make(_ scheme: PartitionScheme, labels: [Int32], classes: Int, agents: Int, seed: UInt64) throws
    -> Partition
  {
    guard agents >= 1 else { throw FlatlandError.invalid("agent count", agents, accepted: "at least 1") }
    guard agents <= labels.count else {
      throw FlatlandError.invalid(
        "agent count", agents, accepted: "at most the \(labels.count) training samples, so that every agent holds data")
    }
    if let bad = labels.first(where: { $0 < 0 || Int($0) >= classes }) {
      throw FlatlandError.invalid("label", bad, accepted: "a class index in 0..<\(classes)")
    }
    var rng = RandomStream(seed: seed, purpose: .partition)
    let shards: [[Int]]
    switch scheme {
    case .iid:
      var order = Array(labels.indices)
      order.shuffle(using: &rng)
      shards = (0..<agents).map { k in Array(order[k * order.count / agents..<(k + 1) * order.count / agents]) }
    case .dirichlet(let alpha):
      shards = try dirichlet(alpha: alpha, labels: labels, classes: classes, agents: agents, rng: &rng)
    case .shards(let c):
      let pieces = agents * c
      guard pieces <= labels.count else {
        throw FlatlandError.invalid(
          "partition", scheme,
          accepted: "at most \(labels.count) shards in all (agents × classes per agent = \(pieces))")
      }
      var order = Array(labels.indices)
      order.shuffle(using: &rng)
      order.sort { labels[$0] < labels[$1] }  // grouped by class, random within a class
      var deal = Array(0..<pieces)
      deal.shuffle(using: &rng)
      shards = (0..<agents).map { k in
        deal[k * c..<(k + 1) * c].flatMap { p in order[p * order.count / pieces..<(p + 1) * order.count / pieces] }
      }
    }
    return Partition(shards: shards.map { $0.sorted() })
  }

  /// Per agent, how many samples of each class it holds: (agents)(classes).
  public func histograms(labels: [Int32], classes: Int) -> [[Int]] {
    shards.map { shard in
      var h = [Int](repeating: 0, count: classes)
      for i in shard { h[Int(labels[i])] += 1 }
      return h
    }
  }

  /// Dirichlet label skew; redrawn (up to 100 times) while some agent would be left empty.
  private static func dirichlet(alpha: Double, labels: [Int32], classes: Int, agents: Int, rng: inout RandomStream)
    throws -> [[Int]]
  {
    var byClass = [[Int]](repeating: [], count: classes)
    for (i, label) in labels.enumerated() { byClass[Int(label)].append(i) }
    for _ in 0..<100 {
      var shards = [[Int]](repeating: [], count: agents)
      for members in byClass where !members.isEmpty {
        var members = members
        members.shuffle(using: &rng)
        let p = dirichletDraw(alpha: alpha, count: agents, rng: &rng)
        var cumulative = 0.0
        var start = 0
        for k in 0..<agents {
          cumulative += p[k]
          let stop =
            k == agents - 1 ? members.count : min(members.count, Int((cumulative * Double(members.count)).rounded()))
          shards[k].append(contentsOf: members[start..<max(start, stop)])
          start = max(start, stop)
        }
      }
      if shards.allSatisfy({ !$0.isEmpty }) { return shards }
    }
    throw FlatlandError.invalid(
      "partition", "dirichlet:\(alpha)",
      accepted: "a larger alpha or fewer agents: 100 draws all left some of the \(agents) agents without samples")
  }

  /// p ~ Dirichlet(α, …, α) as normalized Gamma(α) draws, computed from log-Gamma draws so
  /// that tiny α (whose Gamma draws underflow to 0) still gives a proper distribution.
  static func dirichletDraw(alpha: Double, count: Int, rng: inout RandomStream) -> [Double] {
    let logs = (0..<count).map { _ in logGamma(alpha: alpha, rng: &rng) }
    let top = logs.max()!
    let weights = logs.map { exp($0 - top) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }

  /// log G with G ~ Gamma(α, 1): Marsaglia & Tsang (2000) for α ≥ 1, and for α < 1 the boost
  /// G(α) = G(α + 1) · U^{1/α}, taken in logs.
  static func logGamma(alpha: Double, rng: inout RandomStream) -> Double {
    if alpha < 1 {
      let u: Double = 1 - rng.uniform()  // (0, 1]
      return logGamma(alpha: alpha + 1, rng: &rng) + log(u) / alpha
    }
    let d = alpha - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      let x = rng.normal()
      let v = 1 + c * x
      guard v > 0 else { continue }
      let v3 = v * v * v
      let u: Double = 1 - rng.uniform()
      if log(u) < 0.5 * x * x + d - d * v3 + d * log(v3) { return log(d * v3) }
    }
  }
}
