import FlatlandCore

/// Loss, gradient, Hessian-vector product and prediction over a set of samples.
///
/// `features` holds n samples of `inputShape.count` scalars each, `labels` their n classes. Sets
/// larger than the workspace are processed in chunks; since every derivative is scaled by 1/n
/// for the whole set, chunk contributions simply accumulate. All results are for the mean loss
/// J(w) = (1/n) Σ ℓ(w; x_s, y_s).
extension Network {
  /// J(w) and accuracy, without derivatives.
  public func evaluate<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>,
    workspace ws: Workspace<T>
  ) -> LossStats {
    check(w, features, labels)
    return chunks(labels.count, ws) { start, n in
      let x = features.baseAddress! + start * inputShape.count
      body.forward(n: n, x: x, y: ws.logits.pointer, w: w.baseAddress!, ws: ws.body)
      return loss.gradient(
        n: n, classes: classes, z: ws.logits.pointer, labels: labels.baseAddress! + start, scale: 0, dz: nil, p: nil)
    }
  }

  /// J(w) and writes ∇J(w) into `gradient` (overwritten).
  public func lossAndGradient<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>,
    gradient: UnsafeMutableBufferPointer<T>, workspace ws: Workspace<T>
  ) -> LossStats {
    check(w, features, labels)
    precondition(
      gradient.count == parameterCount, "gradient has \(gradient.count) entries, model has \(parameterCount)")
    if labels.isEmpty { gradient.update(repeating: 0) }
    let scale = 1 / T(labels.count)
    // The first chunk overwrites the gradient, later ones add to it.
    return chunks(labels.count, ws) { start, n in
      sweep(
        n: n, x: features.baseAddress! + start * inputShape.count, labels: labels.baseAddress! + start, scale: scale,
        w: w.baseAddress!,
        g: gradient.baseAddress!, update: start > 0 ? .accumulate : .overwrite, p: nil, ws: ws)
    }
  }

  /// One SGD step on the batch, in place: w ← w − μ(∇J(w) + λw); returns J at the old w.
  public func descend<T: FlatScalar>(
    _ w: UnsafeMutableBufferPointer<T>, stepSize mu: T, weightDecay lambda: T,
    features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>, workspace ws: Workspace<T>
  ) -> LossStats {
    descend(
      from: UnsafeBufferPointer(w), onto: w, stepSize: mu, weightDecay: lambda, features: features, labels: labels,
      workspace: ws)
  }

  /// The SGD step of the gradient taken at w, applied to `target`: target ← (1 − μλ) target −
  /// μ∇J(w); returns J(w). With target = w it is the plain step w − μ(∇J(w) + λw); with target
  /// a combination of neighbors it is consensus's.
  ///
  /// The backward pass adds each layer's scaled gradient straight into the target (see
  /// `GradientUpdate`), so no gradient vector is formed: the same step as `lossAndGradient`
  /// then the update, with one rounding fewer where the GEMM fuses the multiply-add. The batch
  /// must fit the workspace in one chunk, since with target = w a second chunk would see moved
  /// weights.
  public func descend<T: FlatScalar>(
    from w: UnsafeBufferPointer<T>, onto target: UnsafeMutableBufferPointer<T>, stepSize mu: T, weightDecay lambda: T,
    features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>, workspace ws: Workspace<T>
  ) -> LossStats {
    check(w, features, labels)
    precondition(target.count == parameterCount, "target has \(target.count) entries, model has \(parameterCount)")
    precondition(
      labels.count <= ws.capacity,
      "a descent step takes one chunk: \(labels.count) samples, workspace holds \(ws.capacity)")
    let n = labels.count
    let update = GradientUpdate<T>.descent(stepSize: mu, weightDecay: lambda)
    guard n > 0 else {
      for i in target.indices { update.apply(0, to: &target[i]) }
      return LossStats(loss: 0, correct: 0, count: 0)
    }
    let r = sweep(
      n: n, x: features.baseAddress!, labels: labels.baseAddress!, scale: 1 / T(n), w: w.baseAddress!,
      g: target.baseAddress!, update: update,
      p: nil, ws: ws)
    return LossStats(loss: r.loss / Double(n), correct: r.correct, count: n)
  }

  /// Writes H v = ∇²J(w) v into `result` (overwritten), exactly, by Pearlmutter's R-operator.
  /// Per chunk: the forward pass and the gradient's backward sweep (`prepare`), then the
  /// directional derivative of both along v (`directional`). Costs about three gradients.
  /// Returns J(w).
  public func hessianVectorProduct<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, direction v: UnsafeBufferPointer<T>,
    features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>,
    result: UnsafeMutableBufferPointer<T>, workspace ws: Workspace<T>
  ) -> LossStats {
    check(w, features, labels)
    precondition(
      v.count == parameterCount && result.count == parameterCount,
      "direction and result must have \(parameterCount) entries")
    result.update(repeating: 0)
    let scale = 1 / T(labels.count)
    return chunks(labels.count, ws) { start, n in
      let x = features.baseAddress! + start * inputShape.count
      let r = prepare(n: n, x: x, labels: labels.baseAddress! + start, scale: scale, w: w.baseAddress!, ws: ws)
      directional(n: n, x: x, scale: scale, w: w.baseAddress!, v: v.baseAddress!, hv: result.baseAddress!, ws: ws)
      return r
    }
  }

  /// Readies `workspace` for many Hessian-vector products at one point: runs the forward pass
  /// and the gradient's backward sweep at w over the whole set (at most `capacity` samples)
  /// and keeps every activation and output gradient. Lanczos and Hutchinson call dozens of
  /// HVPs at one w; each then costs only `preparedHessianVectorProduct`'s directional passes.
  /// Returns J(w).
  public func prepareCurvature<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, features: UnsafeBufferPointer<T>, labels: UnsafeBufferPointer<Int32>,
    workspace ws: Workspace<T>
  ) -> LossStats {
    check(w, features, labels)
    precondition(
      labels.count <= ws.capacity, "\(labels.count) samples do not fit a workspace of capacity \(ws.capacity)")
    let n = labels.count
    let r = prepare(
      n: n, x: features.baseAddress!, labels: labels.baseAddress!, scale: 1 / T(n), w: w.baseAddress!, ws: ws)
    return LossStats(loss: n == 0 ? 0 : r.loss / Double(n), correct: r.correct, count: n)
  }

  /// H v at the point and samples of the last `prepareCurvature` with this workspace; the
  /// caller passes the same w and features. Bit-identical to `hessianVectorProduct` there.
  public func preparedHessianVectorProduct<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, direction v: UnsafeBufferPointer<T>, features: UnsafeBufferPointer<T>,
    result: UnsafeMutableBufferPointer<T>, workspace ws: Workspace<T>
  ) {
    let n = features.count / inputShape.count
    precondition(
      w.count == parameterCount && v.count == parameterCount && result.count == parameterCount,
      "vectors must have \(parameterCount) entries")
    precondition(n <= ws.capacity, "\(n) samples do not fit a workspace of capacity \(ws.capacity)")
    result.update(repeating: 0)
    directional(
      n: n, x: features.baseAddress!, scale: 1 / T(n), w: w.baseAddress!, v: v.baseAddress!, hv: result.baseAddress!,
      ws: ws)
  }

  /// The predicted class (argmax of the logits) of each sample.
  public func predict<T: FlatScalar>(
    _ w: UnsafeBufferPointer<T>, features: UnsafeBufferPointer<T>, workspace ws: Workspace<T>
  ) -> [Int32] {
    let n = features.count / inputShape.count
    var out = [Int32](repeating: 0, count: n)
    _ = chunks(n, ws) { start, m in
      body.forward(
        n: m, x: features.baseAddress! + start * inputShape.count, y: ws.logits.pointer, w: w.baseAddress!, ws: ws.body)
      for s in 0..<m {
        let z = ws.logits.pointer + s * classes
        var best = 0
        for c in 1..<classes where z[c] > z[best] { best = c }
        out[start + s] = Int32(best)
      }
      return (0, 0)
    }
    return out
  }

  // MARK: - Helpers

  /// One chunk's forward pass, loss derivative dz = scale·∂ℓ/∂z (softmax probabilities into
  /// `p` when given) and backward sweep, writing g ← α∇ + βg when g is given. Returns the
  /// chunk's summed loss and correct count.
  private func sweep<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, labels: UnsafePointer<Int32>, scale: T, w: UnsafePointer<T>,
    g: UnsafeMutablePointer<T>?, update: GradientUpdate<T>, p: UnsafeMutablePointer<T>?, ws: Workspace<T>
  ) -> (loss: Double, correct: Int) {
    body.forward(n: n, x: x, y: ws.logits.pointer, w: w, ws: ws.body)
    let r = loss.gradient(
      n: n, classes: classes, z: ws.logits.pointer, labels: labels, scale: scale, dz: ws.dLogits.pointer, p: p)
    body.backward(
      n: n, x: x, y: ws.logits.pointer, dy: ws.dLogits.pointer, dx: nil, w: w, g: g, update: update, ws: ws.body)
    return r
  }

  /// The sweep without parameter gradients, keeping the softmax: leaves in `ws` all that the
  /// directional passes read.
  private func prepare<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, labels: UnsafePointer<Int32>, scale: T, w: UnsafePointer<T>, ws: Workspace<T>
  ) -> (loss: Double, correct: Int) {
    sweep(
      n: n, x: x, labels: labels, scale: scale, w: w, g: nil, update: .accumulate, p: ws.probabilities.pointer, ws: ws)
  }

  /// hv += R{∇J} along v: the R-forward pass, the loss Hessian on Rz, and the R-backward sweep.
  private func directional<T: FlatScalar>(
    n: Int, x: UnsafePointer<T>, scale: T, w: UnsafePointer<T>, v: UnsafePointer<T>, hv: UnsafeMutablePointer<T>,
    ws: Workspace<T>
  ) {
    body.rForward(n: n, x: x, y: ws.logits.pointer, rx: nil, ry: ws.rLogits.pointer, w: w, v: v, ws: ws.body)
    loss.hessianProduct(
      n: n, classes: classes, p: ws.probabilities.pointer, rz: ws.rLogits.pointer, scale: scale,
      rdz: ws.rdLogits.pointer)
    body.rBackward(
      n: n, x: x, rx: nil, y: ws.logits.pointer, ry: ws.rLogits.pointer, dy: ws.dLogits.pointer,
      rdy: ws.rdLogits.pointer, rdx: nil, w: w, v: v, hv: hv, ws: ws.body)
  }

  private func check<T>(
    _ w: UnsafeBufferPointer<T>, _ features: UnsafeBufferPointer<T>, _ labels: UnsafeBufferPointer<Int32>
  ) {
    precondition(
      w.count == parameterCount, "parameter vector has \(w.count) entries, model \(name) has \(parameterCount)")
    precondition(features.count == labels.count * inputShape.count, "features and labels disagree on the sample count")
  }

  /// Runs `body(start, n)` over consecutive chunks that fit the workspace; sums the results.
  private func chunks<T>(_ total: Int, _ ws: Workspace<T>, _ body: (Int, Int) -> (loss: Double, correct: Int))
    -> LossStats
  {
    var loss = 0.0
    var correct = 0
    var start = 0
    while start < total {
      let n = min(ws.capacity, total - start)
      let r = body(start, n)
      loss += r.loss
      correct += r.correct
      start += n
    }
    return LossStats(loss: total == 0 ? 0 : loss / Double(total), correct: correct, count: total)
  }
}
