import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Testing

@testable import FlatlandTheory

/// The predicted ordering and scaling of the strategies' steady-state excess risk.
@Suite struct OrderingTests {
  let hessian = [1.0, 2, 3, 4]
  let noise = [1.0, 1, 1, 1]

  func steady(_ a: [Double], agents k: Int, mu: Double) throws -> [TheoryStrategy: Double] {
    let theory = try ExcessRiskTheory(
      model: try QuadraticModel(agents: k, hessian: hessian, noise: noise, batch: 1),
      topology: try Networks.topology(a, agents: k), stepSize: mu)
    var values: [TheoryStrategy: Double] = [:]
    // Gradient tracking's stability limit, (1 + λ_min)²/(2h), is the lowest: skip it when μ passes it.
    for s in TheoryStrategy.allCases where try theory.spectralRadius(s) < 1 {
      values[s] = try theory.steadyState(s).average
    }
    return values
  }

  @Test func centralizedBelowDiffusionBelowConsensusOnRing() throws {
    for mu in [0.01, 0.05, 0.1] {
      let v = try steady(Networks.ring(8), agents: 8, mu: mu)
      #expect(v[.centralized]! < v[.diffusion]!, "μ = \(mu): \(v)")
      #expect(v[.diffusion]! < v[.consensus]!, "μ = \(mu): \(v)")
    }
  }

  /// Decentralized gaps over centralized are O(μ²) while the common term is O(μ): halving μ
  /// divides each gap by 4 up to an O(μ) correction.
  @Test func gapsScaleLikeMuSquared() throws {
    let mu = 0.004
    let big = try steady(Networks.ring(8), agents: 8, mu: mu)
    let small = try steady(Networks.ring(8), agents: 8, mu: mu / 2)
    for s in [TheoryStrategy.consensus, .diffusion, .diffusionCTA] {
      let ratio = (big[s]! - big[.centralized]!) / (small[s]! - small[.centralized]!)
      #expect(abs(ratio - 4) < 0.1, "\(s): gap ratio \(ratio)")
    }
    let commonRatio = big[.centralized]! / small[.centralized]!
    #expect(abs(commonRatio - 2) < 0.02, "centralized ratio \(commonRatio)")
  }

  /// Lazier mixing (1 − α) I + α A shrinks the spectral gap 1 − λ₂ in proportion to α; the
  /// decentralized gaps grow like 1/(1 − λ₂) (for μh ≪ 1 − λ₂).
  @Test func gapsScaleLikeInverseSpectralGap() throws {
    let k = 8
    let mu = 1e-5
    let lambda2 = Networks.ringEigenvalues(k).filter { $0 < 1 - 1e-12 }.max()!
    var scaled: [TheoryStrategy: [Double]] = [:]
    for alpha in [0.1, 0.05, 0.025] {
      let v = try steady(Networks.lazy(Networks.ring(k), k, alpha: alpha), agents: k, mu: mu)
      let spectralGap = alpha * (1 - lambda2)
      for s in [TheoryStrategy.consensus, .diffusion] {
        scaled[s, default: []].append((v[s]! - v[.centralized]!) * spectralGap)
      }
    }
    for (s, values) in scaled {
      #expect(
        maxRelativeError(values, Array(repeating: values.last!, count: values.count)) < 0.06,
        "\(s): gap·(1 − λ₂) \(values)")
    }
  }

  @Test func smallStepExpansionApproachesExact() throws {
    let k = 8
    let traceR = noise.reduce(0, +)
    let traceHR = zip(hessian, noise).reduce(0) { $0 + $1.0 * $1.1 }
    var errors: [Double] = []
    var biasCorrected: [Double] = []
    for mu in [0.002, 0.001] {
      let exact = try steady(Networks.ring(k), agents: k, mu: mu)
      let predicted = try SmallStepPrediction(
        traceNoise: traceR, traceHessianNoise: traceHR, eigenvalues: Networks.ringEigenvalues(k), stepSize: mu, batch: 1
      )
      #expect(
        predicted.ordering == [.centralized, .diffusion, .consensus, .diffusionCTA, .exactDiffusion, .gradientTracking])
      var worst = (paper: 0.0, corrected: 0.0)
      for s in TheoryStrategy.allCases {
        // Compare the O(μ²) gaps, where the expansion's first neglected term is relatively O(μ).
        let gapExact = exact[s]! - exact[.centralized]!
        let gapPredicted = predicted.value(s) - predicted.centralized
        var error = relativeError(exact[s]!, predicted.value(s))
        if s != .centralized { error = max(error, relativeError(gapExact, gapPredicted)) }
        if s == .exactDiffusion || s == .gradientTracking {
          worst.corrected = max(worst.corrected, error)
        } else {
          worst.paper = max(worst.paper, error)
        }
      }
      errors.append(worst.paper)
      biasCorrected.append(worst.corrected)
    }
    #expect(errors[0] < 0.02, "relative errors \(errors)")
    #expect(errors[1] < 0.6 * errors[0], "the error should shrink with μ: \(errors)")
    // Gradient tracking's first neglected term is relatively 2μh/(1 + λ_min)² = 3.6% at μ = 0.002, h = 4.
    #expect(biasCorrected[0] < 0.05, "relative errors \(biasCorrected)")
    #expect(biasCorrected[1] < 0.6 * biasCorrected[0], "the error should shrink with μ: \(biasCorrected)")
  }

  /// consensus − diffusion = μ² Tr(HR)(K − 1)/(2KB) exactly in the expansion.
  @Test func expansionConsensusDiffusionGap() throws {
    let p = try SmallStepPrediction(
      traceNoise: 3, traceHessianNoise: 5, eigenvalues: [1, 0.5, -0.2, 0.1], stepSize: 0.01, batch: 2)
    #expect(relativeError(p.consensus - p.diffusion, 1e-4 * 5 * 3 / 16) < 1e-12)
    #expect(relativeError(p.centralized, 0.01 * 3 / 32 + 1e-4 * 5 / 64) < 1e-14)
  }
}
