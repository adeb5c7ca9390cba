import FlatlandCore

/// Unfolds one sample's padded input windows into columns, so a convolution is one GEMM.
///
/// col has shape (C·k·k, Ho·Wo): row (c, i, j) holds x[c, oh·s + i − p, ow·s + j − p] for every
/// output position (oh, ow), zero where the window leaves the image. `col2im` is its adjoint
/// (scatter-add), used to map column gradients back onto the input.
struct Im2Col {
  let channels: Int, height: Int, width: Int
  let kernel: Int, stride: Int, padding: Int
  let outHeight: Int, outWidth: Int

  var rows: Int { channels * kernel * kernel }
  var columns: Int { outHeight * outWidth }

  func unfold<T: FlatScalar>(_ x: UnsafePointer<T>, into col: UnsafeMutablePointer<T>) {
    var r = 0
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernel {
        for j in 0..<kernel {
          let row = col + r * columns
          for oh in 0..<outHeight {
            let h = oh * stride + i - padding
            let out = row + oh * outWidth
            if h < 0 || h >= height {
              out.update(repeating: 0, count: outWidth)
              continue
            }
            let line = plane + h * width
            for ow in 0..<outWidth {
              let w = ow * stride + j - padding
              out[ow] = (w >= 0 && w < width) ? line[w] : 0
            }
          }
          r += 1
        }
      }
    }
  }

  /// x += fold(col): the adjoint of `unfold` (x must be zeroed by the caller first).
  func fold<T: FlatScalar>(_ col: UnsafePointer<T>, into x: UnsafeMutablePointer<T>) {
    var r = 0
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernel {
        for j in 0..<kernel {
          let row = col + r * columns
          for oh in 0..<outHeight {
            let h = oh * stride + i - padding
            guard h >= 0 && h < height else { continue }
            let line = plane + h * width
            let src = row + oh * outWidth
            for ow in 0..<outWidth {
              let w = ow * stride + j - padding
              if w >= 0 && w < width { line[w] += src[ow] }
            }
          }
          r += 1
        }
      }
    }
  }
}
