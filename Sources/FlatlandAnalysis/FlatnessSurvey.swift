import FlatlandCore
import FlatlandMeasures
import Foundation

/// Flatness at a run's centroid and at a selection of its agents, with each scalar measure's
/// mean, standard deviation, minimum and maximum over those agents.
public struct FlatnessSurvey: Codable, Sendable, Equatable {
  /// `centroid`, `all` or `sample:N`.
  public var selection: String
  public var centroid: PointFlatness
  public var agents: [PointFlatness]
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
    spread = try Dictionary(
      uniqueKeysWithValues: Set(measured.flatMap { $0.scalars.keys }).map { key in
        (key, try Spread(measured.compactMap { $0.scalars[key] }))
      })
  }

  /// Every point measured, the centroid first.
  public var points: [PointFlatness] { [centroid] + agents }

  /// Terminal lines: one per point, then one per measure's spread over the agents.
  public var summary: [String] {
    points.map(\.summary)
      + spread.keys.sorted().map { key in
        let s = spread[key]!
        return "\(key) over \(s.count) agents: mean \(s.mean) std \(s.std) min \(s.min) max \(s.max)"
      }
  }

  /// Writes `density-centroid.csv`, `density-agent-K.csv` into `folder`; returns the paths.
  @discardableResult
  public func writeDensities(to folder: String) throws -> [String] {
    try OutputFolder.create(folder)
    return try points.compactMap { p in
      guard let d = p.density else { return nil }
      let path = folder + "/density-" + p.point.replacingOccurrences(of: " ", with: "-") + ".csv"
      try OutputFolder.write(d.csv, to: path)
      return path
    }
  }
}
