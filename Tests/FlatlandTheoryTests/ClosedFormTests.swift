import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

@testable import FlatlandTheory

/// The exact Lyapunov solver against the closed forms for symmetric and circulant A.
@Suite struct ClosedFormTests {
  let hessian = [1.0, 2, 3, 4]
  let noise = [1.0, 0.5, 2, 1.5]

  func theory(_ a: [Double], agents k: Int, mu: Double, batch: Int = 2) throws -> ExcessRiskTheory {
    let model = try QuadraticModel(agents: k, hessian: hessian, noise: noise, batch: batch)
    return try ExcessRiskTheory(model: model, topology: try Networks.topology(a, agents: k), stepSize: mu)
  }

  @Test(arguments: TheoryStrategy.allCases)
  func exactSolverMatchesClosedFormOnRing(_ strategy: TheoryStrategy) throws {
    let k = 8
    let mu = 0.05
    let exact = try theory(Networks.ring(k), agents: k, mu: mu).steadyState(strategy).average
    let closed = try ClosedForms.steadyState(
      strategy, eigenvalues: Networks.ringEigenvalues(k), hessian: hessian, noise: noise, stepSize: mu, batch: 2)
    #expect(relativeError(exact, closed) < 1e-9, "exact \(exact) vs closed form \(closed)")
  }

  @Test func centralizedClosedFormByHand() throws {
    // Σ_i μ r_i / (2KB(2 − μh_i)) with K = 8, B = 2, μ = 0.05.
    let byHand = [(1.0, 1.0), (2, 0.5), (3, 2), (4, 1.5)].reduce(0.0) { $0 + 0.05 * $1.1 / (32 * (2 - 0.05 * $1.0)) }
    let closed = try ClosedForms.steadyState(
      .centralized, eigenvalues: Networks.ringEigenvalues(8), hessian: hessian, noise: noise, stepSize: 0.05, batch: 2)
    #expect(relativeError(closed, byHand) < 1e-15)
  }

  /// λ_1 = 1 alone: A = (1/K)𝟙𝟙ᵀ has λ_m = 0 for m ≥ 2, where the diffusion terms vanish, so
  /// diffusion equals centralized, in the closed form and in the exact solver; a single agent
  /// (only the m = 1 term) makes every strategy centralized.
  @Test func unitModeIsTheCentralizedValue() throws {
    let k = 6
    let mu = 0.1
    let uniform = [Double](repeating: 1.0 / Double(k), count: k * k)
    let exact = try theory(uniform, agents: k, mu: mu)
    let centralized = try exact.steadyState(.centralized).average
    #expect(relativeError(try exact.steadyState(.diffusion).average, centralized) < 1e-12)
    let eigen = [1.0] + Array(repeating: 0, count: k - 1)
    let diffusion = try ClosedForms.steadyState(
      .diffusion, eigenvalues: eigen, hessian: hessian, noise: noise, stepSize: mu, batch: 2)
    #expect(relativeError(diffusion, centralized) < 1e-12)
    let single = try theory([1], agents: 1, mu: mu)
    let alone = try single.steadyState(.centralized).average
    for strategy in TheoryStrategy.allCases {
      #expect(relativeError(try single.steadyState(strategy).average, alone) < 1e-12)
      let closed = try ClosedForms.steadyState(
        strategy, eigenvalues: [1], hessian: hessian, noise: noise, stepSize: mu, batch: 2)
      #expect(relativeError(closed, alone) < 1e-12)
    }
  }

  /// The directed exponential graph is circulant, hence normal but not symmetric: its modes
  /// still decouple with white noise (unitary eigenvectors), so the closed forms hold with
  /// |λ − μh|², |λ|² and |λ|²|1 − μh|² in place of the squares.
  @Test(arguments: [TheoryStrategy.consensus, .diffusion, .diffusionCTA])
  func exponentialGraphMatchesComplexClosedForm(_ strategy: TheoryStrategy) throws {
    let k = 8
    let mu = 0.04
    let batch = 2.0
    let a = Networks.exponential(k)
    let eigen = try generalEigenvalues(a, n: k)
    #expect(eigen.contains { abs($0.im) > 0.1 }, "the test needs complex eigenvalues")
    var closed = 0.0
    for (h, r) in zip(hessian, noise) {
      for lambda in eigen {
        let modulus2 = lambda.re * lambda.re + lambda.im * lambda.im
        let pole = 1 - modulus2 * (1 - mu * h) * (1 - mu * h)
        switch strategy {
        case .consensus:
          closed +=
            h * mu * mu * r / (batch * (1 - ((lambda.re - mu * h) * (lambda.re - mu * h) + lambda.im * lambda.im)))
        case .diffusion: closed += h * mu * mu * modulus2 * r / (batch * pole)
        default: closed += h * mu * mu * r / (batch * pole)
        }
      }
    }
    closed /= 2 * Double(k)
    let exact = try theory(a, agents: k, mu: mu).steadyState(strategy).average
    #expect(relativeError(exact, closed) < 1e-9, "exact \(exact) vs closed form \(closed)")
  }

  /// A rotated dense model (H = Q diag(h) Qᵀ, R = Q diag(r) Qᵀ for all agents) has the same
  /// excess risk as the diagonal one; KM = 32 exercises the dense path and the doubling solver.
  @Test(arguments: TheoryStrategy.allCases)
  func denseFallbackMatchesDiagonal(_ strategy: TheoryStrategy) throws {
    let k = 8
    let m = 4
    let mu = 0.05
    let random = normalVector(m * m, seed: 11)
    let symmetric = (0..<(m * m)).map { random[$0] + random[($0 % m) * m + $0 / m] }
    let q = try SymmetricEigen(symmetric, n: m).vectors
    func rotated(_ d: [Double]) -> [Double] {
      (0..<(m * m)).map { i in (0..<m).reduce(0) { $0 + q[(i / m) * m + $1] * d[$1] * q[(i % m) * m + $1] } }
    }
    let dense = try QuadraticModel(
      denseHessians: Array(repeating: rotated(hessian), count: k),
      denseNoises: Array(repeating: rotated(noise), count: k),
      dimension: m, batch: 2)
    // The bias-corrected rules need a symmetric doubly stochastic A.
    let a = strategy.hasAuxiliaryState ? Networks.ring(k) : Networks.skewed(k, seed: 3)
    let topology = try Networks.topology(a, agents: k)
    let rotatedRisk = try ExcessRiskTheory(model: dense, topology: topology, stepSize: mu).steadyState(strategy)
    let diagonalRisk = try ExcessRiskTheory(
      model: try QuadraticModel(agents: k, hessian: hessian, noise: noise, batch: 2), topology: topology, stepSize: mu
    ).steadyState(strategy)
    #expect(maxRelativeError(rotatedRisk.perAgent, diagonalRisk.perAgent) < 1e-9)
    #expect(relativeError(rotatedRisk.centroid, diagonalRisk.centroid) < 1e-9)
  }
}
