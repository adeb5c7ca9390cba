import FlatlandCore

/// A data set as it would be trained on: its sizes and sample shape, and the size and class
/// histogram of each agent's shard under a partition (what `flatland data inspect` shows).
public struct DataInspection: Encodable, Sendable, Equatable {
  public var dataset: String
  public var shape: String
  public var classes: Int
  public var train: Int
  public var validation: Int?
  public var test: Int
  public var partition: String
  public var agents: [Shard]

  public struct Shard: Encodable, Sendable, Equatable {
    public var size: Int
    /// Samples of each class, class 0 first.
    public var histogram: [Int]

    enum CodingKeys: String, CodingKey { case size, histogram }
  }

  enum CodingKeys: String, CodingKey { case dataset, shape, classes, train, validation, test, partition, agents }

  /// Loads `spec`, carves `validation` (a fraction) off the training set when given, and
  /// partitions the training set over `agents` by `partition`, all seeded by `seed`.
  public init(
    spec: DataSpec, dataDir: String? = nil, agents: Int, partition scheme: PartitionScheme, validation: Double? = nil,
    seed: UInt64
  ) throws {
    var splits = try spec.load(dataDir: dataDir, seed: seed)
    if let validation { splits = try splits.carvingValidation(fraction: validation, seed: seed) }
    let data = splits.train
    let split = try Partition.make(scheme, labels: data.labels, classes: data.classes, agents: agents, seed: seed)
    dataset = spec.description
    shape = data.shape.description
    classes = data.classes
    train = data.count
    self.validation = splits.validation?.count
    test = splits.test.count
    partition = scheme.description
    self.agents = zip(split.shards, split.histograms(labels: data.labels, classes: data.classes)).map {
      Shard(size: $0.count, histogram: $1)
    }
  }

  /// A line for the data set, then one per agent.
  public var lines: [String] {
    let held = validation.map { "\($0) validation, " } ?? ""
    return ["\(dataset): \(train) train, \(held)\(test) test, \(classes) classes, samples \(shape)"]
      + agents.enumerated().map { k, shard in
        "agent \(k): \(shard.size) samples, classes \(shard.histogram.map(String.init).joined(separator: " "))"
      }
  }
}
