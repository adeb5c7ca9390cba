import FlatlandCore
import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation
import Testing

/// Training end to end on a small synthetic set: determinism, the K = 1 identity of the
/// strategies, disagreement, and resume.
@Suite struct TrainingTests {
  func config(agents: Int = 4, iterations: Int = 12, out: String) -> TrainingConfig {
    var c = SmallTraining.config(agents: agents, iterations: iterations)
    c.out = out
    return c
  }

  func folder(_ name: String) -> URL { SmallTraining.folder(name) }

  /// Runs one strategy and returns every agent's final parameters and the summary.
  func train(_ c: TrainingConfig, _ kind: StrategyKind, threads: Int = 2, at url: URL? = nil, resume: Bool = false)
    throws -> ([[Float]], RunSummary)
  {
    let (checkpoint, summary) = try SmallTraining.train(c, kind, threads: threads, at: url, resume: resume)
    return (checkpoint.parameters.rows, summary)
  }

  @Test(arguments: [
    StrategyKind.centralized, .consensus, .diffusion, .diffusionCTA, .exactDiffusion, .gradientTracking,
  ])
  func resultsAreBitIdenticalForOneAndTwoThreads(_ kind: StrategyKind) throws {
    let c = config(out: "unused")
    let (one, _) = try train(c, kind, threads: 1)
    let (two, _) = try train(c, kind, threads: 2)
    #expect(one == two)
  }

  @Test func withOneAgentAllStrategiesGiveIdenticalParameters() throws {
    let c = config(agents: 1, out: "unused")
    let (a, _) = try train(c, .centralized)
    let (b, _) = try train(c, .consensus)
    let (d, _) = try train(c, .diffusion)
    #expect(a == b && b == d)
  }

