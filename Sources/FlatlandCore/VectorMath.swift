/// Plain vector math over flat parameter vectors.
///
/// Because every model keeps its parameters in one contiguous vector, combining agents,
/// averaging, disagreement, perturbations and Hessian-vector directions are all these few
/// operations. Reductions accumulate in Double so that sums over millions of Float32
/// parameters stay accurate and identical however the caller is scheduled.
public enum VectorMath {
  /// y ← y + α x.
  @inlinable public static func axpy<T: FlatScalar>(_ alpha: T, _ x: [T], _ y: inout [T]) {
    precondition(x.count == y.count, "axpy: length mismatch")
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        T.axpy(n: xp.count, alpha: alpha, x: xp.baseAddress!, y: yp.baseAddress!)
      }
    }
  }

  /// xᵀy accumulated in Double.
  @inlinable public static func dot<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    precondition(x.count == y.count, "dot: length mismatch")
    var s = 0.0
    for i in x.indices { s += Double(x[i]) * Double(y[i]) }
    return s
  }

  /// ‖x‖₂ accumulated in Double.
  @inlinable public static func norm<T: FlatScalar>(_ x: [T]) -> Double { dot(x, x).squareRoot() }

  /// ‖x − y‖₂² accumulated in Double.
  @inlinable public static func squaredDistance<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    precondition(x.count == y.count, "squaredDistance: length mismatch")
    var s = 0.0
    for i in x.indices {
      let d = Double(x[i]) - Double(y[i])
      s += d * d
    }
    return s
  }

  /// The elementwise mean of equal-length vectors, accumulated in Double.
  @inlinable public static func mean<T: FlatScalar>(_ vectors: [[T]]) -> [T] {
    precondition(!vectors.isEmpty, "mean of no vectors")
    let n = vectors[0].count
    var acc = [Double](repeating: 0, count: n)
    for v in vectors {
      precondition(v.count == n, "mean: length mismatch")
      for i in 0..<n { acc[i] += Double(v[i]) }
    }
    let inv = 1.0 / Double(vectors.count)
    return acc.map { T($0 * inv) }
  }

  /// True when every entry is finite.
  @inlinable public static func allFinite<T: FlatScalar>(_ x: [T]) -> Bool {
    for v in x where !v.isFinite { return false }
    return true
  }
}
