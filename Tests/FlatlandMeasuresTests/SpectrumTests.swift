import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Foundation
import Testing

/// Top eigenvalues and λ_min against the dense Hessian of a 57-parameter network.
@Suite struct SpectrumTests {
  let fixture = DenseFixture.shared

  @Test func lanczosTopEigenvaluesMatchTheDenseHessian() throws {
    let spectrum = try HessianSpectrum.lanczos(
      fixture.floatObjective(), at: fixture.w32, k: 3, tolerance: 1e-4, seed: 1)
    let error = maxRelativeError(spectrum.topEigenvalues, fixture.top(3))
    #expect(spectrum.converged)
    #expect(error < 1e-3, "Lanczos \(spectrum.topEigenvalues) vs dense \(fixture.top(3)): error \(error)")
    #expect(spectrum.toleranceReached <= 1e-4)
    #expect(spectrum.lambdaMax == spectrum.topEigenvalues[0])
    #expect(spectrum.hvps < fixture.network.parameterCount, "\(spectrum.hvps) HVPs")
  }

  @Test func lanczosFindsTheMostNegativeEigenvalue() throws {
    let spectrum = try HessianSpectrum.lanczos(
      fixture.doubleObjective(), at: fixture.w, k: 1, tolerance: 1e-6, smallest: true, seed: 2)
    let lambdaMin = try #require(spectrum.lambdaMin)
    let truth = fixture.eigenvalues[0]
    #expect(abs(lambdaMin - truth) < 1e-5 * fixture.top(1)[0], "λ_min \(lambdaMin) vs dense \(truth)")
  }

  @Test func powerIterationMatchesTheDenseHessian() throws {
    let spectrum = try HessianSpectrum.powerIteration(
      fixture.floatObjective(), at: fixture.w32, k: 2, tolerance: 1e-7, maxIterations: 2000, seed: 1)
    let error = maxRelativeError(spectrum.topEigenvalues, fixture.top(2))
    #expect(error < 1e-3, "power \(spectrum.topEigenvalues) vs dense \(fixture.top(2)): error \(error)")
  }

  /// HVPs power iteration needs to bring λ_max within 1e-3 relative of `truth`: its own
  /// tolerance is tightened tenfold until the answer is actually that accurate.
  func powerIterationCost<O: Objective>(_ objective: O, _ w: [O.Scalar], truth: Double) throws -> Int {
    var tolerance = 1e-3
    while true {
      let power = try HessianSpectrum.powerIteration(
        objective, at: w, tolerance: tolerance, maxIterations: 5000, seed: 3)
      if relativeError(power.lambdaMax, truth) < 1e-3 { return power.hvps }
      tolerance /= 10
    }
  }

  @Test func lanczosNeedsFewerHVPsThanPowerIterationForTheSameAccuracy() throws {
    // The benchmark's criterion: λ_max within 1e-3 relative, certified for Lanczos by its
    // residual bound. On the network (λ₂/λ₁ ≈ 0.84, 57 parameters) …
    let objective = fixture.floatObjective()
    let lanczos = try HessianSpectrum.lanczos(objective, at: fixture.w32, tolerance: 1e-3, seed: 3)
    #expect(relativeError(lanczos.lambdaMax, fixture.top(1)[0]) < 1e-3)
    let power = try powerIterationCost(objective, fixture.w32, truth: fixture.top(1)[0])
    #expect(lanczos.hvps < power, "Lanczos \(lanczos.hvps) HVPs, power iteration \(power)")
    // … and on a network-like spectrum: three outliers 10, 9, 7 over a bulk in [0, 1].
    let quadratic = quadratic([10, 9, 7] + (0..<297).map { Double($0) / 297 })
    let lanczosQ = try HessianSpectrum.lanczos(quadratic, at: quadratic.minimizer, tolerance: 1e-3, seed: 3)
    #expect(relativeError(lanczosQ.lambdaMax, 10) < 1e-3)
    let powerQ = try powerIterationCost(quadratic, quadratic.minimizer, truth: 10)
    #expect(3 * lanczosQ.hvps <= powerQ, "Lanczos \(lanczosQ.hvps) HVPs, power iteration \(powerQ)")
  }

  @Test func quadraticSpectrumIsExactWithRepeatedEigenvalues() throws {
    // A single Krylov space sees a repeated eigenvalue once; the restart on breakdown finds the copies.
    let values: [Double] = [5, 5, 5, 2, 1, 1, 0.5, -0.5]
    let objective = quadratic(values)
    let spectrum = try HessianSpectrum.lanczos(
      objective, at: objective.minimizer, k: 4, tolerance: 1e-8, smallest: true, seed: 4)
    #expect(maxRelativeError(spectrum.topEigenvalues, [5, 5, 5, 2]) < 1e-10, "\(spectrum.topEigenvalues)")
    #expect(abs((spectrum.lambdaMin ?? 0) + 0.5) < 1e-10)
    #expect(spectrum.hvps <= values.count)
  }

  @Test func sameSeedGivesSameNumbers() throws {
    let objective = fixture.floatObjective()
    let a = try HessianSpectrum.lanczos(objective, at: fixture.w32, k: 2, seed: 9)
    let b = try HessianSpectrum.lanczos(objective, at: fixture.w32, k: 2, seed: 9)
    let c = try HessianSpectrum.powerIteration(objective, at: fixture.w32, seed: 9)
    let d = try HessianSpectrum.powerIteration(objective, at: fixture.w32, seed: 9)
    #expect(a == b)
    #expect(c == d)
  }

  @Test func badArgumentsThrow() {
    let objective = fixture.floatObjective()
    let w = fixture.w32
    let d = objective.dimension
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: w, k: d + 1) }
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: w, k: 0) }
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: w, tolerance: 0) }
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: w, k: 5, maxSteps: 3) }
    #expect(throws: FlatlandError.self) { try HessianSpectrum.powerIteration(objective, at: w, k: d + 1) }
    #expect(throws: FlatlandError.self) { try HessianSpectrum.powerIteration(objective, at: Array(w.dropLast())) }
    var nan = w
    nan[0] = .nan
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: nan) }
    let huge = [Float](repeating: .greatestFiniteMagnitude, count: d)  // finite parameters, overflowing loss
    #expect(throws: FlatlandError.self) { try HessianSpectrum.lanczos(objective, at: huge) }
  }

  @Test func resultEncodesTheCLIKeys() throws {
    let spectrum = try HessianSpectrum.lanczos(quadratic([3, 2, 1]), at: [0, 0, 0], k: 2)
    let json = String(decoding: try JSONEncoder().encode(spectrum), as: UTF8.self)
    for key in ["lambda_max", "top_eigenvalues", "hvps", "tolerance_reached"] { #expect(json.contains("\"\(key)\"")) }
  }
}
