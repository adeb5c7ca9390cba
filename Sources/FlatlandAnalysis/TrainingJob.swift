import FlatlandCore
import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation

/// Every strategy of one `train` config, in process, into `config.out`, so that an
/// interrupted job continues where it stopped: a strategy with a `summary.json` is done and
/// is read back, one with a checkpoint resumes from it, the others start fresh.
public enum TrainingJob {
  /// Trains what is not yet done and returns every strategy's summary, in config order.
  /// - Parameters:
  ///   - config: the `train` config; its strategies run in order into `config.out`.
  ///   - threads: worker threads of the in-process engine (results do not depend on it).
  ///   - progress: called after each iteration of each strategy that runs.
  /// - Throws: `FlatlandError` when `config.out` holds a run of another config, or for
  ///   anything training throws.
  public static func run(
    _ config: TrainingConfig, threads: Int = availableCores, progress: (TrainingProgress) -> Void = { _ in }
  ) throws -> [RunSummary] {
    let root = URL(fileURLWithPath: config.out)
    let stored = try? RunFolder.storedConfig(config.out)
    if let stored, let key = RunFolder.firstDifference(stored, config) {
      throw FlatlandError(
        .invalidArgument, "folder '\(config.out)' holds a run made with a different config: '\(key)' differs")
    }
    let experiment = try Experiment(config, threads: threads)
    try RunFolder.prepare(root, config: config, resuming: stored != nil)
    return try config.strategyVariants().map { variant in
      let folder = root.appendingPathComponent(variant.label)
      if let done = finished(folder) { return done }
      let run = try StrategyRun(
        experiment: experiment, strategy: Strategy(variant.kind, localSteps: config.localSteps), variant: variant,
        folder: folder,
        communicator: InProcessCommunicator(agents: config.agents, threads: experiment.threads), resume: true)
      return try run.run(progress: progress)
    }
  }

  /// The summary of a strategy folder whose run has finished, if it has.
  public static func finished(_ folder: URL) -> RunSummary? {
    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("summary.json").path) else {
      return nil
    }
    return try? JSONDecoder().decode(RunSummary.self, from: data)
  }
}
