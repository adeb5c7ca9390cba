import FlatlandCore

/// One cell of a sweep: a strategy at one (batch, topology, partition), each metric's mean
/// and 95% interval over the seeds.
public struct SweepCell: Codable, Sendable, Equatable {
  public var strategy: String
  public var batch: Int
  public var topology: String
  public var partition: String
  /// Keyed by `SweepRun.metrics` names, and `test_accuracy_swa` when every run keeps an SWA
  /// average.
  public var metrics: [String: MeanInterval]

  /// The cells of `runs`, in the order their first run appears.
  public static func cells(_ runs: [SweepRun]) throws -> [SweepCell] {
    var order: [String] = []
    var groups: [String: [SweepRun]] = [:]
    for r in runs {
      let key = "\(r.strategy)|\(r.batch)|\(r.topology)|\(r.partition)"
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(r)
    }
    return try order.map { key in
      let members = groups[key]!
      let first = members[0]
      var metrics: [String: MeanInterval] = [:]
      for (name, value) in SweepRun.metrics { metrics[name] = try MeanInterval(members.map(value)) }
      let swa = members.compactMap(\.testAccuracySWA)
      if swa.count == members.count { metrics["test_accuracy_swa"] = try MeanInterval(swa) }
      return SweepCell(
        strategy: first.strategy, batch: first.batch, topology: first.topology, partition: first.partition,
        metrics: metrics)
    }
  }
}
