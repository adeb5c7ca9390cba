import ArgumentParser
import FlatlandAnalysis
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

  @Option(
    help: ArgumentHelp(
      "Worker threads (default: all cores; under MPI, per rank: its share of the machine's cores). Results do "
        + "not depend on it.")
  )
  var threads: Int?

  @Option(
    help: ArgumentHelp(
      "Engine: inprocess (all agents in this process) or mpi (agents split over the ranks of mpirun). Results do "
        + "not depend on it.")
  )
  var engine: EngineKind = .inprocess

  @Flag(help: "Print the run summaries as JSON.")
  var json = false

  @Flag(help: "Train into an occupied --out: replace its config.json and restart the strategies given.")
  var force = false

  @OptionGroup var options: TrainingOptions

  func validate() throws {
    if let threads, threads < 1 { throw FlatlandError.invalid("--threads", threads, accepted: "at least 1") }
    if force, resume != nil {
      throw FlatlandError(
        .invalidArgument, "--force starts the runs over, --resume continues them: give at most one")
    }
  }

  /// Under MPI every rank runs this and every failure is agreed on by all ranks: rank 0
  /// prints it, then the ranks finish together (so `mpirun` cannot stop rank 0 before it has
  /// printed) and all exit non-zero.
  func run() throws {
    StopRequest.shared.installSignalHandlers()
    guard engine == .mpi else {
      do {
        return try train(world: nil)
      } catch let error as FlatlandError where error.kind == .interrupted {
        FileHandle.standardError.write(Data("\(error.message)\n".utf8))
        throw ExitCode(128 + (StopRequest.shared.signal ?? SIGINT))
      }
    }
    let world = try MPIEnvironment()
    defer { world.finalize() }
    do {
      try train(world: world)
    } catch {
      if world.rank == 0 { FileHandle.standardError.write(Data((Self.fullMessage(for: error) + "\n").utf8)) }
      world.barrier()
      throw ExitCode.failure
    }
  }

  private func train(world: MPIEnvironment?) throws {
    let (cfg, resuming, experiment, communicator) = try agreed(world) {
      let (cfg, resuming) = try resolveConfig()
      let experiment = try Experiment(cfg, threads: threads ?? world?.coresPerRank ?? availableCores)
      let communicator: Communicator =
        try world.map { try MPICommunicator($0, agents: cfg.agents, threads: experiment.threads) }
        ?? InProcessCommunicator(agents: cfg.agents, threads: experiment.threads)
      if communicator.isReporter {
        try RunFolder.prepare(URL(fileURLWithPath: cfg.out), config: cfg, resuming: resuming, force: force)
      }
      return (cfg, resuming, experiment, communicator)
    }
    let root = URL(fileURLWithPath: cfg.out)
    let reporter = communicator.isReporter ? ProgressReporter() : nil
    var summaries: [RunSummary] = []
    for variant in try cfg.strategyVariants() {
      let folder = root.appendingPathComponent(variant.label)
      let run = try communicator.agree {
        try StrategyRun(
          experiment: experiment, strategy: Strategy(variant.kind, localSteps: cfg.localSteps), variant: variant,
          folder: folder, communicator: communicator, resume: resuming)
      }
      run.stop = StopRequest.shared
      if run.startsOver, communicator.isReporter {
        FileHandle.standardError.write(
          Data("\(variant.label): no checkpoint in '\(folder.path)' to resume from: it starts at iteration 0\n".utf8))
      }
      summaries.append(try run.run { reporter?.report($0) })
      reporter?.finish()
    }
    guard communicator.isReporter else { return }
    try output(summaries, json: json, text: RunSummary.table(summaries, folder: cfg.out))
  }

  /// `body` on every MPI rank with the outcome agreed (see `MPIEnvironment.agree`), or simply
  /// `body` without MPI.
  private func agreed<R>(_ world: MPIEnvironment?, _ body: () throws -> R) throws -> R {
    guard let world else { return try body() }
    return try world.agree(body)
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
      throw FlatlandError(
        .invalidArgument, "resume folder '\(resume)' was made with a different config: '\(key)' differs")
    }
    return (stored, true)
  }
}
