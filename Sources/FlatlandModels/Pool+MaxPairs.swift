import FlatlandCore

extension Pool {
  /// Max pooling over 2×2 windows of one Float sample, four windows at a time, without branches.
  ///
  /// The scalar search compares every element against the running maximum, a branch that
  /// after a ReLU (ties at zero, signs at random) mispredicts about once per window. Here
  /// each output row reads its two input rows as eight-lane vectors, whose even and odd lanes
  /// are the windows' left and right columns, and keeps the maximum by blends on strict
  /// comparisons in the scalar path's order (top-left, top-right, bottom-left, bottom-right),
  /// so it picks the same first maximum, NaN handling included. A row's last windows, fewer
  /// than four, take the scalar path. Concrete in Float: Swift lowers SIMD comparisons and
  /// blends to vector instructions only for concrete scalar types, generic code loops over
  /// lanes (slower than the branches it replaces).
  func maxPairs(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ ids: UnsafeMutablePointer<Int32>) {
    let out = output
    let width = input.width
    let lanes = SIMD4<Int32>(0, 2, 4, 6)
    let w = Int32(truncatingIfNeeded: width)
    for c in 0..<input.channels {
      for oh in 0..<out.height {
        let rowOut = (c &* out.height &+ oh) &* out.width
        let rowIn = (c &* input.height &+ 2 &* oh) &* width
        var ow = 0
        while ow &+ 4 <= out.width {
          let base = rowIn &+ 2 &* ow
          let top = ShortSpan.load8(x + base)
          let bottom = ShortSpan.load8(x + (base &+ width))
          let origin = SIMD4<Int32>(repeating: Int32(truncatingIfNeeded: base)) &+ lanes
          var value = top.evenHalf
          var index = origin
          @inline(__always) func keep(_ candidate: SIMD4<Float>, at offset: Int32) {
            let wins = candidate .> value
            value.replace(with: candidate, where: wins)
            index.replace(with: origin &+ offset, where: wins)
          }
          keep(top.oddHalf, at: 1)
          keep(bottom.evenHalf, at: w)
          keep(bottom.oddHalf, at: w &+ 1)
          ShortSpan.store(value, y + (rowOut &+ ow))
          ShortSpan.store(index, ids + (rowOut &+ ow))
          ow &+= 4
        }
        while ow < out.width {
          let best = argmax(x, base: rowIn &+ 2 &* ow)
          y[rowOut &+ ow] = x[best]
          ids[rowOut &+ ow] = Int32(truncatingIfNeeded: best)
          ow &+= 1
        }
      }
    }
  }
}
