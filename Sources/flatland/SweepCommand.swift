import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
import FlatlandEngines
import FlatlandExperiments

/// `flatland sweep`: strategies × batches × topologies × partitions × seeds, resumable.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Trade-off sweep: train a grid of runs, measure accuracy, optimization error and flatness, fit them.")

  @Option(help: "Sweep file (YAML or JSON: base, strategies, batches, topologies, partitions, seeds, scale_lr).")
  var config: String?

  @Option(help: "Per-agent batches, comma-separated (e.g. 16,64,256).")
  var batches: String?

  @Option(help: "Topologies, comma-separated.")
  var topologies: String?

  @Option(help: "Partitions, comma-separated (iid, dirichlet:ALPHA).")
  var partitions: String?

  @Option(help: "Seeds, comma-separated.")
  var seeds: String?

  @Flag(help: "Scale μ linearly with the batch, from --lr at the smallest batch.")
  var scaleLr = false

  @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
  var threads: Int?

  @Option(help: "Engine: inprocess, or mpi (under mpirun, the ranks split the grid; rank 0 collects and writes).")
  var engine: EngineKind = .inprocess

  @Flag(help: "Print the results as JSON.")
  var json = false

  @OptionGroup var options: TrainingOptions

  func plan() throws -> SweepPlan {
    var plan = try config.map(SweepPlan.load(file:)) ?? SweepPlan()
    plan.base = options.apply(to: plan.base)
    if let s = options.strategies { plan.strategies = s }
    if let batches { plan.batches = try list(batches, "--batches") }
    if let topologies { plan.topologies = topologies.split(separator: ",").map(String.init) }
    if let partitions { plan.partitions = partitions.split(separator: ",").map(String.init) }
    if let seeds { plan.seeds = try list(seeds, "--seeds") }
    if scaleLr { plan.scaleLR = true }
    return plan
  }

  func run() throws {
    let plan = try plan()
    try plan.preflight()
    let root = plan.base.out
    var threads = threads ?? availableCores
    if engine == .mpi {
      let world = try MPIEnvironment()
      defer { world.finalize() }
      threads = self.threads ?? world.coresPerRank
      do {
        try world.agree { if world.rank == 0 { try ExperimentFolder.claim(root, for: plan) } }
        world.barrier()
        _ = try Sweep.run(plan, root: root, threads: threads, share: (world.rank, world.size), log: log)
      } catch {
        if world.rank == 0 { log(Self.fullMessage(for: error)) }
        world.barrier()
        throw ExitCode.failure
      }
      world.barrier()
      guard world.rank == 0 else { return }
    } else {
      try ExperimentFolder.claim(root, for: plan)
    }
    let results = try Sweep.run(plan, root: root, threads: threads, log: log)
    try OutputFolder.write(results.runsCSV, to: root + "/runs.csv")
    try OutputFolder.write(results.cellsCSV, to: root + "/cells.csv")
    try OutputFolder.writeJSON(results, to: root + "/sweep.json")
    try output(
      results, json: json, text: ExperimentText.cells(results) + "\nwrote \(root)/sweep.json, runs.csv, cells.csv")
  }
}

/// Comma-separated integers, naming the flag and the bad item otherwise.
func list<T: FixedWidthInteger>(_ text: String, _ flag: String) throws -> [T] {
  try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
    guard let v = T(item.trimmingCharacters(in: .whitespaces)), v > 0 else {
      throw FlatlandError.invalid(flag, text, accepted: "positive integers separated by commas")
    }
    return v
  }
}