  @Test func centralizedHasZeroDisagreementAndDiffusionSome() throws {
    let c = config(out: "unused")
    let (_, central) = try train(c, .centralized)
    let (_, diffusion) = try train(c, .diffusion)
    let (_, consensus) = try train(c, .consensus)
    #expect(central.final.disagreement == 0)
    #expect(diffusion.final.disagreement > 0 && consensus.final.disagreement > 0)
    #expect(
      central.final.testAccuracyCentroid > 0.6, "synthetic Gaussians are easy: \(central.final.testAccuracyCentroid)")
  }

  /// With momentum, so the velocity is restored beside exact diffusion's ψ_prev and gradient
  /// tracking's tracker and old gradient; the final checkpoints hold the same state buffers.
  @Test(arguments: [StrategyKind.diffusion, .exactDiffusion, .gradientTracking])
  func resumingFromACheckpointEqualsAnUninterruptedRun(_ kind: StrategyKind) throws {
    let wholeURL = folder(kind.rawValue)
    let whole = try train(config(iterations: 12, out: "unused"), kind, at: wholeURL).0
    let url = folder(kind.rawValue)
    _ = try train(config(iterations: 8, out: "unused"), kind, at: url)
    let resumed = try train(config(iterations: 12, out: "unused"), kind, at: url, resume: true).0
    #expect(whole == resumed)
    let a = try Checkpoint.read(from: wholeURL.appendingPathComponent(Checkpoint.fileName).path)
    let b = try Checkpoint.read(from: url.appendingPathComponent(Checkpoint.fileName).path)
    #expect(a.header.buffers == (["velocity"] + kindBuffers(kind)).sorted())
    #expect(a.header.buffers == b.header.buffers)
    for name in a.header.buffers { #expect(a.buffers[name]!.rows == b.buffers[name]!.rows, "\(name)") }
  }

  func kindBuffers(_ kind: StrategyKind) -> [String] {
    switch kind {
    case .exactDiffusion: ["previous_adapted_iterate"]
    case .gradientTracking: ["previous_gradient", "tracker"]
    default: []
    }
  }

  /// A checkpoint whose state buffers are not the run's (here: trained without momentum,
  /// resumed with it) is refused with the buffers both hold, before any step.
  @Test func resumingWithOtherStateBuffersIsRefused() throws {
    let url = folder("exact-diffusion")
    var c = config(iterations: 4, out: "unused")
    c.momentum = 0
    _ = try train(c, .exactDiffusion, at: url)
    let error = try #require(throws: FlatlandError.self) {
      _ = try train(config(iterations: 8, out: "unused"), .exactDiffusion, at: url, resume: true)
    }
    #expect(
      error.message.contains(
        "holds the state buffers [previous_adapted_iterate] but this run's strategy, optimizer and SWA setting keep "
          + "[previous_adapted_iterate, velocity]"), "\(error.message)")
  }

  /// A stop request raised during iteration 5 ends the run after it with a checkpoint at 5; the
  /// resumed run ends where an uninterrupted one does, bit for bit.
  @Test func aStopRequestCheckpointsAtTheIterationBoundaryAndResumes() throws {
    let c = config(iterations: 12, out: "unused")
    let whole = try train(c, .diffusion).0
    let url = folder("diffusion")
    let run = try StrategyRun(
      experiment: try Experiment(c, threads: 2), strategy: Strategy(.diffusion), folder: url,
      communicator: InProcessCommunicator(agents: c.agents, threads: 2), resume: false)
    #expect(!run.startsOver)
    let stop = StopRequest()
    run.stop = stop
    #expect { try run.run { if $0.iteration == 5 { stop.request(SIGTERM) } } } throws: { error in
      guard let error = error as? FlatlandError else { return false }
      return error.kind == .interrupted && error.message.hasPrefix("diffusion stopped by SIGTERM at iteration 5 of 12")
        && error.message.contains("--resume \(url.deletingLastPathComponent().path)")
    }
    #expect(try Checkpoint.read(from: url.appendingPathComponent(Checkpoint.fileName).path).header.iteration == 5)
    #expect(try train(c, .diffusion, at: url, resume: true).0 == whole)
  }

  @Test func resumingWithoutACheckpointSaysItStartsOver() throws {
    let c = config(out: "unused")
    let run = try StrategyRun(
      experiment: try Experiment(c, threads: 1), strategy: Strategy(.diffusion), folder: folder("diffusion"),
      communicator: InProcessCommunicator(agents: c.agents, threads: 1), resume: true)
    #expect(run.startsOver)
  }

  @Test func badConfigsFailBeforeAnyWork() {
    var c = config(out: "unused")
    c.batch = 1000
    #expect(throws: FlatlandError.self) { try Experiment(c) }
    c = config(out: "unused")
    c.lr = -1
    #expect(throws: FlatlandError.self) { try Experiment(c) }
    c = config(out: "unused")
    c.strategies = ["gossip"]
    #expect(throws: FlatlandError.self) { try Experiment(c) }
    c = config(out: "unused")
    c.topology = "hypercube"
    c.agents = 6
    #expect(throws: FlatlandError.self) { try Experiment(c) }
    c = config(out: "unused")
    (c.strategies, c.topology, c.weights) = (["diffusion", "gradient-tracking"], "star", "uniform")
    #expect {
      try Experiment(c)
    } throws: {
      ($0 as? FlatlandError)?.message.hasPrefix(
        "gradient-tracking needs a doubly-stochastic combination matrix on 'star': row 0") == true
    }
    c = config(out: "unused")
    (c.strategies, c.clip) = (["gradient-tracking"], 1)
    #expect {
      try Experiment(c)
    } throws: {
      ($0 as? FlatlandError)?.message.hasPrefix("invalid clip '1.0' for gradient-tracking") == true
    }
  }

  @Test func experimentFilesRejectUnknownKeysByName() throws {
    let dir = folder("cfg")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let good = dir.appendingPathComponent("good.yaml")
    let bad = dir.appendingPathComponent("bad.yaml")
    try "agents: 8\nstrategies: consensus,diffusion\nlr: 0.05\n".write(to: good, atomically: true, encoding: .utf8)
    try "agents: 8\nlearning_rate: 0.05\n".write(to: bad, atomically: true, encoding: .utf8)
    let c = try TrainingConfig.load(file: good.path)
    #expect(
      c.agents == 8 && c.lr == 0.05 && c.strategies == ["consensus", "diffusion"] && c.batch == TrainingConfig().batch)
    do {
      _ = try TrainingConfig.load(file: bad.path)
      Issue.record("unknown key accepted")
    } catch let error as FlatlandError {
      #expect(error.message.contains("'learning_rate'"))
    }
  }
}
