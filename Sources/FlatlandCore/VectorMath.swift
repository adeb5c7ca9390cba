/// Plain vector math over flat parameter vectors.
///
/// Because every model keeps its parameters in one contiguous vector, combining agents,
/// averaging, disagreement, perturbations and Hessian-vector directions are all these few
/// operations. Reductions accumulate in Double in index order, so sums over millions of Float32
/// parameters stay accurate and identical however the caller is scheduled.
///
/// The measures are generic over the objective, and a per-element loop whose `Double(x[i])` is a
/// generic conversion costs ~100 ns an element when it runs unspecialized, which for a
/// 270k-parameter model is close to the HVP it follows. So each kernel is a loop over concrete
/// `Float` or `Double` pointers, chosen once per vector (other scalars take a generic path).
/// The kernels stay off OpenBLAS on purpose: a level-1 call on a long vector is threaded, and
/// the pool's threads then spin for a while, competing with the callers' worker threads.
public enum VectorMath {
  // MARK: - Reductions

  /// xᵀy accumulated in Double.
  @inlinable public static func dot<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    precondition(x.count == y.count, "dot: length mismatch")
    return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in dot(xp, yp) } }
  }

  /// xᵀy over two buffers of equal length, accumulated in Double.
  @inlinable public static func dot<T: FlatScalar>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> Double {
    precondition(x.count == y.count, "dot: length mismatch")
    guard let a = x.baseAddress, let b = y.baseAddress else { return 0 }
    if T.self == Float.self { return accumulate(cast(a) as UnsafePointer<Float>, cast(b), x.count) }
    if T.self == Double.self { return accumulate(cast(a) as UnsafePointer<Double>, cast(b), x.count) }
    return (0..<x.count).reduce(0.0) { $0 + Double(x[$1]) * Double(y[$1]) }
  }

  /// ‖x‖₂ accumulated in Double.
  @inlinable public static func norm<T: FlatScalar>(_ x: [T]) -> Double { dot(x, x).squareRoot() }

  /// ‖x[r]‖₂ over an index range.
  @inlinable public static func norm<T: FlatScalar>(_ x: [T], _ r: Range<Int>) -> Double {
    x.withUnsafeBufferPointer { p in
      let s = UnsafeBufferPointer(rebasing: p[r])
      return dot(s, s).squareRoot()
    }
  }

  /// ‖x − y‖₂², each difference taken in Double (exact for Float entries) and accumulated in
  /// Double.
  @inlinable public static func squaredDistance<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    precondition(x.count == y.count, "squaredDistance: length mismatch")
    return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in squaredDistance(xp, yp) } }
  }

  /// ‖x − y‖₂² over two buffers of equal length.
  @inlinable public static func squaredDistance<T: FlatScalar>(
    _ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>
  ) -> Double {
    precondition(x.count == y.count, "squaredDistance: length mismatch")
    guard let a = x.baseAddress, let b = y.baseAddress else { return 0 }
    if T.self == Float.self { return distance(cast(a) as UnsafePointer<Float>, cast(b), x.count) }
    if T.self == Double.self { return distance(cast(a) as UnsafePointer<Double>, cast(b), x.count) }
    return distance(a, b, x.count)
  }

  /// True when every entry is finite: x_i − x_i is 0 for finite x_i and NaN otherwise, so the
  /// sum of those differences is 0 exactly when all are finite.
  @inlinable public static func allFinite<T: FlatScalar>(_ x: [T]) -> Bool {
    x.withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return true }
      if T.self == Float.self { return finite(cast(p) as UnsafePointer<Float>, b.count) }
      if T.self == Double.self { return finite(cast(p) as UnsafePointer<Double>, b.count) }
      return finite(p, b.count)
    }
  }

  // MARK: - Updates

  /// y ← y + α x.
  @inlinable public static func axpy<T: FlatScalar>(_ alpha: Double, _ x: [T], _ y: inout [T]) {
    precondition(x.count == y.count, "axpy: length mismatch")
    x.withUnsafeBufferPointer { xb in
      y.withUnsafeMutableBufferPointer { yb in
        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
        axpy(alpha, xp, yp, count: xb.count)
      }
    }
  }

  /// y ← y + α x over `count` entries, with α rounded to T once.
  @inlinable public static func axpy<T: FlatScalar>(
    _ alpha: Double, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count n: Int
  ) {
    if T.self == Float.self {
      update(cast(x) as UnsafePointer<Float>, cast(y), n, Float(alpha))
    } else if T.self == Double.self {
      update(cast(x) as UnsafePointer<Double>, cast(y), n, alpha)
    } else {
      update(x, y, n, T(alpha))
    }
  }

  /// n zeros, filled as raw memory (Float and Double zero is all bits clear).
  @inlinable public static func zeros<T: FlatScalar>(_ n: Int) -> [T] {
    guard T.self == Float.self || T.self == Double.self else { return [T](repeating: 0, count: n) }
    return [T](unsafeUninitializedCapacity: n) { buffer, count in
      UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
      count = n
    }
  }

  /// α x.
  @inlinable public static func scaled<T: FlatScalar>(_ x: [T], by alpha: Double) -> [T] {
    var out: [T] = zeros(x.count)
    axpy(alpha, x, &out)
    return out
  }

  /// w + α x.
  @inlinable public static func shifted<T: FlatScalar>(_ w: [T], by x: [T], times alpha: Double = 1) -> [T] {
    var out = w
    axpy(alpha, x, &out)
    return out
  }

  /// x / ‖x‖ and ‖x‖ (x unchanged when its norm is zero).
  @inlinable public static func normalized<T: FlatScalar>(_ x: [T]) -> (vector: [T], norm: Double) {
    let norm = norm(x)
    guard norm > 0 else { return (x, 0) }
    return (scaled(x, by: 1 / norm), norm)
  }

  // MARK: - Across vectors

  /// The centroid x̄ = (1/K) Σ_k x_k of K equal-length vectors (arrays, or rows of a larger
  /// buffer), summed in Double in row order and rounded to T once.
  @inlinable public static func mean<Row: Collection>(_ rows: [Row]) -> [Row.Element]
  where Row.Element: FlatScalar {
    precondition(!rows.isEmpty, "mean of no vectors")
    let n = rows[0].count
    var sum = [Double](repeating: 0, count: n)
    for row in rows {
      precondition(row.count == n, "mean: length mismatch")
      for (i, x) in zip(0..<n, row) { sum[i] += Double(x) }
    }
    let inverse = 1 / Double(rows.count)
    return sum.map { Row.Element($0 * inverse) }
  }

  /// (1/K) Σ_k ‖x_k − c‖²: with c the centroid, the disagreement of K agents (zero exactly
  /// when all agree).
  @inlinable public static func meanSquaredDistance<Row: Collection>(_ rows: [Row], to center: [Row.Element]) -> Double
  where Row.Element: FlatScalar {
    precondition(!rows.isEmpty, "mean of no vectors")
    let total = center.withUnsafeBufferPointer { c in
      rows.reduce(0.0) { sum, row in
        sum + row.withContiguousStorageIfAvailable { squaredDistance($0, c) }!
      }
    }
    return total / Double(rows.count)
  }

  // MARK: - Concrete loops

  @usableFromInline static func accumulate<S: BinaryFloatingPoint>(
    _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int
  ) -> Double {
    var s = 0.0
    for i in 0..<n { s += Double(x[i]) * Double(y[i]) }
    return s
  }

  @usableFromInline static func distance<S: BinaryFloatingPoint>(
    _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int
  ) -> Double {
    var s = 0.0
    for i in 0..<n {
      let d = Double(x[i]) - Double(y[i])
      s += d * d
    }
    return s
  }

  @usableFromInline static func update<S: BinaryFloatingPoint>(
    _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int, _ alpha: S
  ) {
    for i in 0..<n { y[i] += alpha * x[i] }
  }

  @usableFromInline static func finite<S: BinaryFloatingPoint>(_ x: UnsafePointer<S>, _ n: Int) -> Bool {
    var s: S = 0
    for i in 0..<n { s += x[i] - x[i] }
    return s == 0
  }

  /// Reinterprets a pointer whose element type the caller has checked.
  @usableFromInline static func cast<T, U>(_ p: UnsafePointer<T>) -> UnsafePointer<U> {
    UnsafeRawPointer(p).assumingMemoryBound(to: U.self)
  }

  @usableFromInline static func cast<T, U>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
  }
}
