import FlatlandCore

/// The Hessian's eigenvalue density φ(t) = (1/d) Σ_i δ(t − λ_i), estimated by stochastic
/// Lanczos quadrature (SLQ) and smoothed by a Gaussian kernel onto a grid.
///
/// For a unit start vector v, m Lanczos steps give a tridiagonal T_m whose eigenvalues θ_j
/// and squared first eigenvector components τ_j = (e_1ᵀ s_j)² are the nodes and weights of the
/// m-point Gauss quadrature of the measure μ_v = Σ_i (q_iᵀv)² δ_{λ_i}: Σ_j τ_j f(θ_j) equals
/// vᵀ f(H) v exactly for polynomials f of degree < 2m (Golub & Meurant 2010). For v = z/‖z‖
/// with z Rademacher, E[μ_v] = φ, so averaging over `runs` starts estimates the density
/// (Lin, Saad & Yang 2016; Ghorbani, Krishnan & Xiao 2019). Weights sum to one per run.
public struct SpectralDensity: Codable, Sendable, Equatable {
  /// Grid points t_g, uniform from min θ − 5σ to max θ + 5σ.
  public var grid: [Double]
  /// φ_σ(t_g) = Σ_j w_j N(t_g; θ_j, σ²), rescaled so that its trapezoid integral over the grid is 1.
  public var density: [Double]
  /// Quadrature nodes θ_j of all runs (Ritz values).
  public var nodes: [Double]
  /// Their weights τ_j / runs; they sum to one.
  public var weights: [Double]
  /// Gaussian broadening (standard deviation).
  public var sigma: Double
  public var runs: Int
  /// Lanczos steps per run (fewer when the Krylov space is exhausted early).
  public var steps: Int
  public var hvps: Int

  enum CodingKeys: String, CodingKey {
    case grid, density, nodes, weights, sigma, runs, steps, hvps
  }
}

extension SpectralDensity {
  /// The most grid points a density is evaluated on: each costs a kernel sum over every node
  /// and a line of the CSV, and a million already resolves any plot.
  public static let maximumGridPoints = 1_000_000

  /// Throws unless 2 ≤ `points` ≤ `maximumGridPoints`.
  public static func checkGrid(points: Int) throws {
    guard (2...maximumGridPoints).contains(points) else {
      throw FlatlandError.invalid("density grid points", points, accepted: "2 to \(maximumGridPoints) points")
    }
  }

  /// SLQ with `runs` seeded Rademacher starts of `steps` Lanczos steps each (full
  /// reorthogonalization; a run ends early if its Krylov space is invariant).
  ///
  /// - Parameters:
  ///   - sigma: kernel width; nil for 1% of the node range max θ − min θ (or of max |θ|, or 1,
  ///     when the range is zero), fine enough to separate outliers from the bulk.
  ///   - gridPoints: number of grid points (≥ 2).
  /// - Throws: `FlatlandError` for runs, steps or grid sizes below their minimum, a non-positive
  ///   sigma, or a non-finite loss or HVP.
  public static func stochasticLanczosQuadrature<O: Objective>(
    _ objective: O, at w: [O.Scalar], runs: Int = 4, steps: Int = 40, gridPoints: Int = 512, sigma: Double? = nil,
    seed: UInt64 = 0
  ) throws -> SpectralDensity {
    guard runs >= 1 else { throw FlatlandError.invalid("SLQ runs", runs, accepted: "a positive integer") }
    guard steps >= 1 else { throw FlatlandError.invalid("SLQ Lanczos steps", steps, accepted: "a positive integer") }
    try checkGrid(points: gridPoints)
    try MemoryBudget.check(
      "a density of \(steps) Lanczos steps (\(steps) Krylov vectors of \(objective.dimension) parameters)",
      [steps, objective.dimension], bytesEach: MemoryLayout<O.Scalar>.stride)
    if let sigma, !(sigma > 0 && sigma.isFinite) {
      throw FlatlandError.invalid("sigma", sigma, accepted: "a positive finite kernel width")
    }
    _ = try objective.checkedLoss(at: w, preparingCurvature: true)
    var nodes: [Double] = []
    var weights: [Double] = []
    var hvps = 0
    var longest = 0
    for run in 0..<runs {
      var rng = MeasureStream.density.stream(seed: seed, index: run)
      var process = LanczosProcess(
        objective: objective, point: w, start: Probe.rademacher(objective.dimension, &rng), restarts: nil)
      while process.steps < steps && !process.isExhausted { try process.step() }
      let ritz = try process.ritz()
      nodes += ritz.values
      weights += ritz.firstComponents.map { $0 * $0 / Double(runs) }
      hvps += process.hvps
      longest = max(longest, process.steps)
    }
    let lo = nodes.min()!
    let hi = nodes.max()!
    let width = sigma ?? 0.01 * (hi > lo ? hi - lo : max(abs(hi), abs(lo), 1))
    let grid = (0..<gridPoints).map { (lo - 5 * width) + Double($0) * (hi - lo + 10 * width) / Double(gridPoints - 1) }
    var density = grid.map { t in
      zip(nodes, weights).reduce(0.0) { acc, node in
        let u = (t - node.0) / width
        return acc + node.1 * Double.exp(-0.5 * u * u) / (width * (2 * Double.pi).squareRoot())
      }
    }
    let mass = trapezoid(grid, density)
    if mass > 0 { density = density.map { $0 / mass } }
    return SpectralDensity(
      grid: grid, density: density, nodes: nodes, weights: weights, sigma: width, runs: runs, steps: longest, hvps: hvps
    )
  }

  /// ∫ φ over [a, b] by the trapezoid rule on the grid points inside it.
  public func mass(in range: ClosedRange<Double>) -> Double {
    let inside = grid.indices.filter { range.contains(grid[$0]) }
    guard inside.count >= 2 else { return 0 }
    return SpectralDensity.trapezoid(inside.map { grid[$0] }, inside.map { density[$0] })
  }

  static func trapezoid(_ x: [Double], _ y: [Double]) -> Double {
    var total = 0.0
    for i in 1..<x.count { total += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]) }
    return total
  }
}
