import FlatlandCore
import FlatlandModels

/// Groups of parameters that are rescaled together: the filters of filter normalization.
///
/// A ReLU network is invariant to scaling one filter's incoming weights by a > 0 and the next
/// layer's by 1/a, so a direction or perturbation of fixed Euclidean size means different
/// things at different scales. Li et al. (2018, *Visualizing the Loss Landscape of Neural
/// Nets*) fix this by rescaling each filter of a random direction to the norm of the same
/// filter of w; Jiang et al. (2020) scale sharpness perturbations the same way.
public struct FilterPartition: Sendable, Equatable {
  /// Disjoint index ranges, one per filter. Coordinates outside every filter are never
  /// perturbed (zero in normalized directions).
  public let filters: [Range<Int>]
  public let dimension: Int

  /// Explicit filters over a d-dimensional vector.
  /// - Throws: `FlatlandError` for empty, out-of-range or overlapping ranges.
  public init(filters: [Range<Int>], dimension: Int) throws {
    var covered = [Bool](repeating: false, count: max(dimension, 0))
    for f in filters {
      guard !f.isEmpty, f.lowerBound >= 0, f.upperBound <= dimension else {
        throw FlatlandError.invalid("filter range", f, accepted: "a non-empty range inside 0..<\(dimension)")
      }
      for i in f {
        guard !covered[i] else {
          throw FlatlandError.invalid("filter range", f, accepted: "ranges that do not overlap")
        }
        covered[i] = true
      }
    }
    self.filters = filters
    self.dimension = dimension
  }

  /// Li et al.'s filters of a model: every weight tensor (rank ≥ 2) is split into its slices
  /// along the first dimension, the rows of a Linear weight (out, in) or the output filters of
  /// a Conv2D weight (out, in, kh, kw). One-dimensional tensors (biases) are left out, as Li
  /// et al.'s `ignore biasbn` option does, or, with `includeOneDimensional`, each whole
  /// 1-D tensor is one filter.
  public init(layout: ParameterLayout, includeOneDimensional: Bool = false) {
    var filters: [Range<Int>] = []
    for tensor in layout.tensors {
      if tensor.isWeight {
        let size = tensor.count / tensor.shape[0]
        for row in 0..<tensor.shape[0] {
          let start = tensor.offset + row * size
          filters.append(start..<(start + size))
        }
      } else if includeOneDimensional && tensor.count > 0 {
        filters.append(tensor.range)
      }
    }
    self.filters = filters
    dimension = layout.count
  }

  /// One filter holding every coordinate: the normalized direction then has the norm of w.
  public static func whole(_ dimension: Int) -> FilterPartition {
    FilterPartition(unchecked: dimension > 0 ? [0..<dimension] : [], dimension: dimension)
  }

  private init(unchecked filters: [Range<Int>], dimension: Int) {
    self.filters = filters
    self.dimension = dimension
  }

  /// d_f ← ‖w_f‖ · g_f / ‖g_f‖ for each filter f of a direction g: each filter of the result
  /// has the norm of w's filter; coordinates outside the filters are zero. A filter of g with
  /// zero norm stays zero.
  public func normalize<T: FlatScalar>(_ g: [T], to w: [T]) -> [T] {
    precondition(g.count == dimension && w.count == dimension, "filter normalization: length mismatch")
    var d: [T] = VectorMath.zeros(dimension)
    for f in filters {
      let gNorm = VectorMath.norm(g, f)
      guard gNorm > 0 else { continue }
      let scale = T(VectorMath.norm(w, f) / gNorm)
      for i in f { d[i] = g[i] * scale }
    }
    return d
  }

  /// Checks that the partition fits an objective's dimension.
  func check(dimension d: Int) throws {
    guard d == dimension else {
      throw FlatlandError.invalid(
        "filter partition dimension", dimension, accepted: "\(d), the objective's parameter count")
    }
  }
}
