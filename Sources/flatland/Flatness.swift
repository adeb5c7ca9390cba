import ArgumentParser
import FlatlandCore
import FlatlandMeasures
import Foundation

/// `flatland flatness`: Hessian spectrum, trace, eigenvalue density and sharpness of a trained
/// run's centroid (and of every agent, or of a seeded sample of agents) on its training data.
struct Flatness: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure flatness at a run's centroid or agents: top eigenvalues, trace, spectral density, sharpness.")

  enum Measure: String, CaseIterable { case eig, trace, density, sharpness }

  @Argument(help: "A strategy run folder (holding checkpoint.bin) or a checkpoint file.")
  var target: String

  @Option(help: "Comma-separated measures: eig, trace, density, sharpness.")
  var measures = "eig,trace,sharpness"

  @Option(help: "Data spec (default: the run's training set; required for a checkpoint outside a run folder).")
  var dataset: String?

  @Option(help: "Use the first N samples.")
  var samples = 2048

  @Option(help: "Points: \(AgentSelection.accepted); with several, JSON adds each measure's spread over the agents.")
  var agents: AgentSelection = .centroid

  @Option(help: "Number of top eigenvalues.")
  var top = 1

  @Option(help: "Perturbation radius ρ for sharpness.")
  var rho = 0.05

  @Option(help: "Relative tolerance of eigenvalues and trace.")
  var tolerance = 1e-3

  @Option(help: "Seed for probes, perturbations and the agent sample.")
  var seed: UInt64 = 0

  @OptionGroup(title: "Spectral density")
  var density: DensityOptions

  @Option(help: "Folder for the density as CSV, one density-POINT.csv per point (with --measures density).")
  var out: String?

  @Flag(help: "Print JSON.")
  var json = false

  func validate() throws {
    guard samples > 0 else { throw ValidationError("invalid --samples '\(samples)': expected a positive integer") }
    guard rho > 0, rho.isFinite else {
      throw ValidationError("invalid --rho '\(rho)': expected a positive finite radius such as 0.05")
    }
    guard top > 0 else { throw ValidationError("invalid --top '\(top)': expected a positive integer") }
    guard tolerance > 0, tolerance.isFinite else {
      throw ValidationError("invalid --tolerance '\(tolerance)': expected a positive number such as 1e-3")
    }
    let chosen = try chosenMeasures()
    if out != nil, !chosen.contains(.density) {
      throw ValidationError("--out writes the spectral density: add density to --measures (got '\(measures)')")
    }
  }

  func chosenMeasures() throws -> Set<Measure> {
    let names = measures.split(separator: ",", omittingEmptySubsequences: false)
    let parsed = names.compactMap { Measure(rawValue: String($0)) }
    guard !names.isEmpty, parsed.count == names.count else {
      throw ValidationError(
        "invalid --measures '\(measures)': expected a comma-separated list of eig, trace, density, sharpness")
    }
    return Set(parsed)
  }

  func run() throws {
    let run = try MeasuredRun(target, dataset: dataset, samples: samples)
    let parameterCount = run.objective.dimension
    guard top <= parameterCount else {
      throw FlatlandError.invalid("--top", top, accepted: "1 ≤ k ≤ \(parameterCount), the model's parameter count")
    }
    let chosen = try chosenMeasures()
    let centroid = try measure(run.centroid, point: "centroid", agent: nil, run, chosen)
    let indices: [Int]
    switch agents {
    case .centroid: indices = []
    case .all: indices = Array(0..<run.checkpoint.parameters.agents)
    case .sample(let n): indices = try AgentSample.indices(n, of: run.checkpoint.parameters.agents, seed: seed)
    }
    let agentReports = try indices.map { k in
      try measure(run.checkpoint.parameters.row(k), point: "agent \(k)", agent: k, run, chosen)
    }
    if let out { try writeDensities([centroid] + agentReports, to: out) }
    if agents == .centroid {
      if json { try printJSON(centroid) } else { print(centroid.summary) }
    } else {
      let report = try AgentsReport(selection: agents, centroid: centroid, agents: agentReports)
      if json { try printJSON(report) } else { for line in report.summary { print(line) } }
    }
  }

  /// Every chosen measure at w, with the same seed at every point (common random numbers, so
  /// differences between agents are not probe noise).
  private func measure(_ w: [Float], point: String, agent: Int?, _ run: MeasuredRun, _ chosen: Set<Measure>) throws
    -> Report
  {
    let objective = run.objective
    var r = Report(
      point: point, agent: agent, loss: try objective.checkedLoss(at: w, preparingCurvature: true), hvps: 0)
    if chosen.contains(.eig) {
      let s = try HessianSpectrum.lanczos(objective, at: w, k: top, tolerance: tolerance, seed: seed)
      (r.lambdaMax, r.topEigenvalues, r.hvps) = (s.lambdaMax, s.topEigenvalues, r.hvps + s.hvps)
    }
    if chosen.contains(.trace) {
      let t = try HessianTrace.hutchinson(objective, at: w, tolerance: max(tolerance, 1e-2), seed: seed)
      (r.trace, r.traceStderr, r.hvps) = (t.trace, t.standardError, r.hvps + t.hvps)
    }
    if chosen.contains(.density) {
      let d = try density.estimate(objective, at: w, seed: seed)
      (r.density, r.hvps) = (DensityReport(d), r.hvps + d.hvps)
    }
    if chosen.contains(.sharpness) {
      r.sharpnessAvg = try Sharpness.averageDirection(objective, at: w, rho: rho, seed: seed).value
      r.sharpnessWorst = try Sharpness.worstCase(objective, at: w, rho: rho, seed: seed).value
    }
    return r
  }

  /// `density-centroid.csv`, `density-agent-K.csv` in `folder`.
  private func writeDensities(_ reports: [Report], to folder: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw FlatlandError(.io, "cannot create output folder '\(folder)'")
    }
    for r in reports {
      guard let d = r.density else { continue }
      let path = folder + "/density-" + r.point.replacingOccurrences(of: " ", with: "-") + ".csv"
      do {
        try d.csv.write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        throw FlatlandError(.io, "cannot write '\(path)'")
      }
    }
  }
}
