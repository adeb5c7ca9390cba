import ArgumentParser
import FlatlandCore
import FlatlandExperiments
import Foundation

/// `flatland import`: `.npy` tensors and their `manifest.json` (from `flatland export`, or
/// written for a model trained elsewhere) into a one-agent checkpoint that `flatland flatness`
/// and `flatland landscape` measure.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Read .npy tensors and manifest.json (PyTorch layout) into a checkpoint file.")

  @Argument(help: "Folder holding manifest.json and the .npy files it names.")
  var directory: String

  @Option(help: "Checkpoint file to write (must not exist yet).")
  var out: String

  @Flag(help: "Print JSON.")
  var json = false

  struct Report: Encodable {
    var checkpoint: String
    var model: String
    var parameterCount: Int
    var tensors: Int

    enum CodingKeys: String, CodingKey {
      case checkpoint, model, tensors
      case parameterCount = "parameter_count"
    }
  }

  func run() throws {
    guard !FileManager.default.fileExists(atPath: out) else {
      throw FlatlandError(.invalidArgument, "checkpoint '\(out)' already exists: choose another --out")
    }
    let checkpoint = try TensorExport.read(from: directory)
    try checkpoint.write(to: out)
    let network = try checkpoint.network(path: out)
    let report = Report(
      checkpoint: out, model: network.name, parameterCount: network.parameterCount,
      tensors: network.layout.tensors.count)
    if json {
      try printJSON(report)
    } else {
      print("wrote \(out): \(report.model), \(report.tensors) tensors, \(report.parameterCount) parameters")
    }
  }
}
