import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport

/// A tanh MLP (5 → 6 → 3, 57 parameters) trained near a minimum of 48 samples, with its
/// dense Hessian computed in Double column by column from exact HVPs: the ground truth for the
/// spectrum, trace and density estimators.
struct DenseFixture: Sendable {
  static let shared = DenseFixture()

  let network: Network
  let features: [Double]
  let labels: [Int32]
  /// The point, in Double and in Float.
  let w: [Double]
  let w32: [Float]
  /// Eigenvalues of the dense Hessian at w, ascending.
  let eigenvalues: [Double]
  let trace: Double

  private init() {
    network = try! Network.named("tanh-mlp:6", input: .flat(5), classes: 3)
    let n = 48
    let x = normalVector(n * 5, seed: 21)
    features = x
    // Labels from a linear teacher with a little label noise, so the minimum is not at infinity.
    let teacher = normalVector(15, seed: 22)
    labels = (0..<n).map { s in
      let scores = (0..<3).map { c in (0..<5).reduce(0.0) { $0 + teacher[c * 5 + $1] * x[s * 5 + $1] } }
      let best = Int32(scores.indices.max { scores[$0] < scores[$1] }!)
      return s % 7 == 0 ? (best + 1) % 3 : best
    }
    // Full-batch gradient descent in Double, then rounded to Float so both precisions share the point.
    let ws = network.makeWorkspace(capacity: n, of: Double.self)
    var point = network.initialParameters(seed: 3, scheme: .xavier).map(Double.init)
    var g = [Double](repeating: 0, count: point.count)
    for _ in 0..<400 {
      _ = network.lossAndGradient(point, features: features, labels: labels, gradient: &g, workspace: ws)
      VectorMath.axpy(-0.5, g, &point)
    }
    w32 = point.map(Float.init)
    w = w32.map(Double.init)
    let d = network.parameterCount
    var h = [Double](repeating: 0, count: d * d)
    var column = [Double](repeating: 0, count: d)
    for j in 0..<d {
      var e = [Double](repeating: 0, count: d)
      e[j] = 1
      _ = network.hessianVectorProduct(
        w, direction: e, features: features, labels: labels, result: &column, workspace: ws)
      for i in 0..<d { h[i * d + j] = column[i] }
    }
    // Symmetrize away rounding before the eigen-decomposition.
    for i in 0..<d {
      for j in 0..<i {
        let s = 0.5 * (h[i * d + j] + h[j * d + i])
        h[i * d + j] = s
        h[j * d + i] = s
      }
    }
    eigenvalues = try! SymmetricEigen(h, n: d, vectors: false).values
    trace = (0..<d).reduce(0.0) { $0 + h[$1 * d + $1] }
  }

  /// The largest k eigenvalues, descending.
  func top(_ k: Int) -> [Double] { Array(eigenvalues.reversed().prefix(k)) }

  func floatObjective(parts: Int = 2, threads: Int = 2) -> NetworkObjective<Float> {
    try! NetworkObjective(
      network: network, features: features.map(Float.init), labels: labels, parts: parts, threads: threads)
  }

  func doubleObjective() -> NetworkObjective<Double> {
    try! NetworkObjective(network: network, features: features, labels: labels)
  }
}

/// J(w) = ½(w − w*)ᵀ H (w − w*) + c with H = Q diag(λ) Qᵀ for a seeded orthogonal Q.
func quadratic(_ eigenvalues: [Double], seed: UInt64 = 5, minimum: Double = 0.25) -> QuadraticObjective<Double> {
  let d = eigenvalues.count
  let a = normalVector(d * d, seed: seed)
  var sym = [Double](repeating: 0, count: d * d)
  for i in 0..<d { for j in 0..<d { sym[i * d + j] = a[i * d + j] + a[j * d + i] } }
  let q = try! SymmetricEigen(sym, n: d)
  var h = [Double](repeating: 0, count: d * d)
  for i in 0..<d {
    for j in 0...i {
      var s = 0.0
      for k in 0..<d { s += q.vectors[i * d + k] * eigenvalues[k] * q.vectors[j * d + k] }
      h[i * d + j] = s
      h[j * d + i] = s
    }
  }
  return try! QuadraticObjective(hessian: h, minimizer: normalVector(d, seed: seed + 1), minimum: minimum)
}

/// A spread-out spectrum with a clear gap at the top: 10, 6, then 0.1 … 3.
func gappedSpectrum(_ d: Int) -> [Double] {
  [10, 6] + (0..<(d - 2)).map { 0.1 + 2.9 * Double($0) / Double(d - 3) }
}
