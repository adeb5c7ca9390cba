import FlatlandCore
import FlatlandExperiments
import FlatlandStrategies
import Foundation

/// A trade-off sweep: strategies × per-agent batches × topologies × partitions × seeds. Every
/// strategy of one (batch, topology, partition, seed) starts from the same initialization and
/// sees the same data order; one μ serves all (or μ = lr · B / B₀ with `scale_lr`).
public struct SweepPlan: Codable, Sendable, Equatable {
  /// Data set, model, K, μ, run length and evaluation sizes shared by every run.
  public var base: TrainingConfig
  public var strategies: [String] = ["centralized", "consensus", "diffusion"]
  public var batches: [Int] = [16, 128]
  public var topologies: [String] = ["ring"]
  public var partitions: [String] = ["iid"]
  public var seeds: [UInt64] = [1, 2, 3]
  /// Scale μ linearly with the batch, from `base.lr` at the smallest batch.
  public var scaleLR = false
  /// Training samples the flatness measures average over.
  public var measureSamples = 2048

  public init(base: TrainingConfig = TrainingConfig()) { self.base = base }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case base, strategies, batches, topologies, partitions, seeds
    case scaleLR = "scale_lr"
    case measureSamples = "measure_samples"
  }

  /// One (batch, topology, partition, seed) of the grid: a `train` config with every strategy.
  public struct Group: Sendable, Equatable {
    public var batch: Int
    public var topology: String
    public var partition: String
    public var seed: UInt64
    public var config: TrainingConfig
    /// `b16-ring-iid-s1`: the group's folder under the sweep's `runs/`.
    public var name: String
  }

  /// The groups in a fixed order (batch, topology, partition, seed), with their configs
  /// writing into `root/runs/NAME`.
  public func groups(root: String) -> [Group] {
    let smallest = batches.min() ?? 1
    var out: [Group] = []
    for batch in batches {
      for topology in topologies {
        for partition in partitions {
          for seed in seeds {
            var c = base
            (c.strategies, c.batch, c.topology, c.partition, c.seed) = (strategies, batch, topology, partition, seed)
            if scaleLR { c.lr = base.lr * Double(batch) / Double(smallest) }
            let name = "b\(batch)-\(Self.slug(topology))-\(Self.slug(partition))-s\(seed)"
            c.out = root + "/runs/" + name
            out.append(Group(batch: batch, topology: topology, partition: partition, seed: seed, config: c, name: name))
          }
        }
      }
    }
    return out
  }

  /// Every value that no run could use, before any work: the lists, and each group's config
  /// (so a bad strategy, topology or partition names itself).
  public func validate() throws {
    func nonEmpty(_ name: String, _ count: Int) throws {
      guard count > 0 else { throw FlatlandError.invalid(name, "[]", accepted: "at least one value") }
    }
    try nonEmpty("strategies", strategies.count)
    try nonEmpty("batches", batches.count)
    try nonEmpty("topologies", topologies.count)
    try nonEmpty("partitions", partitions.count)
    try nonEmpty("seeds", seeds.count)
    for (name, count, unique) in [
      ("strategies", strategies.count, Set(strategies).count), ("batches", batches.count, Set(batches).count),
      ("topologies", topologies.count, Set(topologies).count), ("partitions", partitions.count, Set(partitions).count),
      ("seeds", seeds.count, Set(seeds).count),
    ] where unique != count {
      throw FlatlandError.invalid(name, "a list with repeats", accepted: "each value at most once")
    }
    guard measureSamples >= 2 else {
      throw FlatlandError.invalid("measure_samples", measureSamples, accepted: "at least 2 samples")
    }
    for group in groups(root: ".") { try group.config.validate() }
  }

  /// Loads the data and builds the model, partition and topology of every (batch, topology,
  /// partition) once, so a data spec that does not load, a model that does not fit the data or
  /// a batch larger than a shard is reported before any run starts.
  public func preflight() throws {
    try validate()
    var checked = Set<String>()
    for group in groups(root: ".") where checked.insert("\(group.batch)|\(group.topology)|\(group.partition)").inserted
    {
      _ = try Experiment(group.config, threads: 1)
    }
  }

  /// Reads a sweep file (YAML or JSON): the keys above, `base` holding `train` keys.
  public static func load(file path: String) throws -> SweepPlan {
    let fields = try ExperimentFile.mapping(path)
    let known = Set(CodingKeys.allCases.map(\.rawValue))
    if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
      throw FlatlandError(
        .invalidArgument,
        "unknown key '\(unknown)' in sweep file '\(path)': expected one of \(known.sorted().joined(separator: ", "))")
    }
    var plan = SweepPlan()
    if let base = fields["base"] {
      guard let mapping = base as? [String: Any] else {
        throw FlatlandError(.invalidArgument, "key 'base' in sweep file '\(path)' must be a mapping of train keys")
      }
      plan.base = try TrainingConfig.overlaying(mapping, source: "sweep file '\(path)', key 'base'")
    }
    var rest = fields
    rest["base"] = nil
    var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as! [String: Any]
    for (key, value) in rest { merged[key] = value }
    do {
      return try JSONDecoder().decode(SweepPlan.self, from: JSONSerialization.data(withJSONObject: merged))
    } catch let error as DecodingError {
      throw FlatlandError(.invalidArgument, "bad value in sweep file '\(path)': \(error.oneLine)")
    }
  }

  static func slug(_ text: String) -> String {
    String(text.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" })
  }
}
