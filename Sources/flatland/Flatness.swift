import ArgumentParser
import FlatlandAnalysis
import FlatlandCore

/// `flatland flatness`: Hessian spectrum, trace, eigenvalue density, sharpness and PAC-Bayes σ
/// of a trained run's centroid (and of every agent, or of a seeded sample of agents).
struct Flatness: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Measure flatness at a run's centroid or agents: eigenvalues, trace, density, sharpness, PAC-Bayes σ."
  )

  @Argument(help: "A strategy run folder (holding checkpoint.bin) or a checkpoint file.")
  var target: String

  @Option(help: "Comma-separated measures: eig, trace, density, sharpness, pacbayes.")
  var measures = "eig,trace,sharpness"

  @Option(help: "Data spec (default: the run's training set; required for a checkpoint outside a run folder).")
  var dataset: String?

  @Option(help: "Use the first N samples.")
  var samples = 2048

  @Option(help: "Points: \(PointSelection.accepted); with several, JSON adds each measure's spread over the agents.")
  var agents: PointSelection = .centroid

  @Option(help: "Number of top eigenvalues.")
  var top = 1

  @Option(help: "Perturbation radius ρ for sharpness.")
  var rho = 0.05

  @Option(help: "Relative tolerance of eigenvalues and trace.")
  var tolerance = 1e-3

  @Option(help: "Loss increase that defines the PAC-Bayes σ (with --measures pacbayes).")
  var pacBayesThreshold = 0.1

  @Option(help: "Seed for probes, perturbations and the agent sample.")
  var seed: UInt64 = 0

  @OptionGroup(title: "Spectral density")
  var density: DensityOptions

  @Option(help: "Folder for the density as CSV, one density-POINT.csv per point (with --measures density).")
  var out: String?

  @Flag(help: "Print JSON.")
  var json = false

  @Flag(help: "Replace density CSV files that --out already holds.")
  var force = false

  func validate() throws {
    guard samples > 0 else { throw FlatlandError.invalid("--samples", samples, accepted: "a positive integer") }
    let s = try settings()
    try s.validate()
    if out != nil, !s.measures.contains(.density) {
      throw ValidationError("--out writes the spectral density: add density to --measures (got '\(measures)')")
    }
    if let out, !force { try FlatnessSurvey.refuseOverwriting(in: out, points: ["centroid"]) }
  }

  func settings() throws -> FlatnessSettings {
    var s = FlatnessSettings()
    s.measures = try FlatnessSettings.parseMeasures(measures)
    (s.top, s.rho, s.tolerance, s.seed, s.pacBayesThreshold) = (top, rho, tolerance, seed, pacBayesThreshold)
    s.density = density.settings
    return s
  }

  func run() throws {
    let run = try OpenedRun(target, dataset: dataset, samples: samples)
    let survey = try FlatnessSurvey(run, selection: agents, settings: try settings())
    if let out { try survey.writeDensities(to: out, force: force) }
    if agents == .centroid {
      try output(survey.centroid, json: json, text: survey.centroid.summary)
    } else {
      try output(survey, json: json, text: survey.summary.joined(separator: "\n"))
    }
  }
}
