import FlatlandCore

/// A residual block y = F(x) + P(x), with F a `Sequential` (conv–ReLU–conv in `resnet8`) and P
/// the identity or, when the shape changes, a strided 1×1 convolution.
///
/// The sum is linear, so every pass is the body's pass plus the shortcut's: gradients and
/// their R-images from the two paths add at the input. No activation follows inside the
/// block; models put a ReLU after it. The body's output F(x) is kept in its own buffer,
/// because the body's last layer may need its own output (tanh) in the backward passes.
public struct Residual: Sendable, Equatable {
  public let body: Sequential
  public let projection: Conv2D?

  public init(body: Sequential, projection: Conv2D?) {
    precondition(
      projection.map { $0.output == body.output } ?? (body.input == body.output), "residual shapes must agree")
    self.body = body
    self.projection = projection
  }

  public var input: SampleShape { body.input }
  public var output: SampleShape { body.output }

  func forward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafeMutablePointer<T>, w: UnsafePointer<T>, ws: LayerWorkspace<T>
  ) {
    let f = ws.shortcut[0].pointer
    body.forward(n: n, x: x, y: f, w: w, ws: ws.body!)
    let count = n * output.count
    y.update(from: f, count: count)
    if let projection {
      let p = ws.shortcut[2].pointer
      projection.forward(n: n, x: x, y: p, w: w + body.parameterCount, scratch: ws.scratch!.pointer)
      add(p, into: y, count: count)
    } else {
      add(x, into: y, count: count)
    }
  }

  func backward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, dy: UnsafePointer<T>, dx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>, ws: LayerWorkspace<T>
  ) {
    body.backward(n: n, x: x, y: ws.shortcut[0].pointer, dy: dy, dx: dx, w: w, g: g, update: update, ws: ws.body!)
    let count = n * input.count
    if let projection {
      let pdx = dx.map { _ in ws.shortcut[4].pointer }
      projection.backward(
        n: n, x: x, dy: dy, dx: pdx, w: w + body.parameterCount, g: g.map { $0 + body.parameterCount }, update: update,
        scratch: ws.scratch!.pointer)
      if let dx, let pdx { add(pdx, into: dx, count: count) }
    } else if let dx {
      add(dy, into: dx, count: count)
    }
  }

  func rForward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, y: UnsafePointer<T>, rx: UnsafePointer<T>?, ry: UnsafeMutablePointer<T>,
    w: UnsafePointer<T>, v: UnsafePointer<T>, ws: LayerWorkspace<T>
  ) {
    let rf = ws.shortcut[1].pointer
    body.rForward(n: n, x: x, y: ws.shortcut[0].pointer, rx: rx, ry: rf, w: w, v: v, ws: ws.body!)
    let count = n * output.count
    ry.update(from: rf, count: count)
    if let projection {
      let p = ws.shortcut[3].pointer
      let o = body.parameterCount
      projection.rForward(n: n, x: x, rx: rx, ry: p, w: w + o, v: v + o, scratch: ws.scratch!.pointer)
      add(p, into: ry, count: count)
    } else if let rx {
      add(rx, into: ry, count: count)
    }
  }

  func rBackward<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, rx: UnsafePointer<T>?, y: UnsafePointer<T>, ry: UnsafePointer<T>,
    dy: UnsafePointer<T>, rdy: UnsafePointer<T>, rdx: UnsafeMutablePointer<T>?,
    w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>, ws: LayerWorkspace<T>
  ) {
    body.rBackward(
      n: n, x: x, rx: rx, y: ws.shortcut[0].pointer, ry: ws.shortcut[1].pointer, dy: dy, rdy: rdy, rdx: rdx, w: w, v: v,
      hv: hv, ws: ws.body!)
    let count = n * input.count
    if let projection {
      let o = body.parameterCount
      let prdx = rdx.map { _ in ws.shortcut[5].pointer }
      projection.rBackward(
        n: n, x: x, rx: rx, dy: dy, rdy: rdy, rdx: prdx, w: w + o, v: v + o, hv: hv + o, scratch: ws.scratch!.pointer)
      if let rdx, let prdx { add(prdx, into: rdx, count: count) }
    } else if let rdx {
      add(rdy, into: rdx, count: count)
    }
  }

  private func add<T: FlatScalar>(_ a: UnsafePointer<T>, into b: UnsafeMutablePointer<T>, count: Int) {
    for i in 0..<count { b[i] += a[i] }
  }
}
