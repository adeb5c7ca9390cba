import RealModule

extension RandomStream {
  /// A standard normal by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005
  /// formulation with 128 layers): one 64-bit draw and one comparison for about 99% of samples,
  /// where Box–Muller takes a logarithm, a cosine and a sine per pair. For bulk noise (perturbed
  /// SGD draws K × P normals every iteration); exact in distribution, deterministic in the stream.
  ///
  /// Layer i (0 ≤ i < 128) is the box [0, x_i] × [f(x_i), f(x_{i+1})] under f(x) = exp(−x²/2),
  /// each of area V; layer 0 is the base strip with the tail beyond R = x_1. A draw takes layer i
  /// from 7 bits and u uniform in (−1, 1) from 53 others; u·x_i is accepted at once when
  /// |u| < x_{i+1}/x_i (inside the box below the curve), else by testing the wedge against f,
  /// or from the tail by Marsaglia's exponential method.
  @inlinable public mutating func zigguratNormal() -> Double { zigguratNormal(Ziggurat.shared) }

  /// x_j += σ ξ_j for every coordinate, ξ_j the stream's ziggurat normals in order: the same
  /// values as `zigguratNormal()` drawn one by one, with the table looked up once.
  @inlinable public mutating func addNormals(to x: UnsafeMutableBufferPointer<Float>, scale sigma: Float) {
    let table = Ziggurat.shared
    for j in x.indices { x[j] += sigma * Float(zigguratNormal(table)) }
  }

  @inlinable mutating func zigguratNormal(_ table: Ziggurat) -> Double {
    while true {
      let bits = next()
      let i = Int(bits & 127)
      let u = Double(bits >> 11) * (2.0 / 9_007_199_254_740_992.0) - 1
      if abs(u) < table.ratio[i] { return u * table.x[i] }
      if i == 0 { return tail(negative: u < 0) }
      let x = u * table.x[i]
      let f0 = Double.exp(-0.5 * (table.x[i] * table.x[i] - x * x))
      let f1 = Double.exp(-0.5 * (table.x[i + 1] * table.x[i + 1] - x * x))
      if f1 + uniform() * (f0 - f1) < 1 { return x }
    }
  }

  /// A draw from the normal's tail beyond R, with the given sign.
  @usableFromInline mutating func tail(negative: Bool) -> Double {
    let r = Ziggurat.r
    while true {
      let x = Double.log(1 - uniform()) / r
      let y = Double.log(1 - uniform())
      if -2 * y >= x * x { return negative ? x - r : r - x }
    }
  }
}

/// The 128-layer ziggurat of the standard normal: layer edges x_0 > x_1 = R > … > x_128 = 0 and
/// the ratios x_{i+1}/x_i, computed once in Double from R and the common layer area V.
@usableFromInline struct Ziggurat: Sendable {
  @usableFromInline static let r = 3.442619855899
  /// V, the area of every layer (the base strip with its tail included).
  static let v = 9.91256303526217e-3
  @usableFromInline let x: [Double]
  @usableFromInline let ratio: [Double]

  @usableFromInline static let shared = Ziggurat()

  init() {
    func f(_ x: Double) -> Double { Double.exp(-0.5 * x * x) }
    var x = [Double](repeating: 0, count: 129)
    x[0] = Self.v / f(Self.r)
    x[1] = Self.r
    for i in 2..<128 { x[i] = (-2 * Double.log(Self.v / x[i - 1] + f(x[i - 1]))).squareRoot() }
    x[128] = 0
    self.x = x
    ratio = (0..<128).map { x[$0 + 1] / x[$0] }
  }
}
