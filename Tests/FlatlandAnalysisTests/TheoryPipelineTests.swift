import FlatlandAnalysis
import FlatlandCore
import FlatlandTheory
import Testing

/// The theory pipelines through the library: the quadratic report against its closed forms,
/// and the checkpoint prediction against the identities of the small-μ expansion.
@Suite struct TheoryPipelineTests {
  /// Ring of K = 4 with Metropolis weights: a = 1/3 everywhere on the support, eigenvalues
  /// 1/3 + (2/3) cos(2πm/4) = 1, 1/3, −1/3, 1/3, so |λ₂| = 1/3.
  let ring4 = LearningSetting(topology: "ring", agents: 4, weights: "metropolis", mu: 0.01, batch: 8)

  @Test func quadraticReportMatchesItsClosedFormsAndUsesOneStrategySpelling() throws {
    let report = try QuadraticTheory(setting: ring4, hessian: [1, 2], noise: [0.5, 1]).report(steps: 5)
    #expect(
      Set(report.excessRisk.keys) == [
        "centralized", "consensus", "diffusion", "diffusion-cta", "exact-diffusion", "gradient-tracking",
      ])
    for (key, exact) in report.excessRisk {
      let closed = try #require(report.closedForm?[key])
      #expect(abs(exact - closed) <= 1e-10 * closed, "\(key): Lyapunov \(exact) vs closed form \(closed)")
    }
    #expect(report.curve?["diffusion"]?.count == 6)
    #expect(report.curve?["diffusion"]?.first == 0)
    #expect(throws: FlatlandError.self) { try QuadraticTheory(setting: ring4, hessian: [1, 2], noise: [1]) }
  }

  /// Uniform weights on a star are left-stochastic only: the bias-corrected rules, which need a
  /// doubly stochastic A, are left out of the report rather than predicted for a matrix they
  /// cannot run on.
  @Test func quadraticReportOmitsRulesTheMatrixDoesNotSuit() throws {
    let star = LearningSetting(topology: "star", agents: 5, weights: "uniform", mu: 0.01, batch: 8)
    let report = try QuadraticTheory(setting: star, hessian: [1, 2]).report(steps: 3)
    #expect(Set(report.excessRisk.keys) == ["centralized", "consensus", "diffusion", "diffusion-cta"])
    #expect(Set(report.curve?.keys.map { $0 } ?? []) == Set(report.excessRisk.keys))
    #expect(!report.text.contains("exact-diffusion") && !report.text.contains("gradient-tracking"))
  }

  @Test func checkpointPredictionFollowsTheExpansionIdentities() throws {
    let run = try TrainedRun.opened(samples: 200)
    var settings = CheckpointTheory.Settings()
    settings.gradientSamples = 200
    let report = try CheckpointTheory.predict(run, name: "fixture", setting: ring4, settings: settings)
    let e = report.estimates
    #expect(e.noise.samples == 200 && e.noise.traceNoiseStderr == 0, "n = N gives the exact Tr R")
    // consensus − diffusion = μ² Tr(HR)(K − 1)/(2KB), whatever the eigenvalues.
    let gap = report.excessRisk["consensus"]! - report.excessRisk["diffusion"]!
    let expected = 0.01 * 0.01 * e.noise.traceHessianNoise * 3 / (2 * 4 * 8)
    #expect(abs(gap - expected) <= 1e-9 * expected, "gap \(gap) vs \(expected)")
    #expect(abs(report.expansionParameter - e.lambdaMax * 0.01 / (1 - 1.0 / 3)) <= 1e-9 * report.expansionParameter)
    #expect(report.ordering.first == "centralized")
    #expect(report.text.contains("predicted ordering (lowest first): centralized <"))
  }

  @Test func aStepBeyondTheStabilityLimitIsRefusedAfterLanczos() throws {
    let run = try TrainedRun.opened(samples: 50)
    var unstable = ring4
    unstable.mu = 1e3
    #expect {
      try CheckpointTheory.predict(run, name: "fixture", setting: unstable)
    } throws: { ($0 as? FlatlandError)?.message.contains("beyond the stability limit") == true }
  }
}
