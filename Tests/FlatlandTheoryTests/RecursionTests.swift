import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Foundation
import Testing

@testable import FlatlandTheory

/// Transient curves, the two Lyapunov solvers, and periodic schedules.
@Suite struct RecursionTests {
  @Test func kroneckerAndDoublingSolveTheSameLyapunovEquation() throws {
    let n = 10
    var f = SquareMatrix(n: n, values: normalVector(n * n, seed: 5))
    f = (0.9 / (try f.spectralRadius())) * f
    let g = SquareMatrix(n: n, values: normalVector(n * n, seed: 6))
    let q = g.times(g, transposeOther: true)
    let kron = try DiscreteLyapunov.solve(f, q, method: .kronecker)
    let doubling = try DiscreteLyapunov.solve(f, q, method: .doubling)
    #expect(maxRelativeError(kron.values, doubling.values, floor: 1e-6 * kron.maxAbs) < 1e-10)
    let residual = kron - f.congruence(kron) - q
    #expect(residual.maxAbs < 1e-11 * kron.maxAbs)
  }

  /// From w*, one step gives Cov = Q: the diffusion ATC average risk is
  /// (1/K) Σ_k Σ_i ½ h_i μ² (r_i/B) Σ_l a_lk²; the centralized one Σ_i ½ h_i μ² r_i/(KB).
  @Test func firstStepByHand() throws {
    let k = 5
    let mu = 0.1
    let h = [1.0, 3]
    let r = [2.0, 0.5]
    let a = Networks.skewed(k, seed: 9)
    let theory = try ExcessRiskTheory(
      model: try QuadraticModel(agents: k, hessian: h, noise: r, batch: 4),
      topology: try Networks.topology(a, agents: k),
      stepSize: mu)
    let columnSquares = (0..<k).map { c in (0..<k).reduce(0.0) { $0 + a[$1 * k + c] * a[$1 * k + c] } }
    let hr = zip(h, r).reduce(0.0) { $0 + $1.0 * $1.1 }
    let diffusion = try theory.curve(.diffusion, steps: 1)
    #expect(diffusion[0].average == 0)
    #expect(
      relativeError(diffusion[1].average, 0.5 * mu * mu * hr / 4 * columnSquares.reduce(0, +) / Double(k)) < 1e-14)
    let centralized = try theory.curve(.centralized, steps: 1)
    #expect(relativeError(centralized[1].average, 0.5 * mu * mu * hr / (4 * Double(k))) < 1e-14)
  }

  /// Without noise, the centralized error from w̃_0 decays as (1 − μh)^i along each direction,
  /// starting from the centroid of the agents' errors.
  @Test func noiselessMeanDecays() throws {
    let k = 3
    let mu = 0.2
    let h = [1.0, 2]
    let theory = try ExcessRiskTheory(
      model: try QuadraticModel(agents: k, hessian: h, noise: [0, 0], batch: 1),
      topology: try Networks.topology(Networks.ring(k), agents: k), stepSize: mu)
    let start = [1.0, 0, 2, 3, 3, 0]  // centroid (2, 1)
    let curve = try theory.curve(.centralized, steps: 7, initialError: start)
    for i in [0, 3, 7] {
      let p1 = pow(1 - mu * h[0], Double(2 * i))
      let p2 = pow(1 - mu * h[1], Double(2 * i))
      #expect(relativeError(curve[i].average, 0.5 * (h[0] * 4 * p1 + h[1] * 1 * p2)) < 1e-13)
      #expect(relativeError(curve[i].centroid, curve[i].average) < 1e-13)
    }
  }

  @Test(arguments: TheoryStrategy.allCases)
  func curveConvergesToSteadyState(_ strategy: TheoryStrategy) throws {
    let k = 6
    let theory = try ExcessRiskTheory(
      model: try QuadraticModel(agents: k, hessian: [1, 4], noise: [1, 2], batch: 1),
      topology: try Networks.topology(
        strategy.hasAuxiliaryState ? Networks.ring(k) : Networks.skewed(k, seed: 2), agents: k),
      stepSize: strategy == .gradientTracking ? 0.04 : 0.1)
    let steady = try theory.steadyState(strategy)
    let last = try theory.curve(strategy, steps: 600, initialError: normalVector(2 * k, seed: 1)).last!
    #expect(maxRelativeError(last.perAgent, steady.perAgent) < 1e-9)
    #expect(relativeError(last.centroid, steady.centroid) < 1e-9)
  }

  /// A period of identical matrices is the static schedule; an alternating schedule's steady
  /// state is the average over its cycle of the exact curve's tail.
  @Test func periodicSchedule() throws {
    let k = 6
    let a = Networks.ring(k)
    let b = Networks.skewed(k, seed: 4)
    let model = try QuadraticModel(agents: k, hessian: [1, 3], noise: [1, 1], batch: 1)
    let repeated = try ExcessRiskTheory(
      model: model, topology: try Networks.topology(periodic: [a, a, a], agents: k), stepSize: 0.1)
    let single = try ExcessRiskTheory(model: model, topology: try Networks.topology(a, agents: k), stepSize: 0.1)
    #expect(
      relativeError(try repeated.steadyState(.diffusion).average, try single.steadyState(.diffusion).average) < 1e-10)

    let alternating = try ExcessRiskTheory(
      model: model, topology: try Networks.topology(periodic: [a, b], agents: k), stepSize: 0.1)
    for strategy in [TheoryStrategy.consensus, .diffusion] {
      let curve = try alternating.curve(strategy, steps: 601)
      let tail = (curve[600].average + curve[601].average) / 2
      #expect(relativeError(try alternating.steadyState(strategy).average, tail) < 1e-9)
    }
  }

  /// Two agents, one direction (h, r, B = 1), diffusion ATC over the period A(0) = I, A(1) =
  /// J = ½𝟙𝟙ᵀ, with a = 1 − μh and σ² = μ²r. The step x ← A(j)ᵀ(a x − μ s) maps Cov Σ to
  /// a²Σ + σ²I (phase 0) and J(a²Σ + σ²I)J (phase 1). Before phase 0 the steady state is
  /// Σ* = cJ with c = a⁴c + σ²(1 + a²), i.e. c = σ²/(1 − a²); after phase 0 it is a²cJ + σ²I.
  /// The agents' risk ½h Σ_kk averages (h/4)(c(1 + a²)/2 + σ²) over the two phases, the
  /// centroid's ½h·¼𝟙ᵀΣ𝟙 averages (h/8)(c(1 + a²) + σ²).
  @Test func twoPeriodSteadyStateByHand() throws {
    let (h, r, mu) = (2.0, 1.5, 0.1)
    let model = try QuadraticModel(agents: 2, hessian: [h], noise: [r], batch: 1)
    let theory = try ExcessRiskTheory(
      model: model, topology: try Networks.topology([1, 0, 0, 1], [0.5, 0.5, 0.5, 0.5], agents: 2), stepSize: mu)
    let a2 = (1 - mu * h) * (1 - mu * h)
    let sigma2 = mu * mu * r
    let c = sigma2 / (1 - a2)
    let steady = try theory.steadyState(.diffusion)
    #expect(relativeError(steady.average, h / 4 * (c * (1 + a2) / 2 + sigma2)) < 1e-13)
    #expect(maxRelativeError(steady.perAgent, [steady.average, steady.average]) < 1e-13)
    #expect(relativeError(steady.centroid, h / 8 * (c * (1 + a2) + sigma2)) < 1e-13)
    // Either matrix alone gives another value: the theory used the whole period.
    let averaging = try ExcessRiskTheory(
      model: model, topology: try Networks.topology([0.5, 0.5, 0.5, 0.5], agents: 2), stepSize: mu)
    #expect(relativeError(try averaging.steadyState(.diffusion).average, steady.average) > 0.1)
  }

  /// A parsed one-peer exponential topology reaches the theory with its whole period.
  @Test func onePeerExponentialKeepsItsPeriod() throws {
    let model = try QuadraticModel(agents: 8, hessian: [1, 3], noise: [1, 1], batch: 1)
    let onePeer = try Topology.parse("one-peer-exponential", agents: 8, weights: .metropolis, seed: 0)
    let theory = try ExcessRiskTheory(model: model, topology: onePeer, stepSize: 0.1)
    #expect(theory.period.count == 3 && theory.period == (0..<3).map(onePeer.matrix(at:)))
    let first = try ExcessRiskTheory(
      model: model, topology: try Topology(name: "A(0)", matrix: onePeer.matrix(at: 0)), stepSize: 0.1)
    for strategy in [TheoryStrategy.consensus, .diffusion, .diffusionCTA] {
      let curve = try theory.curve(strategy, steps: 602)
      let tail = (curve[600].average + curve[601].average + curve[602].average) / 3
      #expect(relativeError(try theory.steadyState(strategy).average, tail) < 1e-9)
      #expect(relativeError(try theory.steadyState(strategy).average, try first.steadyState(strategy).average) > 1e-3)
    }
  }

  /// Gradient tracking's phase j mixes with A(j) and, for the tracker, A(j + 1): over the one-peer
  /// period its steady state is still the tail average of the exact curve, and differs from
  /// the static A(0)'s. (Its stability limit here is about 0.03, below the μ above.)
  @Test func gradientTrackingKeepsTheOnePeerPeriod() throws {
    let model = try QuadraticModel(agents: 8, hessian: [1, 3], noise: [1, 1], batch: 1)
    let onePeer = try Topology.parse("one-peer-exponential", agents: 8, weights: .metropolis, seed: 0)
    let theory = try ExcessRiskTheory(model: model, topology: onePeer, stepSize: 0.02)
    #expect(theory.supports(.gradientTracking) && !theory.supports(.exactDiffusion))
    let curve = try theory.curve(.gradientTracking, steps: 3002)
    let tail = (curve[3000].average + curve[3001].average + curve[3002].average) / 3
    let steady = try theory.steadyState(.gradientTracking).average
    #expect(relativeError(steady, tail) < 1e-9)
    let first = try ExcessRiskTheory(
      model: model, topology: try Topology(name: "A(0)", matrix: onePeer.matrix(at: 0)), stepSize: 0.02)
    #expect(relativeError(steady, try first.steadyState(.gradientTracking).average) > 1e-3)
  }

  /// With doubly stochastic A and homogeneous agents, 𝟙ᵀ commutes through every recursion, so
  /// the centroid follows the centralized recursion exactly; a merely left-stochastic A breaks it.
  @Test func centroidOfDoublyStochasticNetworkIsCentralized() throws {
    let k = 8
    let model = try QuadraticModel(agents: k, hessian: [1, 2, 3], noise: [1, 2, 0.5], batch: 2)
    for (a, doubly) in [
      (Networks.ring(k), true), (Networks.exponential(k), true), (Networks.skewed(k, seed: 1), false),
    ] {
      let theory = try ExcessRiskTheory(model: model, topology: try Networks.topology(a, agents: k), stepSize: 0.05)
      let centralized = try theory.steadyState(.centralized).centroid
      for strategy in TheoryStrategy.allCases where strategy != .centralized && theory.supports(strategy) {
        let error = relativeError(try theory.steadyState(strategy).centroid, centralized)
        #expect(doubly ? error < 1e-10 : error > 1e-3, "\(strategy): centroid differs from centralized by \(error)")
      }
    }
  }
}
