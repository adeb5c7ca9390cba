import FlatlandCore
import FlatlandTopology
import Foundation

/// Combination matrices for the theory tests, row-major with entry [l*K + k] = a_lk
/// (column k holds agent k's weights).
enum Networks {
  /// The periodic topology A(i) = matrices[i mod P] of K agents (static for one matrix).
  static func topology(_ matrices: [Double]..., agents k: Int) throws -> Topology {
    try topology(periodic: matrices, agents: k)
  }

  static func topology(periodic matrices: [[Double]], agents k: Int) throws -> Topology {
    try Topology(name: "test", periodic: matrices.map { try CombinationMatrix(agents: k, weights: $0) })
  }

  /// Ring with Metropolis weights: 1/3 to self and to each neighbor (K ≥ 3).
  /// Eigenvalues 1/3 + (2/3) cos(2πm/K).
  static func ring(_ k: Int) -> [Double] {
    var a = [Double](repeating: 0, count: k * k)
    for j in 0..<k {
      a[j * k + j] = 1.0 / 3
      a[((j + 1) % k) * k + j] = 1.0 / 3
      a[((j + k - 1) % k) * k + j] = 1.0 / 3
    }
    return a
  }

  static func ringEigenvalues(_ k: Int) -> [Double] {
    (0..<k).map { 1.0 / 3 + 2.0 / 3 * cos(2 * Double.pi * Double($0) / Double(k)) }
  }

  /// (1 − α) I + α A: eigenvalues 1 − α(1 − λ).
  static func lazy(_ a: [Double], _ k: Int, alpha: Double) -> [Double] {
    (0..<(k * k)).map { (1 - alpha) * ($0 % (k + 1) == 0 ? 1 : 0) + alpha * a[$0] }
  }

  /// Directed exponential graph: agent k listens to itself and to k − 2^j (mod K), j = 0…log₂K − 1,
  /// with uniform weights. Circulant, hence normal, but not symmetric.
  static func exponential(_ k: Int) -> [Double] {
    var offsets = [0]
    var hop = 1
    while hop < k {
      offsets.append(hop)
      hop *= 2
    }
    var a = [Double](repeating: 0, count: k * k)
    for j in 0..<k { for o in offsets { a[((j - o + k) % k) * k + j] = 1.0 / Double(offsets.count) } }
    return a
  }

  /// A left-stochastic matrix that is neither symmetric nor normal nor doubly stochastic:
  /// random positive weights on a ring plus a chord from agent 0, columns normalized.
  static func skewed(_ k: Int, seed: UInt64) -> [Double] {
    var rng = RandomStream(seed: seed, purpose: .topology)
    var a = [Double](repeating: 0, count: k * k)
    for j in 0..<k {
      var neighbors = [j, (j + 1) % k, (j + k - 1) % k]
      if j != 0 && j != 1 && j != k - 1 { neighbors.append(0) }
      let weights = neighbors.map { _ in 0.2 + rng.uniform() as Double }
      let total = weights.reduce(0, +)
      for (l, w) in zip(neighbors, weights) { a[l * k + j] += w / total }
    }
    return a
  }
}
