import FlatlandCore

/// Claim (3) in numbers: test accuracy over a sweep's runs fitted by least squares against
/// flatness alone, optimization error alone, and both. Predictors are standardized (z-scores)
/// so coefficients compare; the partial correlations say what each explains once the other
/// is held fixed.
public struct TradeOffFit: Codable, Sendable, Equatable {
  /// One ordinary least-squares fit y ≈ c₀ + Σ_j c_j z_j.
  public struct Model: Codable, Sendable, Equatable {
    /// c₀ then one coefficient per predictor, in the order of `predictors`.
    public var coefficients: [Double]
    public var predictors: [String]
    /// 1 − SS_res / SS_tot.
    public var rSquared: Double

    enum CodingKeys: String, CodingKey {
      case coefficients, predictors
      case rSquared = "r_squared"
    }
  }

  public var response: String
  public var flatness: String
  public var optimizationError: String
  public var runs: Int
  public var flatnessOnly: Model
  public var optimizationOnly: Model
  public var both: Model
  /// corr(y, flatness | optimization error) and corr(y, optimization error | flatness).
  public var partialFlatness: Double
  public var partialOptimization: Double

  enum CodingKeys: String, CodingKey {
    case response, flatness, runs, both
    case optimizationError = "optimization_error"
    case flatnessOnly = "flatness_only"
    case optimizationOnly = "optimization_only"
    case partialFlatness = "partial_flatness"
    case partialOptimization = "partial_optimization"
  }

  /// Fits `y` on `flat` and `opt` (one value per run, named for the report).
  /// - Throws: `FlatlandError` for fewer than 4 runs, lengths that differ, non-finite values,
  ///   or a predictor without variation.
  public init(y: [Double], flat: [Double], opt: [Double], names: (String, String, String)) throws {
    guard y.count >= 4, flat.count == y.count, opt.count == y.count else {
      throw FlatlandError.invalid("runs for the trade-off fit", y.count, accepted: "at least 4 runs with every value")
    }
    guard (y + flat + opt).allSatisfy(\.isFinite) else {
      throw FlatlandError(.numeric, "the trade-off fit needs finite accuracies, flatness and optimization errors")
    }
    let zf = try Self.standardized(flat, names.1)
    let zo = try Self.standardized(opt, names.2)
    (response, flatness, optimizationError, runs) = (names.0, names.1, names.2, y.count)
    flatnessOnly = try Self.fit(y, [zf], [names.1])
    optimizationOnly = try Self.fit(y, [zo], [names.2])
    both = try Self.fit(y, [zf, zo], [names.1, names.2])
    partialFlatness = Self.correlation(try Self.residuals(y, zo), try Self.residuals(zf, zo))
    partialOptimization = Self.correlation(try Self.residuals(y, zf), try Self.residuals(zo, zf))
  }

  static func standardized(_ x: [Double], _ name: String) throws -> [Double] {
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
    guard sd > 0 else { throw FlatlandError(.numeric, "\(name) is the same in every run: nothing to fit against") }
    return x.map { ($0 - mean) / sd }
  }

  /// Least squares with an intercept by the normal equations, solved by Gaussian elimination
  /// with partial pivoting (at most three unknowns here).
  static func fit(_ y: [Double], _ columns: [[Double]], _ names: [String]) throws -> Model {
    let p = columns.count + 1
    let rows = y.indices.map { i in [1.0] + columns.map { $0[i] } }
    var a = [[Double]](repeating: [Double](repeating: 0, count: p + 1), count: p)
    for (r, yi) in zip(rows, y) {
      for i in 0..<p {
        for j in 0..<p { a[i][j] += r[i] * r[j] }
        a[i][p] += r[i] * yi
      }
    }
    for c in 0..<p {
      let pivot = (c..<p).max { abs(a[$0][c]) < abs(a[$1][c]) }!
      guard abs(a[pivot][c]) > 1e-12 else {
        throw FlatlandError(.numeric, "the predictors \(names.joined(separator: ", ")) are collinear over the runs")
      }
      a.swapAt(c, pivot)
      for r in 0..<p where r != c {
        let f = a[r][c] / a[c][c]
        for j in c...p { a[r][j] -= f * a[c][j] }
      }
    }
    let coefficients = (0..<p).map { a[$0][p] / a[$0][$0] }
    let mean = y.reduce(0, +) / Double(y.count)
    var residual = 0.0
    var total = 0.0
    for (r, yi) in zip(rows, y) {
      let fitted = zip(r, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
      residual += (yi - fitted) * (yi - fitted)
      total += (yi - mean) * (yi - mean)
    }
    return Model(coefficients: coefficients, predictors: names, rSquared: total > 0 ? 1 - residual / total : 0)
  }

  /// y minus its least-squares fit on x (with intercept).
  static func residuals(_ y: [Double], _ x: [Double]) throws -> [Double] {
    let c = try fit(y, [x], ["x"]).coefficients
    return zip(y, x).map { $0 - c[0] - c[1] * $1 }
  }

  static func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0, +) / n
    let mb = b.reduce(0, +) / n
    var sab = 0.0
    var saa = 0.0
    var sbb = 0.0
    for (x, y) in zip(a, b) {
      sab += (x - ma) * (y - mb)
      saa += (x - ma) * (x - ma)
      sbb += (y - mb) * (y - mb)
    }
    return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
  }
}
