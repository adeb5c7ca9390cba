import FlatlandTestSupport
import Testing

@testable import FlatlandModels

/// The span-walking im2col against a naive per-element reference, and fold as its adjoint.
@Suite struct Im2ColTests {
  /// (channels, height, width, kernel, stride, padding), covering padding wider than the
  /// stride, strides that skip the last column, and windows larger than the padded image edge;
  /// the last three give stride-1 runs of 26–28, 10 and 18 scalars (lenet5's two layers, and
  /// two full vectors plus a tail), so every branch of the short-run copy and add is taken.
  static let cases: [(Int, Int, Int, Int, Int, Int)] = [
    (1, 5, 5, 3, 1, 0), (2, 6, 5, 3, 1, 1), (3, 7, 7, 3, 2, 1), (1, 8, 6, 5, 1, 2), (2, 5, 7, 1, 2, 0),
    (1, 4, 4, 3, 3, 2),
    (1, 9, 28, 5, 1, 2), (2, 14, 14, 5, 1, 0), (1, 6, 19, 2, 1, 0),
  ]

  static func unfolding(_ c: (Int, Int, Int, Int, Int, Int)) -> Im2Col {
    let (ch, h, w, k, s, p) = c
    return Im2Col(
      channels: ch, height: h, width: w, kernel: k, stride: s, padding: p,
      outHeight: (h + 2 * p - k) / s + 1, outWidth: (w + 2 * p - k) / s + 1)
  }

  /// col[(c, i, j), (oh, ow)] = x[c, oh·s + i − p, ow·s + j − p], or 0 outside the image.
  static func reference(_ u: Im2Col, _ x: [Double]) -> [Double] {
    var col = [Double](repeating: 0, count: u.rows * u.columns)
    for c in 0..<u.channels {
      for i in 0..<u.kernel {
        for j in 0..<u.kernel {
          let r = (c * u.kernel + i) * u.kernel + j
          for oh in 0..<u.outHeight {
            for ow in 0..<u.outWidth {
              let h = oh * u.stride + i - u.padding
              let w = ow * u.stride + j - u.padding
              if h >= 0 && h < u.height && w >= 0 && w < u.width {
                col[r * u.columns + oh * u.outWidth + ow] = x[(c * u.height + h) * u.width + w]
              }
            }
          }
        }
      }
    }
    return col
  }

  @Test(arguments: 0..<cases.count)
  func unfoldMatchesTheNaiveKernelAndFoldIsItsAdjoint(_ index: Int) {
    let u = Self.unfolding(Self.cases[index])
    let x = normalVector(u.channels * u.height * u.width, seed: UInt64(index))
    var col = [Double](repeating: .nan, count: u.rows * u.columns)
    x.withUnsafeBufferPointer { xp in
      col.withUnsafeMutableBufferPointer { u.unfold(xp.baseAddress!, into: $0.baseAddress!) }
    }
    #expect(col == Self.reference(u, x))
    // ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ for any y.
    let y = normalVector(col.count, seed: UInt64(100 + index))
    var folded = [Double](repeating: 0, count: x.count)
    y.withUnsafeBufferPointer { yp in
      folded.withUnsafeMutableBufferPointer { u.fold(yp.baseAddress!, into: $0.baseAddress!) }
    }
    let left = zip(col, y).reduce(0) { $0 + $1.0 * $1.1 }
    let right = zip(x, folded).reduce(0) { $0 + $1.0 * $1.1 }
    #expect(abs(left - right) <= 1e-12 * max(1, abs(left)), "⟨unfold x, y⟩ = \(left), ⟨x, fold y⟩ = \(right)")
  }

  /// Into a buffer that starts zeroed and only receives unfolds, writing only the pixels is
  /// enough: a second input unfolded over the first gives exactly its own columns.
  @Test(arguments: 0..<cases.count)
  func unfoldingOverAnEarlierUnfoldNeedsNoPaddingWrites(_ index: Int) {
    let u = Self.unfolding(Self.cases[index])
    var col = [Double](repeating: 0, count: u.rows * u.columns)
    for seed in [UInt64(index), UInt64(50 + index)] {
      let x = normalVector(u.channels * u.height * u.width, seed: seed)
      x.withUnsafeBufferPointer { xp in
        col.withUnsafeMutableBufferPointer { u.unfold(xp.baseAddress!, into: $0.baseAddress!, paddingIsZero: true) }
      }
      #expect(col == Self.reference(u, x), "input \(seed)")
    }
  }
}
