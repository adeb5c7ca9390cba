import FlatlandAnalysis
import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation

/// A 4-agent diffusion run of mlp:8 on a small synthetic set, trained once through the
/// library into a `train`-style folder (config.json at the top, the strategy below it).
enum TrainedRun {
  static let dataset = "synthetic:gaussians:4,10,n=800,test=200"

  /// The strategy folder `ROOT/diffusion`.
  static let folder: String = {
    let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("flatland-analysis-\(UUID())")
    var c = TrainingConfig()
    (c.dataset, c.model, c.agents, c.batch, c.lr, c.iterations) = (dataset, "mlp:8", 4, 8, 0.2, 60)
    (c.strategies, c.evalSamples, c.agentEvalSamples, c.out) = (["diffusion"], 200, 100, root.path)
    do {
      let e = try Experiment(c, threads: 2)
      try RunFolder.prepare(root, config: c, resuming: false)
      let folder = root.appendingPathComponent("diffusion")
      let run = try StrategyRun(
        experiment: e, strategy: Strategy(.diffusion), folder: folder,
        communicator: InProcessCommunicator(agents: 4, threads: 2), resume: false)
      try run.run { _ in }
      return folder.path
    } catch {
      fatalError("fixture run failed: \(error)")
    }
  }()

  static func opened(samples: Int = 200) throws -> OpenedRun { try OpenedRun(folder, samples: samples) }
}
