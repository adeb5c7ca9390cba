import FlatlandCore

/// A parameter-free elementwise activation over `shape`, applied as ReLU or tanh by the
/// enclosing `Layer` case.
///
/// ReLU: y = max(x, 0), y' = 1[x > 0], y'' = 0 almost everywhere, so its R-backward is the
/// mask applied to rdy. Tanh: y' = 1 − y², y'' = −2y(1 − y²), so
/// R{dx} = (1 − y²) rdy − 2 y ry dy, where ry = (1 − y²) rx.
public struct Elementwise: Sendable, Equatable {
  public let shape: SampleShape
  public init(shape: SampleShape) { self.shape = shape }
}

/// The two activations; `Layer` maps its cases onto these.
enum Activation {
  case relu, tanh

  func forward<T: FlatScalar>(count: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>) {
    switch self {
    case .relu: for i in 0..<count { y[i] = x[i] > 0 ? x[i] : 0 }
    case .tanh: for i in 0..<count { y[i] = T.tanh(x[i]) }
    }
  }

  /// dx = y'(x) ⊙ dy.
  func backward<T: FlatScalar>(
    count: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>
  ) {
    switch self {
    case .relu:
      // Both sides of the select are loaded unconditionally, so the loop compiles to a vector
      // blend instead of an unpredictable branch per element.
      for i in 0..<count {
        let g = dy[i]
        dx[i] = x[i] > 0 ? g : 0
      }
    case .tanh: for i in 0..<count { dx[i] = (1 - y[i] * y[i]) * dy[i] }
    }
  }

  /// ry = y'(x) ⊙ rx, or 0 when rx = 0.
  func rForward<T: FlatScalar>(
    count: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, rx: UnsafePointer<T>?, ry: UnsafeMutablePointer<T>
  ) {
    guard let rx else {
      ry.update(repeating: 0, count: count)
      return
    }
    backward(count: count, x: x, y: y, dy: rx, dx: ry)
  }

  /// rdx = y' ⊙ rdy + y'' ⊙ ry/y' ⊙ dy; for tanh the second term is −2 y ry dy.
  func rBackward<T: FlatScalar>(
    count: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, ry: UnsafePointer<T>,
    dy: UnsafePointer<T>, rdy: UnsafePointer<T>, rdx: UnsafeMutablePointer<T>?
  ) {
    guard let rdx else { return }
    backward(count: count, x: x, y: y, dy: rdy, dx: rdx)
    if case .tanh = self {
      for i in 0..<count { rdx[i] -= 2 * y[i] * ry[i] * dy[i] }
    }
  }
}
