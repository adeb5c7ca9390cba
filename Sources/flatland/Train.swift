import ArgumentParser
import FlatlandCore
import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation

/// `flatland train`: K agents on real data with one or more strategies, side by side.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train K agents with centralized, consensus and/or diffusion strategies; one run folder per strategy.")

  @Option(help: "Experiment file (YAML or JSON); flags override it.")
  var config: String?

  @Option(help: "Continue the runs in this output folder from their checkpoints.")
  var resume: String?

  @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
  var threads: Int?

  @Flag(help: "Print the run summaries as JSON.")
  var json = false

  @OptionGroup var options: TrainingOptions

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
  }

  func run() throws {
    let (cfg, resuming) = try resolveConfig()
    let experiment = try Experiment(cfg, threads: threads ?? availableCores)
    let root = URL(fileURLWithPath: cfg.out)
    try RunFolder.prepare(root, config: cfg, resuming: resuming)
    let reporter = ProgressReporter()
    var summaries: [RunSummary] = []
    for kind in try cfg.strategyKinds() {
      let folder = root.appendingPathComponent(kind.rawValue)
      let run = try StrategyRun(
        experiment: experiment, strategy: Strategy(kind, localSteps: cfg.localSteps), folder: folder,
        communicator: InProcessCommunicator(agents: cfg.agents, threads: experiment.threads), resume: resuming)
      summaries.append(try run.run(progress: reporter.report))
      reporter.finish()
    }
    if json {
      try printJSON(summaries)
    } else {
      SummaryTable.print(summaries, folder: cfg.out)
    }
  }

  /// The config from the experiment file, then flags; for `--resume`, the stored config, which
  /// the flags may restate but not change.
  private func resolveConfig() throws -> (TrainingConfig, Bool) {
    let base = try config.map(TrainingConfig.load(file:)) ?? TrainingConfig()
    guard let resume else { return (options.apply(to: base), false) }
    let stored = try RunFolder.storedConfig(resume)
    var requested = options.apply(to: config == nil ? stored : base)
    requested.out = stored.out
    if let key = RunFolder.firstDifference(stored, requested) {
      throw FlatlandError(.invalidArgument, "resume folder '\(resume)' was made with a different config: '\(key)' differs")
    }
    return (stored, true)
  }
}
