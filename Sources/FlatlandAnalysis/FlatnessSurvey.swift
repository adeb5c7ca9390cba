import FlatlandCore
import FlatlandMeasures
import Foundation

/// Flatness at a run's centroid and at a selection of its agents (with each scalar measure's
/// mean, standard deviation, minimum and maximum over those agents), or at its centroid and its
/// stochastic weight average.
public struct FlatnessSurvey: Codable, Sendable, Equatable {
  /// `centroid`, `all` or `sample:N`.
  public var selection: String
  public var centroid: PointFlatness
  public var agents: [PointFlatness]
  /// The SWA average, when the selection is `swa`.
  public var swa: PointFlatness?
  /// Keyed like the points' measures: loss, gradient_norm, lambda_max, trace, sharpness_avg, ...
  public var spread: [String: Spread]

  /// Measures `run` at its centroid and at the agents `selection` picks (a sample is drawn by
  /// the settings' seed), every point with the same probes.
  public init(_ run: OpenedRun, selection: PointSelection, settings: FlatnessSettings) throws {
    try settings.validate()
    let dimension = run.objective.dimension
    guard settings.top <= dimension else {
      throw FlatlandError.invalid("--top", settings.top, accepted: "1 ≤ k ≤ \(dimension), the model's parameter count")
    }
    self.selection = selection.description
    centroid = try PointFlatness(run.objective, at: run.centroid, point: "centroid", agent: nil, settings: settings)
    let measured = try selection.agents(of: run.agents, seed: settings.seed).map { k in
      try PointFlatness(run.objective, at: run.agent(k), point: "agent \(k)", agent: k, settings: settings)
    }
    agents = measured
    swa =
      selection == .swa
      ? try PointFlatness(
        run.objective, at: run.checkpoint.parameters(at: .swa), point: "swa", agent: nil, settings: settings)
      : nil
    spread = try Dictionary(
      uniqueKeysWithValues: Set(measured.flatMap { $0.scalars.keys }).map { key in
        (key, try Spread(measured.compactMap { $0.scalars[key] }))
      })
  }

  /// Every point measured, the centroid first.
  public var points: [PointFlatness] { [centroid] + agents + (swa.map { [$0] } ?? []) }

  /// Terminal lines: one per point, then one per measure's spread over the agents.
  public var summary: [String] {
    points.map(\.summary)
      + spread.keys.sorted().map { key in
        let s = spread[key]!
        return "\(key) over \(s.count) agents: mean \(s.mean) std \(s.std) min \(s.min) max \(s.max)"
      }
  }

  /// Writes `density-centroid.csv`, `density-agent-K.csv` into `folder`; returns the paths.
  /// - Throws: `FlatlandError` before writing anything when one of the files exists and
  ///   `force` is false, or naming a file that cannot be written.
  @discardableResult
  public func writeDensities(to folder: String, force: Bool = false) throws -> [String] {
    let measured = points.filter { $0.density != nil }
    if !force { try Self.refuseOverwriting(in: folder, points: measured.map(\.point)) }
    try OutputFolder.create(folder)
    return try measured.map { p in
      let path = Self.densityPath(in: folder, point: p.point)
      try OutputFolder.write(p.density!.csv, to: path)
      return path
    }
  }

  /// Throws, naming the file, when `folder` already holds the density file of one of `points`
  /// (`centroid`, `agent K`).
  public static func refuseOverwriting(in folder: String, points: [String]) throws {
    try AtomicFile.refuseOverwriting(
      points.map { densityPath(in: folder, point: $0) }, remedy: "choose another --out, or pass --force to replace it")
  }

  static func densityPath(in folder: String, point: String) -> String {
    folder + "/density-" + point.replacingOccurrences(of: " ", with: "-") + ".csv"
  }
}
