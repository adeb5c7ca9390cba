import FlatlandCore
import FlatlandMeasures

/// What `flatness` measures at each point and how: the measures, the number of top
/// eigenvalues, the sharpness radius, the tolerance, the seed and the density settings.
public struct FlatnessSettings: Sendable, Equatable {
  public enum Measure: String, CaseIterable, Sendable {
    /// The top eigenvalues of H by Lanczos.
    case eig
    /// Tr H by Hutchinson.
    case trace
    /// The eigenvalue density of H by stochastic Lanczos quadrature.
    case density
    /// Average-direction and worst-case sharpness at radius ρ.
    case sharpness
    /// The PAC-Bayes σ*: the largest isotropic noise that raises the loss by at most a threshold.
    case pacbayes
  }

  public var measures: Set<Measure> = [.eig, .trace, .sharpness]
  public var top = 1
  /// ρ, the sharpness radius.
  public var rho = 0.05
  /// Relative tolerance of eigenvalues (and of the trace, at least 1e-2).
  public var tolerance = 1e-3
  /// One seed for probes and perturbations at every point: common random numbers, so
  /// differences between points are not probe noise.
  public var seed: UInt64 = 0
  public var density = DensitySettings()
  /// The loss increase that defines the PAC-Bayes σ*.
  public var pacBayesThreshold = 0.1

  public init() {}

  /// Parses a comma-separated list of measure names.
  public static func parseMeasures(_ text: String) throws -> Set<Measure> {
    let names = text.split(separator: ",", omittingEmptySubsequences: false)
    let parsed = names.compactMap { Measure(rawValue: String($0)) }
    guard !names.isEmpty, parsed.count == names.count else {
      throw FlatlandError.invalid(
        "--measures", text,
        accepted: "a comma-separated list of \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return Set(parsed)
  }

  /// Rejects every setting no measurement could use, naming it.
  public func validate() throws {
    guard top > 0 else { throw FlatlandError.invalid("--top", top, accepted: "a positive integer") }
    guard rho > 0, rho.isFinite else {
      throw FlatlandError.invalid("--rho", rho, accepted: "a positive finite radius such as 0.05")
    }
    guard tolerance > 0, tolerance < 1 else {
      throw FlatlandError.invalid("--tolerance", tolerance, accepted: "a relative tolerance in (0, 1) such as 1e-3")
    }
    guard pacBayesThreshold > 0, pacBayesThreshold.isFinite else {
      throw FlatlandError.invalid("--pac-bayes-threshold", pacBayesThreshold, accepted: "a positive loss increase")
    }
    try density.validate()
  }
}

/// The stochastic Lanczos quadrature settings of the spectral density.
public struct DensitySettings: Sendable, Equatable {
  /// Random start vectors averaged.
  public var probes = 4
  /// Lanczos steps per start vector (Gauss nodes per probe).
  public var steps = 40
  /// Gaussian broadening σ; nil takes 1% of the range of the nodes.
  public var sigma: Double?
  /// Points of the density grid.
  public var points = 512

  public init() {}

  public func validate() throws {
    guard probes >= 1 else { throw FlatlandError.invalid("--density-probes", probes, accepted: "a positive integer") }
    guard steps >= 1 else { throw FlatlandError.invalid("--density-steps", steps, accepted: "a positive integer") }
    guard (2...SpectralDensity.maximumGridPoints).contains(points) else {
      throw FlatlandError.invalid(
        "--density-points", points, accepted: "2 to \(SpectralDensity.maximumGridPoints) grid points")
    }
    if let sigma, !(sigma > 0 && sigma.isFinite) {
      throw FlatlandError.invalid("--density-sigma", sigma, accepted: "a positive finite width")
    }
  }

  /// The density of `objective`'s Hessian at `w`.
  public func estimate<O: Objective>(_ objective: O, at w: [O.Scalar], seed: UInt64) throws -> SpectralDensity {
    try SpectralDensity.stochasticLanczosQuadrature(
      objective, at: w, runs: probes, steps: steps, gridPoints: points, sigma: sigma, seed: seed)
  }
}
