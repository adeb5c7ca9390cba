import FlatlandCore
import FlatlandExperiments
import FlatlandMeasures
import FlatlandTopology
import Foundation

/// What the report draws beyond the protocols' numbers, measured once when an experiment
/// ends so `flatland report` can rebuild the page from `results.json` alone: training curves
/// over seeds, and per strategy the spectral density and a 1-D landscape slice at the
/// centroid of one large-batch run, and the topology drawing.
public struct ReportFigures: Codable, Sendable, Equatable {
  /// A metric along training for one strategy and batch, mean and interval over seeds.
  public struct Curve: Codable, Sendable, Equatable {
    public var strategy: String
    public var batch: Int
    public var iterations: [Int]
    public var testAccuracy: [MeanInterval]
    public var trainLoss: [MeanInterval]

    enum CodingKeys: String, CodingKey {
      case strategy, batch, iterations
      case testAccuracy = "test_accuracy"
      case trainLoss = "train_loss"
    }
  }

  /// The density and the landscape slice at one run's centroid.
  public struct StrategyShape: Codable, Sendable, Equatable {
    public var strategy: String
    /// The run measured, relative to the experiment's folder.
    public var run: String
    public var density: DensityReport
    public var landscape: LandscapeGrid
  }

  public var curves: [Curve]
  public var shapes: [StrategyShape]
  /// The sweep's first topology drawn as SVG.
  public var topologySVG: String
  public var topology: String

  enum CodingKeys: String, CodingKey {
    case curves, shapes, topology
    case topologySVG = "topology_svg"
  }

  /// Measures the figures of a finished sweep in `root`.
  public static func measure(_ sweep: SweepResults, root: String) throws -> ReportFigures {
    var curves: [Curve] = []
    var seen = Set<String>()
    for run in sweep.runs where seen.insert("\(run.strategy)|\(run.batch)").inserted {
      let members = sweep.runs.filter {
        $0.strategy == run.strategy && $0.batch == run.batch && $0.topology == run.topology
          && $0.partition == run.partition
      }
      let logs = try members.map { try MetricsRecord.read(folder: URL(fileURLWithPath: root + "/" + $0.folder)) }
      let n = logs.map(\.count).min() ?? 0
      curves.append(
        Curve(
          strategy: run.strategy, batch: run.batch, iterations: (0..<n).map { logs[0][$0].iteration },
          testAccuracy: try (0..<n).map { i in try MeanInterval(logs.map { $0[i].testAccuracyCentroid }) },
          trainLoss: try (0..<n).map { i in try MeanInterval(logs.map { $0[i].trainLossCentroid }) }))
    }
    let large = sweep.runs.map(\.batch).max() ?? 0
    var shapes: [StrategyShape] = []
    for strategy in sweep.plan.strategies {
      guard let run = sweep.runs.first(where: { $0.strategy == strategy && $0.batch == large }) else { continue }
      let opened = try OpenedRun(root + "/" + run.folder, samples: min(1024, sweep.plan.measureSamples))
      var density = DensitySettings()
      (density.probes, density.steps, density.points) = (2, 30, 256)
      shapes.append(
        StrategyShape(
          strategy: strategy, run: run.folder,
          density: DensityReport(try density.estimate(opened.objective, at: opened.centroid, seed: run.seed)),
          landscape: try RunLandscape.slice(opened, dims: 1, points: 21, seed: run.seed)))
    }
    let base = sweep.plan.base
    let topology = sweep.plan.topologies.first ?? base.topology
    let rule = try base.weights.map(WeightRule.init(parsing:)) ?? Topology.defaultWeights(for: topology)
    let a = try Topology.parse(topology, agents: base.agents, weights: rule, seed: base.seed).matrix(at: 0)
    return ReportFigures(
      curves: curves, shapes: shapes, topologySVG: TopologyDrawing.svg(a, name: topology), topology: topology)
  }
}
