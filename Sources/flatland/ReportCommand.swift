import ArgumentParser
import FlatlandAnalysis

/// `flatland report DIR`: rebuilds `DIR/report.html` from `DIR/results.json`.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Rebuild a reproduce folder's report.html from its results.json.")

  @Argument(help: "A folder written by flatland reproduce.")
  var folder: String

  func run() throws {
    let results = try ReproductionResults.read(folder: folder)
    try OutputFolder.write(try ExperimentReport.document(results).html(), to: folder + "/report.html")
    print("wrote \(folder)/report.html")
  }
}
