import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Testing

/// Hutchinson, Hutch++ and stochastic Lanczos quadrature against the dense Hessian.
@Suite struct TraceAndDensityTests {
  let fixture = DenseFixture.shared

  @Test func hutchinsonIsWithinThreeStandardErrorsOfTheTrueTrace() throws {
    let estimate = try HessianTrace.hutchinson(
      fixture.floatObjective(), at: fixture.w32, tolerance: 0.02, maxProbes: 400, seed: 1)
    #expect(estimate.converged)
    #expect(estimate.standardError <= 0.02 * abs(estimate.trace))
    #expect(estimate.probes == estimate.hvps && estimate.probes >= 10)
    #expect(
      abs(estimate.trace - fixture.trace) <= 3 * estimate.standardError,
      "trace \(estimate.trace) ± \(estimate.standardError) vs dense \(fixture.trace)")
  }

  @Test func hutchinsonStopsAtMaxProbesWhenTheToleranceIsOutOfReach() throws {
    let estimate = try HessianTrace.hutchinson(
      fixture.floatObjective(), at: fixture.w32, tolerance: 1e-9, minProbes: 5, maxProbes: 12)
    #expect(estimate.probes == 12 && !estimate.converged)
  }

  @Test func hutchPlusPlusIsExactWhenItsSketchSpansTheSpaceAndCloseOtherwise() throws {
    let objective = quadratic(gappedSpectrum(20))
    let trace = gappedSpectrum(20).reduce(0, +)
    let exact = try HessianTrace.hutchPlusPlus(objective, at: objective.minimizer, budget: 60)
    #expect(relativeError(exact.trace, trace) < 1e-12, "Hutch++ \(exact.trace) vs \(trace)")
    #expect(exact.standardError == 0)
    let network = try HessianTrace.hutchPlusPlus(fixture.doubleObjective(), at: fixture.w, budget: 60, seed: 2)
    #expect(network.hvps <= 60)
    #expect(
      abs(network.trace - fixture.trace) <= 3 * network.standardError,
      "Hutch++ \(network.trace) ± \(network.standardError) vs dense \(fixture.trace)")
  }

  @Test func hutchPlusPlusHasLessErrorThanHutchinsonOnADecayingSpectrum() throws {
    // Eigenvalues 2^(−i/2): the top few carry the trace and Hutchinson's variance.
    let values = (0..<60).map { Double.pow(2, -Double($0) / 2) }
    let objective = quadratic(values)
    let plus = try HessianTrace.hutchPlusPlus(objective, at: objective.minimizer, budget: 30, seed: 3)
    let plain = try HessianTrace.hutchinson(
      objective, at: objective.minimizer, tolerance: 1e-9, minProbes: 30, maxProbes: 30, seed: 3)
    #expect(
      plus.standardError < 0.5 * plain.standardError,
      "Hutch++ ± \(plus.standardError), Hutchinson ± \(plain.standardError)")
  }

  @Test func densityIntegratesToOneAndSitsOnTheTrueEigenvalues() throws {
    // With as many steps as parameters each run's quadrature nodes are eigenvalues of H.
    let density = try SpectralDensity.stochasticLanczosQuadrature(
      fixture.doubleObjective(), at: fixture.w, runs: 3, steps: 80, gridPoints: 4000, sigma: 2e-3, seed: 1)
    #expect(abs(SpectralDensity.integral(density) - 1) < 1e-9)
    #expect(abs(density.weights.reduce(0, +) - 1) < 1e-9)
    let scale = fixture.top(1)[0]
    for node in density.nodes {
      let nearest = fixture.eigenvalues.map { abs($0 - node) }.min()!
      #expect(nearest < 1e-6 * scale, "node \(node) is \(nearest) from every eigenvalue")
    }
    // All the mass lies within 7σ of some eigenvalue, and the isolated top one carries weight.
    let near = density.grid.indices.filter { g in
      fixture.eigenvalues.contains { abs($0 - density.grid[g]) < 7 * density.sigma }
    }
    let far = density.grid.indices.filter { !near.contains($0) }
    #expect(far.allSatisfy { density.density[$0] < 1e-6 })
    let top = fixture.top(1)[0]
    #expect(density.mass(in: (top - 4 * density.sigma)...(top + 4 * density.sigma)) > 1e-4)
  }

  @Test func quadratureFirstMomentIsTheRayleighQuotientOfItsStart() throws {
    // Σ τ_j θ_j = e₁ᵀ T e₁ = vᵀHv for each run, so with few steps the density's mean is still
    // an unbiased trace estimate: averaged over runs it is Tr(H)/d up to Hutchinson noise.
    let objective = quadratic(gappedSpectrum(40))
    let density = try SpectralDensity.stochasticLanczosQuadrature(
      objective, at: objective.minimizer, runs: 200, steps: 5, seed: 4)
    let mean = zip(density.nodes, density.weights).reduce(0) { $0 + $1.0 * $1.1 }
    let truth = gappedSpectrum(40).reduce(0, +) / 40
    #expect(relativeError(mean, truth) < 0.03, "density mean \(mean) vs Tr(H)/d \(truth)")
    #expect(density.steps == 5 && density.hvps == 1000)
  }

  @Test func sameSeedGivesSameNumbers() throws {
    let objective = fixture.floatObjective()
    let a = try HessianTrace.hutchinson(objective, at: fixture.w32, seed: 7)
    let b = try HessianTrace.hutchinson(objective, at: fixture.w32, seed: 7)
    let c = try SpectralDensity.stochasticLanczosQuadrature(objective, at: fixture.w32, runs: 2, steps: 10, seed: 7)
    let d = try SpectralDensity.stochasticLanczosQuadrature(objective, at: fixture.w32, runs: 2, steps: 10, seed: 7)
    #expect(a == b && c == d)
    let e = try HessianTrace.hutchinson(objective, at: fixture.w32, seed: 8)
    #expect(a.trace != e.trace)
  }

  @Test func badArgumentsThrow() {
    let objective = fixture.floatObjective()
    let w = fixture.w32
    #expect(throws: FlatlandError.self) { try HessianTrace.hutchinson(objective, at: w, minProbes: 1) }
    #expect(throws: FlatlandError.self) { try HessianTrace.hutchinson(objective, at: w, minProbes: 20, maxProbes: 10) }
    #expect(throws: FlatlandError.self) { try HessianTrace.hutchinson(objective, at: w, tolerance: -1) }
    #expect(throws: FlatlandError.self) { try HessianTrace.hutchPlusPlus(objective, at: w, budget: 3) }
    #expect(throws: FlatlandError.self) { try SpectralDensity.stochasticLanczosQuadrature(objective, at: w, runs: 0) }
    #expect(throws: FlatlandError.self) { try SpectralDensity.stochasticLanczosQuadrature(objective, at: w, sigma: 0) }
    #expect(throws: FlatlandError.self) {
      try SpectralDensity.stochasticLanczosQuadrature(objective, at: w, gridPoints: 1)
    }
    #expect(throws: FlatlandError.self) {
      try HessianTrace.hutchinson(objective, at: [Float](repeating: .greatestFiniteMagnitude, count: w.count))
    }
  }
}

extension SpectralDensity {
  /// Trapezoid integral of the density over its grid.
  static func integral(_ d: SpectralDensity) -> Double { d.mass(in: d.grid.first!...d.grid.last!) }
}
