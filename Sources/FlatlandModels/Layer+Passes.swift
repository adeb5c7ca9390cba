import FlatlandCore

/// Dispatch of the four passes (documented on `Layer`) to each kind's kernels.
extension Layer {
  func forward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, w: UnsafePointer<T>, ws: LayerWorkspace<T>
  ) {
    switch self {
    case .linear(let l): l.forward(n: n, x: x, y: y, w: w)
    case .conv2D(let c): c.forward(n: n, x: x, y: y, w: w, scratch: ws.scratch!.pointer)
    case .relu(let e): Activation.relu.forward(count: n * e.shape.count, x: x, y: y)
    case .tanh(let e): Activation.tanh.forward(count: n * e.shape.count, x: x, y: y)
    case .maxPool(let p): p.maxForward(n: n, x: x, y: y, argmax: ws.argmax!.pointer)
    case .avgPool(let p): p.avgForward(n: n, x: x, y: y)
    case .flatten(let s): y.update(from: x, count: n * s.count)
    case .residual(let r): r.forward(n: n, x: x, y: y, w: w, ws: ws)
    }
  }

  func backward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>, ws: LayerWorkspace<T>
  ) {
    switch self {
    case .linear(let l): l.backward(n: n, x: x, dy: dy, dx: dx, w: w, g: g, update: update)
    case .conv2D(let c):
      c.backward(n: n, x: x, dy: dy, dx: dx, w: w, g: g, update: update, scratch: ws.scratch!.pointer)
    case .residual(let r): r.backward(n: n, x: x, y: y, dy: dy, dx: dx, w: w, g: g, update: update, ws: ws)
    case .relu, .tanh, .maxPool, .avgPool, .flatten:
      if let dx { linearizedBackward(n: n, x: x, y: y, dy: dy, dx: dx, ws: ws) }
    }
  }

  func rForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, y: UnsafePointer<T>, ry: UnsafeMutablePointer<T>,
    w: UnsafePointer<T>, v: UnsafePointer<T>, ws: LayerWorkspace<T>
  ) {
    switch self {
    case .linear(let l): l.rForward(n: n, x: x, rx: rx, ry: ry, w: w, v: v)
    case .conv2D(let c): c.rForward(n: n, x: x, rx: rx, ry: ry, w: w, v: v, scratch: ws.scratch!.pointer)
    case .residual(let r): r.rForward(n: n, x: x, y: y, rx: rx, ry: ry, w: w, v: v, ws: ws)
    case .relu, .tanh, .maxPool, .avgPool, .flatten:
      // Parameter-free layers map rx through their Jacobian: the same map as forward for the
      // piecewise-linear ones, y' ⊙ rx for activations.
      guard let rx else {
        ry.update(repeating: 0, count: n * outputShape.count)
        return
      }
      switch self {
      case .relu(let e): Activation.relu.rForward(count: n * e.shape.count, x: x, y: y, rx: rx, ry: ry)
      case .tanh(let e): Activation.tanh.rForward(count: n * e.shape.count, x: x, y: y, rx: rx, ry: ry)
      case .maxPool(let p): p.maxGather(n: n, source: rx, y: ry, argmax: ws.argmax!.pointer)
      default: forward(n: n, x: rx, y: ry, w: w, ws: ws)
      }
    }
  }

  func rBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, y: UnsafePointer<T>, ry: UnsafePointer<T>,
    dy: UnsafePointer<T>, rdy: UnsafePointer<T>, rdx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>, ws: LayerWorkspace<T>
  ) {
    switch self {
    case .linear(let l): l.rBackward(n: n, x: x, rx: rx, dy: dy, rdy: rdy, rdx: rdx, w: w, v: v, hv: hv)
    case .conv2D(let c):
      c.rBackward(n: n, x: x, rx: rx, dy: dy, rdy: rdy, rdx: rdx, w: w, v: v, hv: hv, scratch: ws.scratch!.pointer)
    case .residual(let r):
      r.rBackward(n: n, x: x, rx: rx, y: y, ry: ry, dy: dy, rdy: rdy, rdx: rdx, w: w, v: v, hv: hv, ws: ws)
    case .relu(let e):
      Activation.relu.rBackward(count: n * e.shape.count, x: x, y: y, ry: ry, dy: dy, rdy: rdy, rdx: rdx)
    case .tanh(let e):
      Activation.tanh.rBackward(count: n * e.shape.count, x: x, y: y, ry: ry, dy: dy, rdy: rdy, rdx: rdx)
    case .maxPool, .avgPool, .flatten:
      // Piecewise linear with zero curvature: R{dx} is the same backward map applied to rdy.
      if let rdx { linearizedBackward(n: n, x: x, y: y, dy: rdy, dx: rdx, ws: ws) }
    }
  }

  /// dx = J_xᵀ dy for the parameter-free layers.
  private func linearizedBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>,
    ws: LayerWorkspace<T>
  ) {
    switch self {
    case .relu(let e): Activation.relu.backward(count: n * e.shape.count, x: x, y: y, dy: dy, dx: dx)
    case .tanh(let e): Activation.tanh.backward(count: n * e.shape.count, x: x, y: y, dy: dy, dx: dx)
    case .maxPool(let p): p.maxScatter(n: n, dy: dy, dx: dx, argmax: ws.argmax!.pointer)
    case .avgPool(let p): p.avgBackward(n: n, dy: dy, dx: dx)
    case .flatten(let s): dx.update(from: dy, count: n * s.count)
    case .linear, .conv2D, .residual: preconditionFailure("parameterized layers have their own backward")
    }
  }
}
