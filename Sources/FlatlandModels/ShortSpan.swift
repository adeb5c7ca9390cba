import FlatlandCore

/// Copies, adds and sums over runs of scalars, inline, eight lanes at a time.
///
/// im2col and fold move a convolution's data in runs as short as one output row (10 scalars
/// in lenet5's second layer, 28 in its first), thousands of runs per sample: a call to
/// `memmove` per run costs more than the copy itself, and LLVM turns a plain copy loop back
/// into that call. These stay in registers instead.
enum ShortSpan {
  /// dst[0..<count] = src[0..<count]; the ranges must not overlap.
  @inline(__always)
  static func copy<T: FlatScalar>(_ src: UnsafePointer<T>, to dst: UnsafeMutablePointer<T>, count: Int) {
    if count >= 8 {
      var i = 0
      while i + 8 <= count {
        store(load8(src + i), dst + i)
        i += 8
      }
      // The last eight again, overlapping what is done: a copy may write a value twice.
      if i < count { store(load8(src + count - 8), dst + count - 8) }
    } else if count >= 4 {
      store(load4(src), dst)
      store(load4(src + count - 4), dst + count - 4)
    } else {
      if count > 0 { dst[0] = src[0] }
      if count > 1 { dst[1] = src[1] }
      if count > 2 { dst[2] = src[2] }
    }
  }

  /// dst[0..<count] += src[0..<count]; the ranges must not overlap.
  @inline(__always)
  static func add<T: FlatScalar>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<T>, count: Int) {
    var i = 0
    while i + 8 <= count {
      store(load8(dst + i) + load8(src + i), dst + i)
      i += 8
    }
    while i < count {
      dst[i] += src[i]
      i += 1
    }
  }

  /// Σ src[0..<count], in eight interleaved partial sums (lane l adds elements l, l + 8, …),
  /// then the lanes in order, then the tail: a fixed order, so the same for any thread, and
  /// not one long chain of dependent adds.
  @inline(__always)
  static func sum<T: FlatScalar>(_ src: UnsafePointer<T>, count: Int) -> T {
    var lanes = SIMD8<T>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      lanes += load8(src + i)
      i += 8
    }
    var total: T = 0
    for l in 0..<8 { total += lanes[l] }
    while i < count {
      total += src[i]
      i += 1
    }
    return total
  }

  @inline(__always) static func load8<T: FlatScalar>(_ p: UnsafePointer<T>) -> SIMD8<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self)
  }

  @inline(__always) static func load4<T: FlatScalar>(_ p: UnsafePointer<T>) -> SIMD4<T> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<T>.self)
  }

  @inline(__always) static func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<V.Scalar>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
  }
}
