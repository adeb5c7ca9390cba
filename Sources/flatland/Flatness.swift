import ArgumentParser
import FlatlandMeasures
import Foundation

/// `flatland flatness`: Hessian spectrum, trace and sharpness of a trained run's centroid (or
/// each agent) on its training data.
struct Flatness: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Measure flatness at a run's centroid or agents: top eigenvalues, trace, sharpness.")

  enum Measure: String, CaseIterable { case eig, trace, sharpness }
  enum Agents: String, ExpressibleByArgument { case centroid, all }

  @Argument(help: "A strategy run folder (holding checkpoint.bin) or a checkpoint file.")
  var target: String

  @Option(help: "Comma-separated measures: eig, trace, sharpness.")
  var measures = "eig,trace,sharpness"

  @Option(help: "Data spec (default: the run's training set).")
  var dataset: String?

  @Option(help: "Use the first N samples.")
  var samples = 2048

  @Option(help: "centroid or all (every agent).")
  var agents: Agents = .centroid

  @Option(help: "Number of top eigenvalues.")
  var top = 1

  @Option(help: "Perturbation radius ρ for sharpness.")
  var rho = 0.05

  @Option(help: "Relative tolerance of eigenvalues and trace.")
  var tolerance = 1e-3

  @Option(help: "Seed for probes and perturbations.")
  var seed: UInt64 = 0

  @Flag(help: "Print JSON.")
  var json = false

  struct Report: Codable {
    var point: String
    var lambdaMax: Double?
    var topEigenvalues: [Double]?
    var trace: Double?
    var traceStderr: Double?
    var sharpnessAvg: Double?
    var sharpnessWorst: Double?
    var loss: Double
    var hvps: Int
    enum CodingKeys: String, CodingKey {
      case point, trace, loss, hvps
      case lambdaMax = "lambda_max"
      case topEigenvalues = "top_eigenvalues"
      case traceStderr = "trace_stderr"
      case sharpnessAvg = "sharpness_avg"
      case sharpnessWorst = "sharpness_worst"
    }
  }

  func validate() throws {
    guard samples > 0 else { throw ValidationError("--samples must be positive (got \(samples))") }
    guard rho > 0 else { throw ValidationError("--rho must be positive (got \(rho))") }
    guard top > 0 else { throw ValidationError("--top must be positive (got \(top))") }
    for m in measures.split(separator: ",") where Measure(rawValue: String(m)) == nil {
      throw ValidationError("unknown measure '\(m)': expected eig, trace or sharpness")
    }
  }

  func run() throws {
    let measured = try MeasuredRun(target, dataset: dataset, samples: samples)
    let objective = measured.objective
    let rows = measured.checkpoint.parameters.rows
    let points: [(String, [Float])] = agents == .all
      ? rows.enumerated().map { ("agent \($0.offset)", $0.element) }
      : [("centroid", measured.centroid)]
    let chosen = Set(measures.split(separator: ",").compactMap { Measure(rawValue: String($0)) })
    var reports: [Report] = []
    for (name, w) in points {
      var r = Report(point: name, loss: try objective.checkedLoss(at: w), hvps: 0)
      if chosen.contains(.eig) {
        let s = try HessianSpectrum.lanczos(objective, at: w, k: top, tolerance: tolerance, seed: seed)
        (r.lambdaMax, r.topEigenvalues, r.hvps) = (s.lambdaMax, s.topEigenvalues, r.hvps + s.hvps)
      }
      if chosen.contains(.trace) {
        let t = try HessianTrace.hutchinson(objective, at: w, tolerance: max(tolerance, 1e-2), seed: seed)
        (r.trace, r.traceStderr, r.hvps) = (t.trace, t.standardError, r.hvps + t.hvps)
      }
      if chosen.contains(.sharpness) {
        r.sharpnessAvg = try Sharpness.averageDirection(objective, at: w, rho: rho, seed: seed).value
        r.sharpnessWorst = try Sharpness.worstCase(objective, at: w, rho: rho, seed: seed).value
      }
      reports.append(r)
    }
    if json {
      try printJSON(agents == .centroid ? AnyEncodable(reports[0]) : AnyEncodable(reports))
    } else {
      for r in reports {
        print("\(r.point): loss \(r.loss)  λ_max \(r.lambdaMax.map { "\($0)" } ?? "-")  trace \(r.trace.map { "\($0) ± \(r.traceStderr ?? 0)" } ?? "-")  sharpness avg \(r.sharpnessAvg.map { "\($0)" } ?? "-") worst \(r.sharpnessWorst.map { "\($0)" } ?? "-")  (\(r.hvps) HVPs)")
      }
    }
  }
}

/// Type-erases one Encodable for `printJSON`.
struct AnyEncodable: Encodable {
  let value: any Encodable
  init(_ value: any Encodable) { self.value = value }
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
