/// Graph-theoretic properties of A read from its support: the directed graph with an edge
/// l → k whenever a_lk > 0 (information flows from l to agent k).
extension CombinationMatrix {
  /// A is irreducible: its support is strongly connected, so every agent's information
  /// reaches every other. For a symmetric support this is ordinary connectivity.
  public var isIrreducible: Bool {
    // Strongly connected ⇔ agent 0 reaches everyone and everyone reaches agent 0.
    let out = reachable(agents) { l in (0..<agents).filter { self[l, $0] > 0 } }
    let into = reachable(agents) { k in neighbors(of: k).map(\.agent) }
    return out.allSatisfy { $0 } && into.allSatisfy { $0 }
  }

  /// A is primitive: irreducible and aperiodic, so Aⁿ > 0 entrywise for some n and the
  /// iterates Aⁿ converge (Perron–Frobenius; Wielandt bounds n by (K−1)² + 1).
  ///
  /// The period of a strongly connected graph is the gcd, over its edges u → v, of
  /// level(u) + 1 − level(v) for breadth-first levels from any root (Jarvis & Shier 1999);
  /// a positive self-weight a_kk is an edge k → k and alone makes the period 1.
  public var isPrimitive: Bool {
    guard isIrreducible else { return false }
    var level = [Int](repeating: -1, count: agents)
    level[0] = 0
    var queue = [0]
    var head = 0
    while head < queue.count {
      let l = queue[head]
      head += 1
      for k in 0..<agents where self[l, k] > 0 && level[k] < 0 {
        level[k] = level[l] + 1
        queue.append(k)
      }
    }
    var period = 0
    for l in 0..<agents {
      for k in 0..<agents where self[l, k] > 0 {
        period = gcd(period, abs(level[l] + 1 - level[k]))
      }
    }
    return period == 1
  }

  private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
