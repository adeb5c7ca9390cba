import FlatlandCore
import FlatlandTestSupport
import Testing

@testable import FlatlandModels

/// Max pooling's vectorized 2×2 path against the plain definition: each output is its
/// window's first maximum in row-major order, and its recorded offset points at that element.
@Suite struct PoolTests {
  /// (channels, height, width): widths with whole groups of four windows, a tail of one to
  /// three windows, a dropped odd column and row, and fewer than four windows per row.
  static let shapes: [(Int, Int, Int)] = [(6, 28, 28), (16, 10, 10), (3, 9, 9), (2, 6, 14), (1, 2, 2), (2, 5, 7)]

  /// Values with many ties (zeros, as after a ReLU), negatives and a few NaNs: a NaN first in
  /// its window is kept (nothing compares greater), a later one is never taken.
  static func input(_ count: Int, seed: UInt64) -> [Float] {
    let palette: [Float] = [0, 0, 0, -1.5, 0.25, 2, -0.0, .nan]
    return normalVector(count, seed: seed).map { palette[Int(abs($0) * 1000) % palette.count] }
  }

  @Test(arguments: 0..<shapes.count)
  func twoByTwoMaximaAreTheFirstMaximumOfEachWindow(_ index: Int) {
    let (c, h, w) = Self.shapes[index]
    let samples = 3
    let pool = Pool(input: SampleShape(channels: c, height: h, width: w), kernel: 2)
    let out = pool.output
    let x = Self.input(samples * c * h * w, seed: UInt64(index))
    var y = [Float](repeating: 7, count: samples * out.count)
    var ids = [Int32](repeating: -1, count: y.count)
    x.withUnsafeBufferPointer { xp in
      y.withUnsafeMutableBufferPointer { yp in
        ids.withUnsafeMutableBufferPointer {
          pool.maxForward(n: samples, x: xp.baseAddress!, y: yp.baseAddress!, argmax: $0.baseAddress!)
        }
      }
    }
    var mismatches: [String] = []
    for s in 0..<samples {
      for ch in 0..<c {
        for oh in 0..<out.height {
          for ow in 0..<out.width {
            var best = (ch * h + 2 * oh) * w + 2 * ow
            for (i, j) in [(0, 1), (1, 0), (1, 1)] {
              let at = (ch * h + 2 * oh + i) * w + 2 * ow + j
              if x[s * c * h * w + at] > x[s * c * h * w + best] { best = at }
            }
            let o = s * out.count + (ch * out.height + oh) * out.width + ow
            let want = x[s * c * h * w + best]
            if ids[o] != Int32(best) || !(y[o] == want || (y[o].isNaN && want.isNaN)) {
              mismatches.append("sample \(s) (\(ch), \(oh), \(ow)): got \(y[o]) at \(ids[o]), want \(want) at \(best)")
            }
          }
        }
      }
    }
    let wrong = mismatches.count
    #expect(wrong == 0, "\(wrong) windows differ, e.g. \(mismatches.prefix(3))")
  }
}
