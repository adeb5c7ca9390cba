import FlatlandCore
import FlatlandMeasures

/// The measures at one point (the centroid or one agent); a measure not asked for is absent.
public struct PointFlatness: Codable, Sendable, Equatable {
  /// `centroid` or `agent K`.
  public var point: String
  /// K for an agent, absent for the centroid.
  public var agent: Int?
  public var loss: Double
  /// ‖∇J(w)‖ over the same samples: the stationarity part of the optimization error.
  public var gradientNorm: Double
  /// Hessian-vector products spent on this point, all measures together.
  public var hvps: Int
  public var lambdaMax: Double?
  public var topEigenvalues: [Double]?
  public var trace: Double?
  public var traceStderr: Double?
  public var sharpnessAvg: Double?
  public var sharpnessWorst: Double?
  public var pacBayesSigma: Double?
  public var density: DensityReport?

  enum CodingKeys: String, CodingKey {
    case point, agent, trace, loss, hvps, density
    case gradientNorm = "gradient_norm"
    case lambdaMax = "lambda_max"
    case topEigenvalues = "top_eigenvalues"
    case traceStderr = "trace_stderr"
    case sharpnessAvg = "sharpness_avg"
    case sharpnessWorst = "sharpness_worst"
    case pacBayesSigma = "pac_bayes_sigma"
  }

  /// Every chosen measure of `settings` at w on `objective`.
  public init<O: Objective>(
    _ objective: O, at w: [O.Scalar], point: String, agent: Int?, settings s: FlatnessSettings
  ) throws {
    self.point = point
    self.agent = agent
    loss = try objective.checkedLoss(at: w, preparingCurvature: true)
    hvps = 0
    if s.measures.contains(.eig) {
      let spectrum = try HessianSpectrum.lanczos(objective, at: w, k: s.top, tolerance: s.tolerance, seed: s.seed)
      (lambdaMax, topEigenvalues, hvps) = (spectrum.lambdaMax, spectrum.topEigenvalues, hvps + spectrum.hvps)
    }
    if s.measures.contains(.trace) {
      let t = try HessianTrace.hutchinson(objective, at: w, tolerance: max(s.tolerance, 1e-2), seed: s.seed)
      (trace, traceStderr, hvps) = (t.trace, t.standardError, hvps + t.hvps)
    }
    if s.measures.contains(.density) {
      let d = try s.density.estimate(objective, at: w, seed: s.seed)
      (density, hvps) = (DensityReport(d), hvps + d.hvps)
    }
    if s.measures.contains(.sharpness) {
      sharpnessAvg = try Sharpness.averageDirection(objective, at: w, rho: s.rho, seed: s.seed).value
      sharpnessWorst = try Sharpness.worstCase(objective, at: w, rho: s.rho, seed: s.seed).value
    }
    if s.measures.contains(.pacbayes) {
      pacBayesSigma = try PACBayesFlatness.estimate(objective, at: w, threshold: s.pacBayesThreshold, seed: s.seed)
        .sigma
    }
    // Last: a gradient pass replaces the curvature the HVPs above share.
    gradientNorm = VectorMath.norm(try objective.checkedGradient(w).gradient)
  }

  /// The scalar measures present, under their JSON keys: what a spread over agents summarizes.
  public var scalars: [String: Double] {
    let pairs: [(CodingKeys, Double?)] = [
      (.loss, loss), (.gradientNorm, gradientNorm), (.lambdaMax, lambdaMax), (.trace, trace),
      (.sharpnessAvg, sharpnessAvg), (.sharpnessWorst, sharpnessWorst), (.pacBayesSigma, pacBayesSigma),
    ]
    return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key.rawValue, $0) } })
  }

  /// One line for the terminal.
  public var summary: String {
    func show(_ x: Double?) -> String { x.map { "\($0)" } ?? "-" }
    var line = "\(point): loss \(loss)  grad norm \(gradientNorm)  λ_max \(show(lambdaMax))"
    line += "  trace \(trace.map { "\($0) ± \(traceStderr ?? 0)" } ?? "-")"
    line += "  sharpness avg \(show(sharpnessAvg)) worst \(show(sharpnessWorst))"
    if let pacBayesSigma { line += "  PAC-Bayes σ \(pacBayesSigma)" }
    if let d = density, let lo = d.grid.first, let hi = d.grid.last {
      line += "  density on [\(lo), \(hi)] σ \(d.sigma)"
    }
    return line + "  (\(hvps) HVPs)"
  }
}

/// The Hessian's eigenvalue density at a point: `values` over `grid` integrate to one
/// (trapezoid rule); `nodes` and `weights` are the Gauss quadrature it was smoothed from.
public struct DensityReport: Codable, Sendable, Equatable {
  public var grid: [Double]
  public var values: [Double]
  public var nodes: [Double]
  public var weights: [Double]
  public var sigma: Double
  public var probes: Int
  public var steps: Int
  public var hvps: Int

  public init(_ d: SpectralDensity) {
    (grid, values, nodes, weights) = (d.grid, d.density, d.nodes, d.weights)
    (sigma, probes, steps, hvps) = (d.sigma, d.runs, d.steps, d.hvps)
  }

  /// `eigenvalue,density` rows, numbers in Swift's shortest round-trip form.
  public var csv: String {
    (["eigenvalue,density"] + zip(grid, values).map { "\($0),\($1)" }).joined(separator: "\n") + "\n"
  }
}
