import FlatlandCore

/// Unfolds one sample's padded input windows into columns, so a convolution is one GEMM.
///
/// col has shape (C·k·k, Ho·Wo): row (c, i, j) holds x[c, oh·s + i − p, ow·s + j − p] for every
/// output position (oh, ow), zero where the window leaves the image. `fold` is its adjoint
/// (scatter-add), used to map column gradients back onto the input. Both walk the same spans:
/// for each col line (row (c, i, j), output row oh) the output columns lo..<hi whose input
/// pixels exist form one run of x with stride s, so the inner loops are copies, not tests.
struct Im2Col {
  let channels: Int, height: Int, width: Int
  let kernel: Int, stride: Int, padding: Int
  let outHeight: Int, outWidth: Int

  var rows: Int { channels * kernel * kernel }
  var columns: Int { outHeight * outWidth }

  /// col = im2col(x). With `paddingIsZero`, the caller guarantees that col's padding entries
  /// already hold zeros (a buffer that starts zeroed and only ever receives unfolds of this
  /// geometry), so only the pixels are written.
  func unfold<T: FlatScalar>(_ x: UnsafePointer<T>, into col: UnsafeMutablePointer<T>, paddingIsZero: Bool = false) {
    walk { line, start, lo, hi in
      let out = col + line
      guard let start else {
        if !paddingIsZero { out.update(repeating: 0, count: outWidth) }
        return
      }
      if !paddingIsZero {
        out.update(repeating: 0, count: lo)
        (out + hi).update(repeating: 0, count: outWidth - hi)
      }
      let src = x + start
      if stride == 1 {
        ShortSpan.copy(src, to: out + lo, count: hi - lo)
      } else {
        for k in 0..<(hi - lo) { out[lo + k] = src[k * stride] }
      }
    }
  }

  /// x += fold(col): the adjoint of `unfold` (x must be zeroed by the caller first).
  func fold<T: FlatScalar>(_ col: UnsafePointer<T>, into x: UnsafeMutablePointer<T>) {
    walk { line, start, lo, hi in
      guard let start else { return }
      let src = col + line + lo
      let dst = x + start
      if stride == 1 {
        ShortSpan.add(src, into: dst, count: hi - lo)
      } else {
        for k in 0..<(hi - lo) { dst[k * stride] += src[k] }
      }
    }
  }

  /// Calls `span(line, start, lo, hi)` for every col line: `line` is its offset in col; the
  /// output columns lo..<hi read x from offset `start` on with stride s; `start` is nil when
  /// the whole line falls in the vertical padding.
  @inline(__always)
  private func walk(_ span: (_ line: Int, _ start: Int?, _ lo: Int, _ hi: Int) -> Void) {
    // Wrapping arithmetic: every index is bounded by the buffers' sizes, and overflow checks
    // on the thousands of short spans per sample cost more than the spans' copies.
    var r = 0
    for c in 0..<channels {
      for i in 0..<kernel {
        for j in 0..<kernel {
          // ow·s + j − p ∈ [0, W) ⇔ lo ≤ ow < hi.
          let lo = min(outWidth, padding > j ? (padding &- j &+ stride &- 1) / stride : 0)
          let last = width &- 1 &+ padding &- j
          let hi = max(lo, last < 0 ? 0 : min(outWidth, last / stride &+ 1))
          let offset = lo &* stride &+ j &- padding
          var line = r &* columns
          var h = i &- padding
          for _ in 0..<outHeight {
            span(line, h < 0 || h >= height ? nil : (c &* height &+ h) &* width &+ offset, lo, hi)
            line &+= outWidth
            h &+= stride
          }
          r &+= 1
        }
      }
    }
  }
}
