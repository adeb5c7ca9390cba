import FlatlandMeasures

extension Flatness {
  /// The measures at one point (the centroid or one agent); a measure not asked for is absent.
  struct Report: Encodable {
    /// `centroid` or `agent K`.
    var point: String
    /// K for an agent, absent for the centroid.
    var agent: Int?
    var loss: Double
    /// Hessian-vector products spent on this point, all measures together.
    var hvps: Int
    var lambdaMax: Double?
    var topEigenvalues: [Double]?
    var trace: Double?
    var traceStderr: Double?
    var sharpnessAvg: Double?
    var sharpnessWorst: Double?
    var density: DensityReport?

    enum CodingKeys: String, CodingKey {
      case point, agent, trace, loss, hvps, density
      case lambdaMax = "lambda_max"
      case topEigenvalues = "top_eigenvalues"
      case traceStderr = "trace_stderr"
      case sharpnessAvg = "sharpness_avg"
      case sharpnessWorst = "sharpness_worst"
    }

    /// The scalar measures present, under their JSON keys: what `spread` summarizes.
    var scalars: [String: Double] {
      let pairs: [(CodingKeys, Double?)] = [
        (.loss, loss), (.lambdaMax, lambdaMax), (.trace, trace), (.sharpnessAvg, sharpnessAvg),
        (.sharpnessWorst, sharpnessWorst),
      ]
      return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key.rawValue, $0) } })
    }

    /// One line for the terminal.
    var summary: String {
      func show(_ x: Double?) -> String { x.map { "\($0)" } ?? "-" }
      var line =
        "\(point): loss \(loss)  λ_max \(show(lambdaMax))  trace \(trace.map { "\($0) ± \(traceStderr ?? 0)" } ?? "-")"
      line += "  sharpness avg \(show(sharpnessAvg)) worst \(show(sharpnessWorst))"
      if let d = density, let lo = d.grid.first, let hi = d.grid.last {
        line += "  density on [\(lo), \(hi)] σ \(d.sigma)"
      }
      return line + "  (\(hvps) HVPs)"
    }
  }

  /// The Hessian's eigenvalue density at a point: `values` over `grid` integrate to one
  /// (trapezoid rule); `nodes` and `weights` are the Gauss quadrature it was smoothed from.
  struct DensityReport: Encodable {
    var grid: [Double]
    var values: [Double]
    var nodes: [Double]
    var weights: [Double]
    var sigma: Double
    var probes: Int
    var steps: Int
    var hvps: Int

    init(_ d: SpectralDensity) {
      (grid, values, nodes, weights) = (d.grid, d.density, d.nodes, d.weights)
      (sigma, probes, steps, hvps) = (d.sigma, d.runs, d.steps, d.hvps)
    }

    /// `eigenvalue,density` rows, numbers in Swift's shortest round-trip form.
    var csv: String {
      (["eigenvalue,density"] + zip(grid, values).map { "\($0),\($1)" }).joined(separator: "\n") + "\n"
    }
  }

  /// The centroid, every measured agent, and each scalar measure's mean, standard deviation,
  /// minimum and maximum over those agents.
  struct AgentsReport: Encodable {
    /// `all` or `sample:N`.
    var selection: String
    var centroid: Report
    var agents: [Report]
    /// Keyed like the report's measures: loss, lambda_max, trace, sharpness_avg, sharpness_worst.
    var spread: [String: Spread]

    init(selection: AgentSelection, centroid: Report, agents: [Report]) throws {
      self.selection = selection.description
      self.centroid = centroid
      self.agents = agents
      let keys = Set(agents.flatMap { $0.scalars.keys })
      spread = try Dictionary(
        uniqueKeysWithValues: keys.map { key in (key, try Spread(agents.compactMap { $0.scalars[key] })) })
    }

    /// Terminal lines: one per point, then one per measure's spread.
    var summary: [String] {
      ([centroid] + agents).map(\.summary)
        + spread.keys.sorted().map { key in
          let s = spread[key]!
          return "\(key) over \(s.count) agents: mean \(s.mean) std \(s.std) min \(s.min) max \(s.max)"
        }
    }
  }
}
