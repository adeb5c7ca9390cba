import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments

/// `flatland escape`: every strategy from a local minimum w*, recorded on log-spaced iterations.
struct EscapeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "escape",
    abstract: "Escape protocol: run each strategy from a local minimum and record how it leaves it.")

  @Option(
    help: "The minimum w*: RUN|CHECKPOINT[,agent=K|centroid] (default: found by large-batch centralized training).")
  var from: String?

  @Option(help: "Per-agent batch of the search for w* (without --from).")
  var findBatch = 256

  @Option(help: "Iterations of the search for w* (without --from).")
  var findIterations = 300

  @Option(help: "R, repetitions (sampling seeds).")
  var repetitions = 3

  @Option(help: "λ_max by Lanczos every M iterations (0: never).")
  var lambdaEvery = 100

  @Option(help: "h: escaped once J(w̄) − J(w*) > h.")
  var lossThreshold = 0.05

  @Option(help: "Samples of the fixed training subset J averages over.")
  var subset = 1024

  @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
  var threads: Int?

  @Flag(help: "Print the results as JSON.")
  var json = false

  @OptionGroup var options: TrainingOptions

  func run() throws {
    var plan = EscapePlan(base: options.apply(to: TrainingConfig()))
    if let s = options.strategies { plan.strategies = s }
    plan.from = from
    (plan.findBatch, plan.findIterations, plan.repetitions) = (findBatch, findIterations, repetitions)
    (plan.lambdaEvery, plan.lossThreshold, plan.samples) = (lambdaEvery, lossThreshold, subset)
    plan.iterations = options.iterations ?? plan.iterations
    try plan.validate()
    let root = plan.base.out
    try ExperimentFolder.claim(root, for: plan)
    let results = try EscapeExperiment.run(plan, root: root, threads: threads ?? availableCores, log: log)
    try OutputFolder.writeJSON(results, to: root + "/escape.json")
    try output(results, json: json, text: ExperimentText.escape(results) + "\nwrote \(root)/escape.json")
  }
}
