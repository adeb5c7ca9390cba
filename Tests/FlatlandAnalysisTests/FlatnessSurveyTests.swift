import FlatlandAnalysis
import FlatlandCore
import FlatlandMeasures
import Testing

/// Flatness at a run's points through the library: each point equals the measure called
/// directly, the spread is the agents' statistics, and a seeded sample is reproducible.
@Suite struct FlatnessSurveyTests {
  @Test func everyPointEqualsTheMeasuresCalledDirectly() throws {
    let run = try TrainedRun.opened()
    var settings = FlatnessSettings()
    settings.measures = [.eig, .trace, .pacbayes]
    settings.seed = 3
    let survey = try FlatnessSurvey(run, selection: .all, settings: settings)
    #expect(survey.agents.map(\.agent) == [0, 1, 2, 3])
    let w = try run.agent(2)
    let direct = try HessianSpectrum.lanczos(run.objective, at: w, k: 1, tolerance: 1e-3, seed: 3)
    #expect(survey.agents[2].lambdaMax == direct.lambdaMax)
    let trace = try HessianTrace.hutchinson(run.objective, at: run.centroid, tolerance: 1e-2, seed: 3)
    #expect(survey.centroid.trace == trace.trace)
    let sigma = try PACBayesFlatness.estimate(run.objective, at: run.centroid, threshold: 0.1, seed: 3).sigma
    #expect(survey.centroid.pacBayesSigma == sigma)
    #expect(survey.centroid.sharpnessAvg == nil && survey.centroid.density == nil)
    let g = try run.objective.checkedGradient(run.centroid)
    #expect(survey.centroid.gradientNorm == VectorMath.norm(g.gradient))
    #expect(survey.centroid.loss == g.loss)
  }

  @Test func theSpreadIsTheAgentsMeanAndSampleDeviation() throws {
    let run = try TrainedRun.opened()
    var settings = FlatnessSettings()
    settings.measures = [.eig]
    let survey = try FlatnessSurvey(run, selection: .all, settings: settings)
    let values = survey.agents.map { $0.lambdaMax! }
    let mean = values.reduce(0, +) / 4
    let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
    let s = try #require(survey.spread["lambda_max"])
    #expect(abs(s.mean - mean) <= 1e-12 * abs(mean) && abs(s.std - std) <= 1e-9 * std)
    #expect(s.min == values.min() && s.max == values.max() && s.count == 4)
    #expect(Set(survey.spread.keys) == ["loss", "gradient_norm", "lambda_max"])
  }

  @Test func aSeededSampleIsReproducibleAndTheCentroidAloneHasNoSpread() throws {
    let run = try TrainedRun.opened(samples: 50)
    var settings = FlatnessSettings()
    settings.measures = [.sharpness]
    settings.seed = 11
    let a = try FlatnessSurvey(run, selection: .sample(2), settings: settings)
    let b = try FlatnessSurvey(run, selection: .sample(2), settings: settings)
    #expect(a == b && a.agents.count == 2)
    let alone = try FlatnessSurvey(run, selection: .centroid, settings: settings)
    #expect(alone.agents.isEmpty && alone.spread.isEmpty && alone.centroid == a.centroid)
  }

  @Test func badSettingsAreRefusedBeforeAnyWork() throws {
    let run = try TrainedRun.opened(samples: 10)
    var s = FlatnessSettings()
    s.top = run.objective.dimension + 1
    #expect(throws: FlatlandError.self) { try FlatnessSurvey(run, selection: .centroid, settings: s) }
    #expect(throws: FlatlandError.self) { try FlatnessSettings.parseMeasures("eig,bogus") }
    #expect(try FlatnessSettings.parseMeasures("density,eig") == [.density, .eig])
    #expect(throws: FlatlandError.self) { try PointSelection(parsing: "sample:0") }
    #expect(try PointSelection(parsing: "sample:3") == .sample(3))
  }
}
