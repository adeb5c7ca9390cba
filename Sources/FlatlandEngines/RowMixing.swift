import FlatlandCore
import FlatlandStrategies
import FlatlandTopology

/// The arithmetic every engine shares when it mixes agents' rows, so that engines differ only
/// in how rows travel, never in the floating-point operations applied to them.
///
/// Both kernels add in one fixed order (neighbors by index, agents by index), so any engine
/// that feeds them the same rows gets bit-identical results for any thread or process count.
enum RowMixing {
  /// destination_k = Σ_l a_lk source_l for each k in `agents`, over k's neighbors in index
  /// order, in Float: the first term is a product, each further term one multiply-add.
  ///
  /// Reads only the rows of the agents' neighbors (a_lk ≠ 0) and writes only their rows. The
  /// work is split into coordinate blocks rather than agents: a thread takes a range of blocks
  /// and mixes every agent within a block, so the block of the source rows stays in cache
  /// while the agents sharing those neighbors read it, and each row crosses memory once rather
  /// than once per neighbor. The split changes which thread adds a coordinate, not the order.
  ///
  /// A block's results are staged in a per-thread buffer and written out only after every
  /// agent's block is mixed, so `destination` may be `source`: mixing in place keeps one K × P
  /// buffer instead of two in the working set (at K = 16 of `mlp:256,256`, 17 MB instead of
  /// 34), so it fits a last-level cache twice as small.
  static func combine(
    agents: Range<Int>, _ source: AgentVectors, into destination: AgentVectors, matrix: CombinationMatrix, threads: Int
  ) {
    precondition(
      matrix.agents == source.agents && destination.agents == source.agents,
      "matrix is for \(matrix.agents) agents, vectors hold \(source.agents) and \(destination.agents)")
    let neighbors = agents.map { k in matrix.neighbors(of: k).map { (agent: $0.agent, weight: Float($0.weight)) } }
    let length = source.length
    let width = combineBlock
    let blocks = (length + width - 1) / width
    let workers = max(1, min(threads, blocks))
    parallelFor(workers, threads: workers) { w in
      let staged = UnsafeMutablePointer<Float>.allocate(capacity: agents.count * width)
      defer { staged.deallocate() }
      for b in (w * blocks / workers)..<((w + 1) * blocks / workers) {
        let lo = b * width
        let count = min(length, lo + width) - lo
        for (i, terms) in neighbors.enumerated() {
          let out = staged + i * width
          let first = source[terms[0].agent].baseAddress! + lo
          let a0 = terms[0].weight
          for j in 0..<count { out[j] = a0 * first[j] }
          for (l, alk) in terms.dropFirst() {
            let row = source[l].baseAddress! + lo
            for j in 0..<count { out[j] += alk * row[j] }
          }
        }
        for (i, k) in agents.enumerated() {
          (destination[k].baseAddress! + lo).update(from: staged + i * width, count: count)
        }
      }
    }
  }

  /// Coordinates per combine block: 16 KiB of each row, so a block of K ≤ 16 rows and its
  /// staged results fit in L2.
  static let combineBlock = 4096

  /// Every row of destination = (1/K) Σ_l source_l: each coordinate is summed over the agents
  /// in index order, then scaled by 1/K, then copied to the other rows.
  ///
  /// Reads every row of `source`. The coordinates are split into contiguous blocks over
  /// `threads` workers; the split changes which thread sums a coordinate, not the order.
  /// `destination` may be `source`: row 0 accumulates the sum, which reads every other row's
  /// block before the block is copied over it.
  static func mean(_ source: AgentVectors, into destination: AgentVectors, threads: Int) {
    precondition(
      destination.agents == source.agents || destination.agents == 1,
      "a mean of \(source.agents) rows goes to one row or to all of them")
    let length = source.length
    let k = source.agents
    let blocks = min(max(1, threads * 4), max(1, length))
    let scale = 1 / Float(k)
    BLASThreads.with(1) {
      parallelFor(blocks, threads: threads) { b in
        let lo = b * length / blocks
        let hi = (b + 1) * length / blocks
        let out = destination[0]
        for j in lo..<hi { out[j] = source.storage[j] }
        for l in 1..<max(1, k) {
          let row = source[l]
          for j in lo..<hi { out[j] += row[j] }
        }
        for j in lo..<hi { out[j] *= scale }
        for l in 1..<max(1, destination.agents) {
          destination[l].baseAddress!.advanced(by: lo).update(from: out.baseAddress! + lo, count: hi - lo)
        }
      }
    }
  }
}
