import ArgumentParser
import FlatlandMeasures

/// The stochastic Lanczos quadrature settings of `flatland flatness --measures density`.
struct DensityOptions: ParsableArguments {
  @Option(name: .customLong("density-probes"), help: "SLQ random start vectors averaged.")
  var probes = 4

  @Option(name: .customLong("density-steps"), help: "Lanczos steps per start vector (Gauss nodes per probe).")
  var steps = 40

  @Option(name: .customLong("density-sigma"), help: "Gaussian broadening σ (default: 1% of the range of the nodes).")
  var sigma: Double?

  @Option(name: .customLong("density-points"), help: "Points of the density grid.")
  var points = 512

  func validate() throws {
    guard probes >= 1 else {
      throw ValidationError("invalid --density-probes '\(probes)': expected a positive integer")
    }
    guard steps >= 1 else { throw ValidationError("invalid --density-steps '\(steps)': expected a positive integer") }
    guard points >= 2 else { throw ValidationError("invalid --density-points '\(points)': expected at least 2") }
    try SpectralDensity.checkGrid(points: points)
    if let sigma, !(sigma > 0 && sigma.isFinite) {
      throw ValidationError("invalid --density-sigma '\(sigma)': expected a positive finite width")
    }
  }

  /// The density of `objective`'s Hessian at `w`.
  func estimate<O: Objective>(_ objective: O, at w: [O.Scalar], seed: UInt64) throws -> SpectralDensity {
    try SpectralDensity.stochasticLanczosQuadrature(
      objective, at: w, runs: probes, steps: steps, gridPoints: points, sigma: sigma, seed: seed)
  }
}
