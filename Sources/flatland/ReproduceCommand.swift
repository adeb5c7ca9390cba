import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
import Foundation

extension Reproduction.Preset: ExpressibleByArgument {}

/// `flatland reproduce`: the paper's escape and trade-off experiments and a verdict per claim.
struct ReproduceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reproduce",
    abstract: "Run the escape and trade-off experiments of a preset, judge the paper's claims, write the report.",
    discussion:
      "quick: Fashion-MNIST, mlp:64, K = 16 ring, 5 seeds, B = 16 and 128 (minutes on 2 cores). full: research "
      + "scale (B = 16…512, ring/exponential/complete, IID and Dirichlet, lenet5, 5 seeds). An interrupted run "
      + "continues where it stopped when given the same --out.")

  @Option(help: "quick or full.")
  var preset: Reproduction.Preset = .quick

  @Option(help: "Data set (default: fashion-mnist).")
  var dataset: String?

  @Option(help: "Model (default: mlp:64 for quick, lenet5 for full).")
  var model: String?

  @Option(help: "Output folder: results.json, runs.csv, cells.csv, report.html and every run's folder.")
  var out = "runs/reproduce"

  @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
  var threads: Int?

  @Flag(help: "Print the verdicts as JSON.")
  var json = false

  func validate() throws {
    if let threads, threads < 1 { throw FlatlandError.invalid("--threads", threads, accepted: "at least 1") }
  }

  func run() throws {
    let plan = Reproduction(preset: preset, dataset: dataset, model: model)
    let results = try plan.run(
      root: out, command: CommandLine.arguments.joined(separator: " "), versions: RunEnvironment.versions,
      threads: threads ?? availableCores, log: log)
    try output(results.verdicts, json: json, text: ExperimentText.verdicts(results, folder: out))
  }
}

/// One progress line on standard error.
func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
