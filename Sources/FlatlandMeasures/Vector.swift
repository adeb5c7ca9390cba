import FlatlandCore

/// The vector operations of the measures, written so that generic code runs them at full speed.
///
/// The measures are generic over the objective, and a public generic function called from
/// another module runs unspecialized: a per-element loop such as `VectorMath.dot`, whose
/// `Double(x[i])` is a generic conversion, then costs ~100 ns an element, which for a 270k-
/// parameter model is close to the HVP it follows. Here each kernel is a loop over concrete
/// `Float` or `Double` pointers, chosen once per vector (other scalars take a generic path).
/// They stay off OpenBLAS on purpose: a level-1 call on a long vector is threaded, and the
/// pool's threads then spin for a while, competing with the objective's worker threads.
/// Reductions accumulate in Double in index order, as `VectorMath` does.
enum Vector {
  /// xᵀy accumulated in Double.
  static func dot<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    precondition(x.count == y.count, "dot: length mismatch")
    return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in dot(xp, yp) } }
  }

  /// xᵀy over two buffers of equal length, accumulated in Double.
  static func dot<T: FlatScalar>(_ x: UnsafeBufferPointer<T>, _ y: UnsafeBufferPointer<T>) -> Double {
    guard let a = x.baseAddress, let b = y.baseAddress else { return 0 }
    if T.self == Float.self { return accumulate(cast(a) as UnsafePointer<Float>, cast(b), x.count) }
    if T.self == Double.self { return accumulate(cast(a) as UnsafePointer<Double>, cast(b), x.count) }
    return (0..<x.count).reduce(0.0) { $0 + Double(x[$1] * y[$1]) }
  }

  /// ‖x‖₂.
  static func norm<T: FlatScalar>(_ x: [T]) -> Double { dot(x, x).squareRoot() }

  /// ‖x[r]‖₂ over an index range.
  static func norm<T: FlatScalar>(_ x: [T], _ r: Range<Int>) -> Double {
    x.withUnsafeBufferPointer { p in
      let s = UnsafeBufferPointer(rebasing: p[r])
      return dot(s, s).squareRoot()
    }
  }

  /// y ← y + α x.
  static func axpy<T: FlatScalar>(_ alpha: Double, _ x: [T], _ y: inout [T]) {
    precondition(x.count == y.count, "axpy: length mismatch")
    x.withUnsafeBufferPointer { xb in
      y.withUnsafeMutableBufferPointer { yb in
        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
        axpy(alpha, xp, yp, count: xb.count)
      }
    }
  }

  /// y ← y + α x over `count` entries.
  static func axpy<T: FlatScalar>(_ alpha: Double, _ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, count n: Int) {
    if T.self == Float.self {
      update(cast(x) as UnsafePointer<Float>, cast(y), n, Float(alpha))
    } else if T.self == Double.self {
      update(cast(x) as UnsafePointer<Double>, cast(y), n, alpha)
    } else {
      T.axpy(n: n, alpha: T(alpha), x: x, y: y)
    }
  }

  /// n zeros, filled as raw memory (Float and Double zero is all bits clear).
  static func zeros<T: FlatScalar>(_ n: Int) -> [T] {
    guard T.self == Float.self || T.self == Double.self else { return [T](repeating: 0, count: n) }
    return [T](unsafeUninitializedCapacity: n) { buffer, count in
      UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
      count = n
    }
  }

  /// α x.
  static func scaled<T: FlatScalar>(_ x: [T], by alpha: Double) -> [T] {
    var out: [T] = zeros(x.count)
    axpy(alpha, x, &out)
    return out
  }

  /// w + α x.
  static func shifted<T: FlatScalar>(_ w: [T], by x: [T], times alpha: Double = 1) -> [T] {
    var out = w
    axpy(alpha, x, &out)
    return out
  }

  /// x / ‖x‖ and ‖x‖ (x unchanged when its norm is zero).
  static func normalized<T: FlatScalar>(_ x: [T]) -> (vector: [T], norm: Double) {
    let norm = norm(x)
    guard norm > 0 else { return (x, 0) }
    return (scaled(x, by: 1 / norm), norm)
  }

  /// ‖x − y‖₂².
  static func squaredDistance<T: FlatScalar>(_ x: [T], _ y: [T]) -> Double {
    let difference = shifted(x, by: y, times: -1)
    return dot(difference, difference)
  }

  /// True when every entry is finite: x_i − x_i is 0 for finite x_i and NaN otherwise, so the
  /// sum of those differences is 0 exactly when all are finite.
  static func allFinite<T: FlatScalar>(_ x: [T]) -> Bool {
    x.withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return true }
      if T.self == Float.self { return finite(cast(p) as UnsafePointer<Float>, b.count) }
      if T.self == Double.self { return finite(cast(p) as UnsafePointer<Double>, b.count) }
      return VectorMath.allFinite(x)
    }
  }

  // MARK: - Concrete loops

  private static func accumulate<S: BinaryFloatingPoint>(_ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ n: Int)
    -> Double
  {
    var s = 0.0
    for i in 0..<n { s += Double(x[i]) * Double(y[i]) }
    return s
  }

  private static func update<S: BinaryFloatingPoint>(
    _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ n: Int, _ alpha: S
  ) {
    for i in 0..<n { y[i] += alpha * x[i] }
  }

  private static func finite<S: BinaryFloatingPoint>(_ x: UnsafePointer<S>, _ n: Int) -> Bool {
    var s: S = 0
    for i in 0..<n { s += x[i] - x[i] }
    return s == 0
  }
}

/// Reinterprets a pointer whose element type the caller has checked.
func cast<T, U>(_ p: UnsafePointer<T>) -> UnsafePointer<U> { UnsafeRawPointer(p).assumingMemoryBound(to: U.self) }
func cast<T, U>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
  UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
}
