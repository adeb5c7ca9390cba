import ArgumentParser
import FlatlandAnalysis
import FlatlandCore
import FlatlandMeasures

/// `flatland landscape`: the loss around a run's centroid along filter-normalized random
/// directions (Li et al. 2018), or along the segment to another run's centroid.
struct LandscapeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "landscape",
    abstract: "Loss landscape around a run's centroid: 1-D or 2-D slices, or interpolation to another run.")

  @Argument(help: "A strategy run folder (holding checkpoint.bin) or a checkpoint file.")
  var target: String

  @Option(help: "1 or 2 random filter-normalized directions.")
  var dims = 1

  @Option(help: "Interpolate from this run's centroid to OTHER's instead (a run folder or checkpoint).")
  var between: String?

  @Option(help: "Output folder for landscape.csv and landscape.svg.")
  var out: String

  @Option(help: "Data spec (default: the run's training set; required for a checkpoint outside a run folder).")
  var dataset: String?

  @Option(parsing: .unconditional, help: "Use the first N samples.")
  var samples = 2048

  @Option(parsing: .unconditional, help: "Grid points per axis.")
  var points = 21

  @Option(help: "Seed for the directions.")
  var seed: UInt64 = 0

  @Flag(help: "Replace landscape.csv and landscape.svg when --out already holds them.")
  var force = false

  func validate() throws {
    guard dims == 1 || dims == 2 else { throw FlatlandError.invalid("--dims", dims, accepted: "1 or 2") }
    guard points >= 2 else { throw FlatlandError.invalid("--points", points, accepted: "at least 2") }
    guard samples > 0 else { throw FlatlandError.invalid("--samples", samples, accepted: "a positive integer") }
    try Landscape.checkGrid(points: points, dimensions: between == nil ? dims : 1)
    if !force {
      try AtomicFile.refuseOverwriting(
        [out + "/landscape.csv", out + "/landscape.svg"], remedy: "choose another --out, or pass --force to replace it")
    }
  }

  func run() throws {
    let run = try OpenedRun(target, dataset: dataset, samples: samples)
    let grid =
      try between.map { try RunLandscape.interpolation(run, to: $0, points: points) }
      ?? RunLandscape.slice(run, dims: dims, points: points, seed: seed)
    try OutputFolder.create(out)
    try grid.writeCSV(to: out + "/landscape.csv")
    try grid.writeSVG(to: out + "/landscape.svg", title: "\(target)")
    print("wrote \(out)/landscape.csv and \(out)/landscape.svg")
  }
}
