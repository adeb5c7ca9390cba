import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Testing

/// Sharpness and PAC-Bayes flatness against their closed forms at the minimum of a quadratic,
/// J(w* + δ) − J(w*) = ½ δᵀHδ, and against second-order expansions on the network.
@Suite struct SharpnessTests {
  let spectrum = gappedSpectrum(20)
  var objective: QuadraticObjective<Double> { quadratic(spectrum) }
  var trace: Double { spectrum.reduce(0, +) }
  let rho = 0.1

  @Test func averageDirectionIsHalfRhoSquaredTraceOverD() throws {
    let estimate = try Sharpness.averageDirection(objective, at: objective.minimizer, rho: rho, samples: 400, seed: 1)
    let closed = 0.5 * rho * rho * trace / 20
    #expect(
      abs(estimate.value - closed) <= 4 * estimate.standardError,
      "\(estimate.value) ± \(estimate.standardError) vs \(closed)")
    #expect(relativeError(estimate.value, closed) < 0.05)
    #expect(estimate.baseLoss == 0.25 && estimate.evaluations == 801 && !estimate.filterNormalized)
  }

  @Test func filterScaledAverageDirectionFollowsItsClosedForm() throws {
    // Filters of 5, 7 and 6 coordinates; coordinates 12 and 13 belong to none and stay put.
    let filters = try FilterPartition(filters: [0..<5, 5..<12, 14..<20], dimension: 20)
    let q = objective
    let w = q.minimizer
    var closed = 0.0
    for f in filters.filters {
      let norm2 = f.reduce(0.0) { $0 + w[$1] * w[$1] }
      closed += norm2 / Double(f.count) * f.reduce(0.0) { $0 + q.hessian[$1 * 20 + $1] }
    }
    closed *= 0.5 * rho * rho
    let estimate = try Sharpness.averageDirection(q, at: w, rho: rho, samples: 600, filters: filters, seed: 2)
    #expect(
      abs(estimate.value - closed) <= 4 * estimate.standardError,
      "\(estimate.value) ± \(estimate.standardError) vs \(closed)")
    #expect(relativeError(estimate.value, closed) < 0.06)
    #expect(estimate.filterNormalized)
  }

  @Test func worstCaseIsHalfRhoSquaredLambdaMax() throws {
    let estimate = try Sharpness.worstCase(
      objective, at: objective.minimizer, rho: rho, steps: 40, tolerance: 1e-9, seed: 3)
    let closed = 0.5 * rho * rho * 10
    #expect(relativeError(estimate.value, closed) < 1e-3, "\(estimate.value) vs \(closed)")
    #expect(estimate.value <= closed * (1 + 1e-12))  // a maximum found is a lower bound
    #expect(estimate.kind == .worstCase)
  }

  @Test func adaptiveWorstCaseIsHalfRhoSquaredLambdaMaxOfTHT() throws {
    let q = objective
    let eta = 0.01
    let t = q.minimizer.map { abs($0) + eta }
    let tht = (0..<400).map { t[$0 / 20] * q.hessian[$0] * t[$0 % 20] }
    let closed = 0.5 * rho * rho * (try SymmetricEigen(tht, n: 20, vectors: false).values.last!)
    let estimate = try Sharpness.worstCase(
      q, at: q.minimizer, rho: rho, ball: .adaptive(eta: eta), steps: 60, tolerance: 1e-9, seed: 3)
    #expect(relativeError(estimate.value, closed) < 1e-3, "\(estimate.value) vs \(closed)")
    #expect(estimate.kind == .adaptiveWorstCase)
  }

  @Test func pacBayesSigmaSolvesHalfSigmaSquaredTraceEqualsThreshold() throws {
    let threshold = 0.05
    let estimate = try PACBayesFlatness.estimate(
      objective, at: objective.minimizer, threshold: threshold, samples: 300, tolerance: 1e-4, seed: 4)
    let closed = (2 * threshold / trace).squareRoot()
    #expect(relativeError(estimate.sigma, closed) < 0.06, "σ \(estimate.sigma) vs \(closed)")
    #expect(estimate.lossIncrease <= threshold && estimate.lossIncrease > threshold * (1 - 1e-3))
  }

  @Test func networkSharpnessFollowsTheSecondOrderExpansion() throws {
    let fixture = DenseFixture.shared
    let network = fixture.doubleObjective()
    let small = 1e-2
    let average = try Sharpness.averageDirection(network, at: fixture.w, rho: small, samples: 300, seed: 5)
    let expected = 0.5 * small * small * fixture.trace / Double(fixture.w.count)
    #expect(
      abs(average.value - expected) <= 4 * average.standardError + 1e-3 * expected,
      "\(average.value) ± \(average.standardError) vs \(expected)")
    // max over the sphere of gᵀδ + ½δᵀHδ lies between ½ρ²λ_max and ρ‖g‖ + ½ρ²λ_max.
    let worst = try Sharpness.worstCase(network, at: fixture.w, rho: small, steps: 60, tolerance: 1e-10, seed: 5)
    let gradientNorm = try OptimizationError.stationarity(network, at: fixture.w).gradientNorm
    let curvature = 0.5 * small * small * fixture.top(1)[0]
    #expect(worst.value >= curvature * (1 - 1e-3), "worst \(worst.value) vs ½ρ²λ_max \(curvature)")
    #expect(
      worst.value <= (small * gradientNorm + curvature) * (1 + 1e-2),
      "worst \(worst.value), ρ‖g‖ = \(small * gradientNorm)")
    #expect(worst.value > average.value)
  }

  @Test func sameSeedGivesSameNumbers() throws {
    let fixture = DenseFixture.shared
    let network = fixture.floatObjective()
    let filters = FilterPartition(layout: fixture.network.layout)
    func run(_ seed: UInt64) throws -> [Double] {
      [
        try Sharpness.averageDirection(network, at: fixture.w32, rho: 0.05, samples: 8, filters: filters, seed: seed)
          .value,
        try Sharpness.worstCase(network, at: fixture.w32, rho: 0.05, steps: 5, restarts: 2, seed: seed).value,
        try PACBayesFlatness.estimate(
          network, at: fixture.w32, threshold: 0.05, samples: 4, tolerance: 1e-2, seed: seed
        ).sigma,
      ]
    }
    #expect(try run(6) == run(6))
    #expect(try run(6)[0] != run(7)[0])
  }

  @Test func badArgumentsThrow() {
    let q = objective
    let w = q.minimizer
    for bad in [0.0, -0.1, .nan, .infinity] {
      #expect(throws: FlatlandError.self) { try Sharpness.averageDirection(q, at: w, rho: bad) }
      #expect(throws: FlatlandError.self) { try Sharpness.worstCase(q, at: w, rho: bad) }
      #expect(throws: FlatlandError.self) { try PACBayesFlatness.estimate(q, at: w, threshold: bad) }
    }
    #expect(throws: FlatlandError.self) { try Sharpness.averageDirection(q, at: w, rho: 0.1, samples: 0) }
    #expect(throws: FlatlandError.self) { try Sharpness.worstCase(q, at: w, rho: 0.1, ball: .adaptive(eta: -1)) }
    #expect(throws: FlatlandError.self) { try Sharpness.worstCase(q, at: w, rho: 0.1, steps: 0) }
    #expect(throws: FlatlandError.self) { try Sharpness.averageDirection(q, at: w, rho: 0.1, filters: .whole(3)) }
    #expect(throws: FlatlandError.self) {
      try Sharpness.averageDirection(q, at: [Double](repeating: 1e200, count: 20), rho: 0.1)
    }
    #expect(throws: FlatlandError.self) { try FilterPartition(filters: [0..<5, 4..<8], dimension: 20) }
    #expect(throws: FlatlandError.self) { try FilterPartition(filters: [15..<25], dimension: 20) }
  }
}
