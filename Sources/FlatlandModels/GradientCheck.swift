import FlatlandCore

/// Checks a network's Float32 gradient and Hessian-vector product against central finite
/// differences computed in Double.
///
/// The reference runs the same network in Double: ∂J/∂w_i ≈ (J(w + h e_i) − J(w − h e_i)) / 2h
/// and H v ≈ (∇J(w + h v) − ∇J(w − h v)) / 2h, both with truncation error O(h²). An error is
/// |analytic − reference| / max(|reference_i|, 10⁻² ‖reference‖_∞): relative per coordinate,
/// floored at a hundredth of the largest entry so that near-zero coordinates, where Float32
/// rounding dominates, do not swamp the figure.
public struct GradientCheck: Sendable, Codable, Equatable {
  public var model: String
  public var parameters: Int
  /// Coordinates of the gradient compared (all, or a seeded sample of large models).
  public var coordinates: Int
  public var maxRelativeGradientError: Double
  public var maxRelativeHVPError: Double

  enum CodingKeys: String, CodingKey {
    case model, parameters, coordinates
    case maxRelativeGradientError = "max_rel_grad_error"
    case maxRelativeHVPError = "max_rel_hvp_error"
  }

  /// Runs the check on `samples` seeded random inputs (uniform in [0, 1), like scaled images)
  /// with random labels, at the seeded initial parameters.
  /// - Throws: `FlatlandError` when the batch of `samples` inputs and its Float and Double
  ///   workspaces would not fit in `MemoryBudget`.
  public init(network: Network, samples: Int = 8, maxCoordinates: Int = 400, seed: UInt64 = 1) throws {
    let perSample = (network.workspaceScalarCount(capacity: 1) ?? -1) + 2 * network.inputShape.count
    try MemoryBudget.check(
      "a check batch of \(samples) samples of input \(network.inputShape) (inputs and workspaces in Float and Double)",
      [samples, perSample, 3], bytesEach: MemoryLayout<Float>.stride)
    var rng = RandomStream(seed: seed, purpose: .measure)
    let features: [Double] = (0..<(samples * network.inputShape.count)).map { _ in rng.uniform() }
    let labels = (0..<samples).map { _ in Int32(rng.index(below: network.classes)) }
    let w32 = network.initialParameters(seed: seed)
    let w = w32.map(Double.init)
    let v: [Double] = (0..<network.parameterCount).map { _ in rng.normal() }
    let n = network.parameterCount

    // Analytic, in the working precision.
    let f32 = features.map(Float.init)
    let ws32 = network.makeWorkspace(capacity: samples, of: Float.self)
    var g32 = [Float](repeating: 0, count: n)
    var hv32 = g32
    let v32 = v.map(Float.init)
    _ = network.lossAndGradient(w32, features: f32, labels: labels, gradient: &g32, workspace: ws32)
    _ = network.hessianVectorProduct(w32, direction: v32, features: f32, labels: labels, result: &hv32, workspace: ws32)

    // References, in Double.
    let reference = FiniteDifferences(network: network, features: features, labels: labels)
    let chosen = n <= maxCoordinates ? Array(0..<n) : (0..<maxCoordinates).map { _ in rng.index(below: n) }
    let gRef = chosen.map { reference.partial(w, $0) }
    let hvRef = reference.hessianVectorProduct(w, v)

    model = network.name
    parameters = n
    coordinates = chosen.count
    maxRelativeGradientError = GradientCheck.error(chosen.map { Double(g32[$0]) }, gRef)
    maxRelativeHVPError = GradientCheck.error(hv32.map(Double.init), hvRef)
  }

  /// max_i |a_i − b_i| / max(|b_i|, 10⁻² ‖b‖_∞).
  public static func error(_ a: [Double], _ b: [Double]) -> Double {
    let scale = b.reduce(0) { max($0, abs($1)) }
    var worst = 0.0
    for i in a.indices {
      worst = max(worst, abs(a[i] - b[i]) / max(abs(b[i]), 1e-2 * scale, .leastNormalMagnitude))
    }
    return worst
  }
}

/// Central finite differences of a network's loss and gradient, in Double.
public struct FiniteDifferences {
  public let network: Network
  public let features: [Double]
  public let labels: [Int32]
  let workspace: Workspace<Double>

  public init(network: Network, features: [Double], labels: [Int32]) {
    self.network = network
    self.features = features
    self.labels = labels
    workspace = network.makeWorkspace(capacity: max(1, labels.count), of: Double.self)
  }

  public func loss(_ w: [Double]) -> Double {
    network.evaluate(w, features: features, labels: labels, workspace: workspace).loss
  }

  public func gradient(_ w: [Double]) -> [Double] {
    var g = [Double](repeating: 0, count: w.count)
    _ = network.lossAndGradient(w, features: features, labels: labels, gradient: &g, workspace: workspace)
    return g
  }

  /// (J(w + h e_i) − J(w − h e_i)) / 2h with h = 10⁻⁶ max(1, |w_i|).
  public func partial(_ w: [Double], _ i: Int) -> Double {
    let h = 1e-6 * max(1, abs(w[i]))
    var p = w
    var m = w
    p[i] += h
    m[i] -= h
    return (loss(p) - loss(m)) / (2 * h)
  }

  /// (∇J(w + h v) − ∇J(w − h v)) / 2h with h = 10⁻⁵ / ‖v‖.
  public func hessianVectorProduct(_ w: [Double], _ v: [Double]) -> [Double] {
    let h = 1e-5 / VectorMath.norm(v)
    var p = w
    var m = w
    for i in w.indices {
      p[i] += h * v[i]
      m[i] -= h * v[i]
    }
    let gp = gradient(p)
    let gm = gradient(m)
    return gp.indices.map { (gp[$0] - gm[$0]) / (2 * h) }
  }
}
