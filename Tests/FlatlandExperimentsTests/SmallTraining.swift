import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation

/// The small training problem the experiments tests share: 4 agents of `mlp:16` on separable
/// synthetic Gaussians for a few iterations, and one strategy trained into a folder of its own.
enum SmallTraining {
  static func config(agents: Int = 4, iterations: Int = 12, momentum: Double = 0.5) -> TrainingConfig {
    var c = TrainingConfig()
    c.dataset = "synthetic:gaussians:4,10,n=800,test=200"
    c.model = "mlp:16"
    (c.agents, c.batch, c.lr, c.momentum, c.iterations) = (agents, 8, 0.2, momentum, iterations)
    (c.evalEvery, c.evalSamples, c.agentEvalSamples) = (4, 200, 100)
    return c
  }

  /// A fresh folder `name` under the temporary directory.
  static func folder(_ name: String) -> URL {
    URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("flatland-tests-\(UUID().uuidString)")
      .appendingPathComponent(name)
  }

  /// Trains `kind` under `c` into `url` (a fresh folder by default) and returns the final
  /// checkpoint and the summary.
  static func train(
    _ c: TrainingConfig, _ kind: StrategyKind, threads: Int = 2, localSteps: Int = 8, at url: URL? = nil,
    resume: Bool = false
  ) throws -> (Checkpoint, RunSummary) {
    let url = url ?? folder(kind.rawValue)
    let run = try StrategyRun(
      experiment: Experiment(c, threads: threads), strategy: Strategy(kind, localSteps: localSteps), folder: url,
      communicator: InProcessCommunicator(agents: c.agents, threads: threads), resume: resume)
    let summary = try run.run { _ in }
    return (try Checkpoint.read(from: url.appendingPathComponent(Checkpoint.fileName).path), summary)
  }
}
