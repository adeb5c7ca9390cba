import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

@testable import FlatlandTheory

/// Bad inputs get a FlatlandError naming the quantity; stability limits are the known ones.
@Suite struct ValidationTests {
  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch let error as FlatlandError {
      return error.message
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func badCurvatureAndNoise() {
    #expect(
      message { _ = try QuadraticModel(agents: 4, hessian: [1, -2], noise: [1, 1], batch: 1) }.contains(
        "invalid curvature (hessian) '-2.0' at index 1"))
    #expect(
      message { _ = try QuadraticModel(agents: 4, hessian: [1, .infinity], noise: [1, 1], batch: 1) }.contains("'inf'"))
    #expect(
      message { _ = try QuadraticModel(agents: 4, hessian: [1, 2], noise: [1, .nan], batch: 1) }.contains(
        "invalid noise variance 'nan' at index 1"))
    #expect(
      message { _ = try QuadraticModel(agents: 4, hessian: [1, 2], noise: [1], batch: 1) }.contains(
        "noise of agent 0 has 1 entries but the hessian has 2"))
    #expect(
      message { _ = try QuadraticModel(hessians: [[1], [2, 3]], noises: [[1], [1]], batch: 1) }.contains(
        "hessian of agent 1 has 2 entries: expected 1"))
    #expect(
      message { _ = try QuadraticModel(hessians: [[1], [-3]], noises: [[1], [1]], batch: 1) }.contains(
        "curvature (hessian) of agent 1 '-3.0'"))
    #expect(
      message { _ = try QuadraticModel(agents: 4, hessian: [1], noise: [1], batch: 0) }.contains("batch size '0'"))
    #expect(
      message { _ = try QuadraticModel(agents: 0, hessian: [1], noise: [1], batch: 1) }.contains("number of agents '0'")
    )
    #expect(
      message {
        _ = try QuadraticModel(denseHessians: [[1, 2, 2, 1]], denseNoises: [[1, 0, 0, 1]], dimension: 2, batch: 1)
      }
      .contains("Hessian of agent 0: smallest eigenvalue -1"))
    #expect(
      message {
        _ = try QuadraticModel(denseHessians: [[1, 0, 0, 1]], denseNoises: [[1, 0.5, 0, 1]], dimension: 2, batch: 1)
      }
      .contains("noise covariance of agent 0: matrix is not symmetric"))
  }

  /// The topology library validates the matrices the theory is given: every matrix of a
  /// period is checked and named, and the theory rejects a topology without a period.
  @Test func badCombinationMatrix() throws {
    var a = Networks.ring(4)
    a[1 * 4 + 2] += 0.1  // a_12: agent 2 gives neighbor 1 more weight
    #expect(message { _ = try Networks.topology(a, agents: 4) }.contains("column 2 of the combination matrix"))
    #expect(message { _ = try Networks.topology(Networks.ring(4), agents: 5) }.contains("K×K = 25 entries"))
    var negative = Networks.ring(4)
    negative[0] = -1.0 / 3
    negative[1 * 4] = 1
    #expect(message { _ = try Networks.topology(negative, agents: 4) }.contains("a[0,0] (row 0, column 0)"))
    #expect(
      message { _ = try Networks.topology(Networks.ring(4), a, agents: 4) }.contains(
        "matrix 1 of the period of 'test': column 2"))
    let identity = (0..<16).map { $0 % 5 == 0 ? 1.0 : 0 }
    #expect(
      message { _ = try Networks.topology(identity, identity, agents: 4) }.contains("does not connect its agents"))
    let model = try QuadraticModel(agents: 4, hessian: [1], noise: [1], batch: 1)
    let matching = try Topology.parse("random-matching", agents: 4, weights: .metropolis, seed: 1)
    #expect(
      message { _ = try ExcessRiskTheory(model: model, topology: matching, stepSize: 0.1) }.contains(
        "random-matching draws a new matrix each iteration and has no period"))
  }

  @Test func mismatchedAgentsAndStep() throws {
    let model = try QuadraticModel(agents: 3, hessian: [1], noise: [1], batch: 1)
    let ring4 = try Networks.topology(Networks.ring(4), agents: 4)
    #expect(
      message { _ = try ExcessRiskTheory(model: model, topology: ring4, stepSize: 0.1) }.contains(
        "for 4 agents but the model has 3"))
    let ring3 = try Networks.topology(Networks.ring(3), agents: 3)
    #expect(
      message { _ = try ExcessRiskTheory(model: model, topology: ring3, stepSize: -0.1) }.contains(
        "step size μ '-0.1'"))
    let theory = try ExcessRiskTheory(model: model, topology: ring3, stepSize: 0.1)
    #expect(
      message { _ = try theory.curve(.diffusion, steps: 3, initialError: [1, 2]) }.contains(
        "initial error has 2 entries: expected K·M = 3"))
  }

  /// On a Metropolis ring of even K (λ ∈ [−1/3, 1]) with h_max = 4: consensus needs
  /// |λ − μh| < 1 for all λ, h, i.e. μ < (1 + λ_min)/h_max = 1/6; diffusion and centralized
  /// need |1 − μh| < 1, i.e. μ < 2/h_max = 1/2.
  @Test func stabilityLimitsAndMessage() throws {
    let model = try QuadraticModel(agents: 8, hessian: [1, 2, 3, 4], noise: [1, 1, 1, 1], batch: 1)
    let theory = try ExcessRiskTheory(
      model: model, topology: try Networks.topology(Networks.ring(8), agents: 8), stepSize: 0.3)
    #expect(relativeError(try theory.stabilityLimit(.consensus), 1.0 / 6) < 1e-9)
    #expect(relativeError(try theory.stabilityLimit(.diffusion), 0.5) < 1e-9)
    #expect(relativeError(try theory.stabilityLimit(.centralized), 0.5) < 1e-9)
    #expect(relativeError(try theory.spectralRadius(.consensus), 1.2 + 1.0 / 3) < 1e-12)
    let text = message { _ = try theory.steadyState(.consensus) }
    #expect(text.contains("step size μ = 0.3 is unstable for consensus"), "\(text)")
    #expect(text.contains("the largest stable step size is about 0.166666"), "\(text)")
    #expect(throws: Never.self) { try theory.steadyState(.diffusion) }
  }

  /// The limits do not depend on how far μ is from them: μ = 10³⁰⁰ (unstable by 300 orders)
  /// and μ = 10⁻³⁰⁰ find the same 1/6 and 1/2 as μ = 0.3, and the message advises 0.499999 for diffusion.
  @Test(arguments: [1e300, 1e-300]) func stabilityLimitsFromAnyStepSize(_ mu: Double) throws {
    let model = try QuadraticModel(agents: 8, hessian: [1, 2, 3, 4], noise: [1, 1, 1, 1], batch: 1)
    let theory = try ExcessRiskTheory(
      model: model, topology: try Networks.topology(Networks.ring(8), agents: 8), stepSize: mu)
    #expect(relativeError(try theory.stabilityLimit(.consensus), 1.0 / 6) < 1e-9)
    #expect(relativeError(try theory.stabilityLimit(.diffusion), 0.5) < 1e-9)
    if mu > 1 {
      let text = message { _ = try theory.steadyState(.diffusion) }
      #expect(text.contains("the largest stable step size is about 0.499999"), "\(text)")
    }
  }

  @Test func aCurveBeyondTheMemoryBudgetIsRefused() throws {
    let model = try QuadraticModel(agents: 8, hessian: [1], noise: [1], batch: 1)
    let theory = try ExcessRiskTheory(
      model: model, topology: try Networks.topology(Networks.ring(8), agents: 8), stepSize: 0.1)
    let text = message { _ = try theory.curve(.diffusion, steps: 1_000_000_000_000) }
    #expect(
      text.hasPrefix("an excess-risk curve of 1000000000000 steps (K + 1 = 9 values per step) would need 72.0 TB"))
    #expect(try theory.curve(.diffusion, steps: 3).count == 4)
  }

  @Test func smallStepInputs() {
    #expect(
      message {
        _ = try SmallStepPrediction(
          traceNoise: 1, traceHessianNoise: 1, eigenvalues: [0.9, 0.5], stepSize: 0.1, batch: 1)
      }.contains("do not include 1"))
    #expect(
      message {
        _ = try SmallStepPrediction(traceNoise: 1, traceHessianNoise: 1, eigenvalues: [1, -1], stepSize: 0.1, batch: 1)
      }.contains("eigenvalue -1.0 of A has modulus ≥ 1"))
    #expect(
      message {
        _ = try SmallStepPrediction(traceNoise: -1, traceHessianNoise: 1, eigenvalues: [1], stepSize: 0.1, batch: 1)
      }.contains("Tr(R) '-1.0'"))
  }
}
