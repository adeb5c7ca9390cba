import FlatlandCore
import FlatlandData
import FlatlandEngines
import FlatlandStrategies
import Foundation
import Testing

@testable import FlatlandExperiments

/// Sharpness-aware gradients and perturbed-SGD noise in real training: the two-pass step on one
/// batch against its equation, determinism, resume, and matching σ to a reference run.
@Suite struct PerturbedTrainingTests {
  func config(optimizer: String = "sgd", noise: String? = nil, iterations: Int = 12) -> TrainingConfig {
    var c = SmallTraining.config(iterations: iterations)
    (c.optimizer, c.noise) = (optimizer, noise)
    return c
  }

  func folder(_ name: String) -> URL { SmallTraining.folder(name) }

  /// Runs one strategy and returns its final checkpoint and summary.
  func train(_ c: TrainingConfig, _ kind: StrategyKind, threads: Int = 2, at url: URL? = nil, resume: Bool = false)
    throws -> (Checkpoint, RunSummary)
  {
    try SmallTraining.train(c, kind, threads: threads, localSteps: 100, at: url, resume: resume)
  }

  /// One local-SGD iteration without momentum: agent k draws its first batch, takes
  /// g = ∇Q_k(w) and then ∇Q_k(w + ε) on that same batch, with ε from the documented Float
  /// operations (s = Float(ρ / ‖T g‖), ε_j = s t_j² g_j), and steps w − μ ∇Q_k(w + ε). It
  /// draws no more batches than plain SGD does.
  @Test(arguments: ["sam:0.05", "asam:0.5"])
  func oneSharpnessAwareIterationEqualsItsEquation(_ optimizer: String) throws {
    var c = config(optimizer: optimizer, iterations: 1)
    c.momentum = 0
    let (checkpoint, _) = try train(c, .localSGD)
    let e = try Experiment(c, threads: 1)
    let rule = try #require(try SharpnessAware.parse(optimizer: optimizer))
    let network = e.network
    let workspace = network.makeWorkspace(capacity: c.batch, of: Float.self)
    let samplers = try e.samplers()
    let w = try e.initialParameters()
    for k in 0..<c.agents {
      var sampler = samplers[k]
      var batch = sampler.makeBatch()
      sampler.next(into: &batch)
      func gradient(_ x: [Float]) -> [Float] {
        var g = [Float](repeating: 0, count: x.count)
        _ = x.withUnsafeBufferPointer { xp in
          g.withUnsafeMutableBufferPointer { gp in
            batch.features.withUnsafeBufferPointer { f in
              batch.labels.withUnsafeBufferPointer { l in
                network.lossAndGradient(xp, features: f, labels: l, gradient: gp, workspace: workspace)
              }
            }
          }
        }
        return g
      }
      let start = w.row(k)
      let g = gradient(start)
      let t = start.map { rule.geometry == .sam ? Float(1) : abs($0) + SharpnessAware.eta }
      let norm = g.indices.reduce(0.0) { $0 + Double(t[$1] * g[$1]) * Double(t[$1] * g[$1]) }.squareRoot()
      let s = Float(Double(rule.radius) / norm)
      let sharp = gradient(start.indices.map { start[$0] + s * (t[$0] * t[$0] * g[$0]) })
      let want = start.indices.map { start[$0] - Float(c.lr) * sharp[$0] }
      let got = checkpoint.parameters.row(k)
      let differing = zip(got, want).filter { $0 != $1 }.count
      #expect(differing == 0, "\(optimizer), agent \(k): \(differing) of \(want.count) coordinates differ")
      #expect(checkpoint.header.samplers[k] == sampler.state, "\(optimizer), agent \(k) drew another batch count")
    }
  }

  @Test(arguments: StrategyKind.allCases)
  func sharpnessAwareNoisyRunsAreBitIdenticalForOneAndTwoThreads(_ kind: StrategyKind) throws {
    let c = config(optimizer: "asam:0.5", noise: "0.002")
    let one = try train(c, kind, threads: 1).0.parameters.rows
    let two = try train(c, kind, threads: 2).0.parameters.rows
    #expect(one == two)
    #expect(one != (try train(config(), kind, threads: 1).0.parameters.rows), "\(kind): the settings changed nothing")
  }

  @Test(arguments: [StrategyKind.centralized, .diffusion])
  func resumingASharpnessAwareNoisyRunEqualsAnUninterruptedOne(_ kind: StrategyKind) throws {
    let whole = try train(config(optimizer: "sam:0.05", noise: "0.002"), kind).0.parameters.rows
    let url = folder(kind.rawValue)
    _ = try train(config(optimizer: "sam:0.05", noise: "0.002", iterations: 8), kind, at: url)
    let resumed = try train(config(optimizer: "sam:0.05", noise: "0.002"), kind, at: url, resume: true)
    #expect(resumed.0.parameters.rows == whole)
  }

  /// The centralized rows are one model: the noise moves them together.
  @Test func centralizedNoiseKeepsTheAgentsTogether() throws {
    let (_, summary) = try train(config(noise: "0.01"), .centralized)
    #expect(summary.final.disagreement == 0)
  }

  /// `match:RUN` gives σ = √(D/P) with D the reference run's final recorded disagreement.
  @Test func matchingReadsTheReferenceRunsDisagreement() throws {
    let url = folder("diffusion")
    _ = try train(config(), .diffusion, at: url)
    let d = try #require(try MetricsRecord.read(folder: url).last).disagreement
    let e = try Experiment(config(noise: "match:\(url.path)"))
    let noise = try #require(e.noise)
    #expect(noise.sigma == Float((d / Double(e.network.parameterCount)).squareRoot()))
    #expect(noise.sigma > 0)
  }

  /// Every bad optimizer or noise setting, including a match run that is missing, is not a run
  /// or has no disagreement, stops the experiment with one line naming the setting.
  @Test func badSettingsFailBeforeAnyWorkNamingTheSetting() throws {
    let central = folder("centralized")
    _ = try train(config(), .centralized, at: central)
    let cases: [(TrainingConfig, String)] = [
      (config(optimizer: "sam:0"), "invalid optimizer 'sam:0'"),
      (config(optimizer: "asam:-1"), "invalid optimizer 'asam:-1'"),
      (config(optimizer: "sam:nan"), "invalid optimizer 'sam:nan'"),
      (config(optimizer: "sam:inf"), "invalid optimizer 'sam:inf'"),
      (config(optimizer: "adam"), "invalid optimizer 'adam'"),
      (config(noise: "-0.1"), "invalid noise σ '-0.1'"),
      (config(noise: "nan"), "invalid noise σ 'nan'"),
      (config(noise: "inf"), "invalid noise σ 'inf'"),
      (config(noise: "loud"), "invalid noise 'loud'"),
      (config(noise: "match:"), "invalid noise 'match:'"),
      (config(noise: "match:/nonexistent/run"), "cannot match noise 'match:/nonexistent/run': "),
      (config(noise: "match:\(central.path)"), "invalid noise 'match:\(central.path)': expected a run whose agents"),
    ]
    for (c, prefix) in cases {
      // The form is checked without data; only a matched run needs reading.
      if !prefix.contains("match:") { #expect(throws: FlatlandError.self) { try c.validate() } }
      #expect {
        try Experiment(c)
      } throws: { error in
        guard let error = error as? FlatlandError else { return false }
        return error.message.hasPrefix(prefix) && !error.message.contains("\n")
      }
    }
  }
}
