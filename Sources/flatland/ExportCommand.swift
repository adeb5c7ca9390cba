import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments

/// `flatland export`: a checkpoint's parameters at its centroid or one agent as `.npy` tensors
/// in PyTorch's layout plus `manifest.json`, for use in NumPy or PyTorch.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a checkpoint's parameters as one .npy per tensor (PyTorch layout) plus manifest.json.")

  @Argument(help: "A strategy run folder (holding checkpoint.bin) or a checkpoint file.")
  var target: String

  @Option(help: "Output folder for the .npy files and manifest.json (must not hold a manifest yet).")
  var npy: String

  @Option(help: "centroid (the agents' mean) or an agent index K.")
  var agent = "centroid"

  @Flag(help: "Print the manifest as JSON.")
  var json = false

  func validate() throws {
    guard (try? Checkpoint.Point(parsing: agent)) != nil else {
      throw FlatlandError.invalid("--agent", agent, accepted: "centroid or an agent index 0, 1, 2, ...")
    }
  }

  func run() throws {
    let (checkpoint, path) = try OpenedRun.openCheckpoint(target)
    let manifest = try TensorExport.write(checkpoint, path: path, point: try Checkpoint.Point(parsing: agent), to: npy)
    if json {
      try printJSON(manifest)
    } else {
      print(
        "wrote \(manifest.tensors.count) tensors (\(manifest.parameterCount ?? 0) parameters) of "
          + "\(manifest.model) at \(manifest.point ?? agent) to \(npy)"
      )
    }
  }
}
