import FlatlandCore
import FlatlandStrategies
import FlatlandTopology

/// The arithmetic every engine shares when it mixes agents' rows, so that engines differ only
/// in how rows travel, never in the floating-point operations applied to them.
///
/// Both kernels add in one fixed order (neighbors by index, agents by index), so any engine
/// that feeds them the same rows gets bit-identical results for any thread or process count.
enum RowMixing {
  /// destination_k = Σ_l a_lk source_l over agent k's neighbors in index order, in Float:
  /// the first term is a product, each further term one multiply-add.
  ///
  /// Reads only the rows of k's neighbors (a_lk ≠ 0) and writes only row k.
  static func combine(agent k: Int, _ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix) {
    let out = destination[k]
    let neighbors = matrix.neighbors(of: k)
    let first = source[neighbors[0].agent], a0 = Float(neighbors[0].weight)
    for j in 0..<out.count { out[j] = a0 * first[j] }
    for (l, a) in neighbors.dropFirst() {
      let row = source[l], alk = Float(a)
      for j in 0..<out.count { out[j] += alk * row[j] }
    }
  }

  /// destination_k = (1/K) Σ_l source_l for every agent k: each coordinate is summed over the
  /// agents in index order, then scaled by 1/K, then copied to every row.
  ///
  /// Reads every row of `source`. The coordinates are split into contiguous blocks over
  /// `threads` workers; the split changes which thread sums a coordinate, not the order.
  static func mean(_ source: AgentVectors, into destination: AgentVectors, threads: Int) {
    let length = source.length, k = source.agents
    let blocks = min(max(1, threads * 4), max(1, length))
    let scale = 1 / Float(k)
    BLASThreads.with(1) {
      parallelFor(blocks, threads: threads) { b in
        let lo = b * length / blocks, hi = (b + 1) * length / blocks
        let out = destination[0]
        for j in lo..<hi { out[j] = source.storage[j] }
        for l in 1..<max(1, k) {
          let row = source[l]
          for j in lo..<hi { out[j] += row[j] }
        }
        for j in lo..<hi { out[j] *= scale }
        for l in 1..<max(1, k) { destination[l].baseAddress!.advanced(by: lo).update(from: out.baseAddress! + lo, count: hi - lo) }
      }
    }
  }
}
