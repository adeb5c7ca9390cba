import FlatlandCore
import FlatlandModels
import FlatlandTestSupport
import Testing

/// `Network.descend` (the SGD step fused into the backward pass, weights updated in place
/// layer by layer) against the unfused step w − μ(∇J(w) + λw) from `lossAndGradient`, for
/// every layer kind, in place and onto another vector. In Double the two agree to rounding; if a
/// layer wrote its weights before its input gradient, the layers below would see moved weights
/// and the error would be of the order of μ‖∇‖.
@Suite struct DescentTests {
  static let mu = 0.3, lambda = 0.01

  @Test(arguments: 0..<8)
  func fusedStepEqualsGradientThenStep(_ index: Int) {
    let (label, network) = GradientTests.layerCases[index]
    let n = 4
    var rng = RandomStream(seed: 11, purpose: .measure)
    let x: [Double] = (0..<(n * network.inputShape.count)).map { _ in rng.uniform() }
    let y = (0..<n).map { _ in Int32(rng.index(below: network.classes)) }
    let w0 = network.initialParameters(seed: 2).map(Double.init)
    let ws = network.makeWorkspace(capacity: n, of: Double.self)
    var g = [Double](repeating: .nan, count: network.parameterCount)
    let before = x.withUnsafeBufferPointer { f in
      y.withUnsafeBufferPointer { l in
        w0.withUnsafeBufferPointer { w in
          g.withUnsafeMutableBufferPointer {
            network.lossAndGradient(w, features: f, labels: l, gradient: $0, workspace: ws)
          }
        }
      }
    }
    let want = zip(w0, g).map { $0 - Self.mu * ($1 + Self.lambda * $0) }
    var w = w0
    let stats = x.withUnsafeBufferPointer { f in
      y.withUnsafeBufferPointer { l in
        w.withUnsafeMutableBufferPointer {
          network.descend($0, stepSize: Self.mu, weightDecay: Self.lambda, features: f, labels: l, workspace: ws)
        }
      }
    }
    let error = zip(w, want).map { abs($0 - $1) }.max()!
    let moved = zip(w0, want).map { abs($0 - $1) }.max()!
    #expect(error < 1e-14 * max(1, moved), "\(label): fused step off by \(error) (the step moves \(moved))")
    #expect(stats.loss == before.loss && stats.count == n, "\(label): loss \(stats.loss) vs \(before.loss)")
    // Onto another vector (consensus: the combined row): t ← (1 − μλ) t − μ∇J(w0).
    let t0 = normalVector(network.parameterCount, seed: 21)
    var t = t0
    _ = x.withUnsafeBufferPointer { f in
      y.withUnsafeBufferPointer { l in
        w0.withUnsafeBufferPointer { w in
          t.withUnsafeMutableBufferPointer {
            network.descend(
              from: w, onto: $0, stepSize: Self.mu, weightDecay: Self.lambda, features: f, labels: l, workspace: ws)
          }
        }
      }
    }
    let ontoError = zip(t, zip(t0, g).map { (1 - Self.mu * Self.lambda) * $0 - Self.mu * $1 }).map { abs($0 - $1) }
      .max()!
    #expect(ontoError < 1e-14 * max(1, moved), "\(label): step onto another vector off by \(ontoError)")
  }

  /// The fused step in Float (the trainer's path): equal to the unfused step up to rounding,
  /// a few ulps of the largest weight (the GEMM adds each sample's contribution to the weight
  /// rather than to a gradient first).
  @Test func float32StepOnLeNetMatchesToRounding() throws {
    let network = try Network.named("lenet5", input: SampleShape(channels: 1, height: 28, width: 28), classes: 10)
    let n = 8
    var rng = RandomStream(seed: 3, purpose: .measure)
    let x: [Float] = (0..<(n * network.inputShape.count)).map { _ in Float(rng.uniform() as Double) }
    let y = (0..<n).map { _ in Int32(rng.index(below: 10)) }
    let w0 = network.initialParameters(seed: 1)
    let ws = network.makeWorkspace(capacity: n, of: Float.self)
    var g = [Float](repeating: 0, count: network.parameterCount)
    _ = x.withUnsafeBufferPointer { f in
      y.withUnsafeBufferPointer { l in
        w0.withUnsafeBufferPointer { w in
          g.withUnsafeMutableBufferPointer {
            network.lossAndGradient(w, features: f, labels: l, gradient: $0, workspace: ws)
          }
        }
      }
    }
    let mu: Float = 0.1
    var w = w0
    _ = x.withUnsafeBufferPointer { f in
      y.withUnsafeBufferPointer { l in
        w.withUnsafeMutableBufferPointer {
          network.descend($0, stepSize: mu, weightDecay: 0, features: f, labels: l, workspace: ws)
        }
      }
    }
    let scale = w0.map(abs).max()!
    let step = zip(w, w0).map { abs($0 - $1) }.max()!
    let worst = zip(zip(w, w0), g).map { pair, gi in abs(pair.0 - (pair.1 - mu * gi)) }.max()!
    #expect(worst < 1e-6 * scale, "largest difference \(worst), weights up to \(scale)")
    #expect(step > 1e-3 * scale, "the step moved the weights by at most \(step)")
  }
}
