import ArgumentParser
import FlatlandAnalysis

/// The stochastic Lanczos quadrature flags of `flatland flatness --measures density`.
struct DensityOptions: ParsableArguments {
  @Option(name: .customLong("density-probes"), help: "SLQ random start vectors averaged.")
  var probes = 4

  @Option(name: .customLong("density-steps"), help: "Lanczos steps per start vector (Gauss nodes per probe).")
  var steps = 40

  @Option(name: .customLong("density-sigma"), help: "Gaussian broadening σ (default: 1% of the range of the nodes).")
  var sigma: Double?

  @Option(name: .customLong("density-points"), help: "Points of the density grid.")
  var points = 512

  var settings: DensitySettings {
    var s = DensitySettings()
    (s.probes, s.steps, s.sigma, s.points) = (probes, steps, sigma, points)
    return s
  }

  func validate() throws { try settings.validate() }
}
