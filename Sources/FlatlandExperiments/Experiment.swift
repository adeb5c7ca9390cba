import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies
import FlatlandTopology
import Foundation

/// What every strategy of one call shares: the data and their partition, the model, the
/// topology, the common initialization and the evaluation sets. Built once, so strategies run
/// from the same initialization and see the same data order.
public final class Experiment: @unchecked Sendable {
  public let config: TrainingConfig
  public let splits: DataSplits
  public let partition: Partition
  public let network: Network
  public let topology: Topology
  public let iterations: Int
  public let iterationsPerEpoch: Int
  public let evalEvery: Int
  public let threads: Int
  /// Every agent's gradient transform (`optimizer`), nil for plain SGD.
  public let sharpness: SharpnessAware?
  /// The perturbed-SGD noise (`noise`), its σ read from the matched run when it names one.
  public let noise: StepNoise?
  let trainEvaluator: Evaluator
  let testEvaluator: Evaluator
  let agentTrainEvaluator: Evaluator
  let agentTestEvaluator: Evaluator

  /// Loads and checks everything `config` names; throws before any training work.
  public init(_ config: TrainingConfig, threads: Int = availableCores) throws {
    try config.validate()
    for kind in try config.strategyKinds() { try kind.requireComposable(with: config.localOptimizer) }
    self.config = config
    self.threads = max(1, threads)
    let spec = try DataSpec(parsing: config.dataset)
    splits = try spec.load(dataDir: config.dataDir, seed: config.seed)
    let train = splits.train
    guard train.count >= config.agents else {
      throw FlatlandError.invalid(
        "agents", config.agents, accepted: "at most the \(train.count) training samples of \(config.dataset)")
    }
    partition = try Partition.make(
      PartitionScheme(parsing: config.partition), labels: train.labels, classes: train.classes, agents: config.agents,
      seed: config.seed)
    if let smallest = partition.shards.enumerated().min(by: { $0.element.count < $1.element.count }),
      smallest.element.count < config.batch
    {
      throw FlatlandError.invalid(
        "batch", config.batch,
        accepted: "at most the smallest shard (agent \(smallest.offset) holds \(smallest.element.count) samples)")
    }
    network = try Network.named(config.model, input: train.shape, classes: train.classes)
    try Self.checkMemory(config, network)
    sharpness = try config.sharpnessAware()
    noise = try config.stepNoise()
    if let initFrom = config.initFrom { _ = try Self.initialModel(initFrom, for: network) }
    let rule = try config.weights.map(WeightRule.init(parsing:)) ?? Topology.defaultWeights(for: config.topology)
    topology = try Topology.parse(config.topology, agents: config.agents, weights: rule, seed: config.seed)
    for kind in try config.strategyKinds() { try kind.requireMatrices(of: topology) }

    iterationsPerEpoch = max(1, train.count / (config.agents * config.batch))
    iterations = try Self.runLength(config, iterationsPerEpoch: iterationsPerEpoch)
    guard config.warmup <= iterations else {
      throw FlatlandError.invalid(
        "warmup", config.warmup,
        accepted:
          "at most the run's \(iterations) iterations (a longer warm-up never reaches the step size \(config.lr))")
    }
    try config.weightAveraging()?.check(iterations: iterations)
    evalEvery = config.evalEvery ?? iterationsPerEpoch

    func subset(_ d: Dataset, _ n: Int) -> Dataset { n == 0 || n >= d.count ? d : d.prefix(n) }
    trainEvaluator = Evaluator(network: network, data: subset(train, config.evalSamples), threads: self.threads)
    testEvaluator = Evaluator(network: network, data: subset(splits.test, config.evalSamples), threads: self.threads)
    agentTrainEvaluator = Evaluator(
      network: network, data: subset(train, config.agentEvalSamples), threads: self.threads)
    agentTestEvaluator = Evaluator(
      network: network, data: subset(splits.test, config.agentEvalSamples), threads: self.threads)
  }

  /// The iteration count: `iterations`, or `epochs` passes of `iterationsPerEpoch`, rounded.
  /// Either must keep the sample counter, iterations × K × B, within `Int`.
  static func runLength(_ config: TrainingConfig, iterationsPerEpoch: Int) throws -> Int {
    let limit = Int.max / (config.agents * config.batch)
    let accepted = "at most \(limit) iterations (the samples seen, iterations × K × B, must fit in a 64-bit count)"
    if let n = config.iterations {
      guard n <= limit else { throw FlatlandError.invalid("iterations", n, accepted: accepted) }
      return n
    }
    let wanted = (config.epochs * Double(iterationsPerEpoch)).rounded()
    guard wanted < Double(limit) else {
      throw FlatlandError.invalid(
        "epochs", config.epochs, accepted: "\(accepted), i.e. at most \(limit / iterationsPerEpoch) epochs")
    }
    return max(1, Int(wanted))
  }

  /// Throws unless what a run of `network` allocates fits in `MemoryBudget`: per agent its
  /// parameters, momentum, gradient and combine buffers, the strategies' own state and the
  /// sharpness-aware ascent points (K × P each) and a workspace for its batch, plus four
  /// evaluators (centroid and agents, train and test).
  static func checkMemory(_ config: TrainingConfig, _ network: Network) throws {
    let p = network.parameterCount
    let ruleState = try config.strategyKinds().map(\.stateBufferCount).max() ?? 0
    let ascent = try config.optimizer == "sgd" && config.strategyVariants().allSatisfy { $0.optimizer == nil } ? 0 : 1
    let rows = ((config.momentum > 0 ? 4 : 3) + ruleState + ascent) * config.agents + 1
    let workspace = network.workspaceScalarCount(capacity: config.batch) ?? -1
    let evaluator = Evaluator.scalarCount(network: network) ?? -1
    let total = MemoryBudget.total([
      MemoryBudget.size(of: [rows, p], bytesEach: 1), MemoryBudget.size(of: [config.agents, workspace], bytesEach: 1),
      MemoryBudget.size(of: [4, evaluator], bytesEach: 1),
    ])
    try MemoryBudget.check(
      "a run of \(config.agents) agents of model \(Network.abbreviated(config.model)) (\(p) parameters each, batch "
        + "\(config.batch))",
      [total ?? -1], bytesEach: MemoryLayout<Float>.stride)
  }

  /// The agents' starting parameters: the `init` model at every agent, or one common draw
  /// (default), or one draw per agent.
  public func initialParameters() throws -> AgentVectors {
    if let initFrom = config.initFrom {
      return AgentVectors(agents: config.agents, repeating: try Self.initialModel(initFrom, for: network))
    }
    let v = AgentVectors(agents: config.agents, length: network.parameterCount)
    for k in 0..<config.agents {
      v.set(k, network.initialParameters(seed: config.seed, agent: config.independentInit ? k : 0))
    }
    return v
  }

  /// The parameters `spec` names (`RUN|CHECKPOINT[,agent=K|centroid]`), checked against `network`.
  public static func initialModel(_ spec: String, for network: Network) throws -> [Float] {
    let parts = spec.split(separator: ",", maxSplits: 1).map(String.init)
    guard let target = parts.first, !target.isEmpty else {
      throw FlatlandError.invalid("init", spec, accepted: "RUN|CHECKPOINT[,agent=K|centroid]")
    }
    var point = Checkpoint.Point.centroid
    if parts.count == 2 {
      let option = parts[1]
      if option.hasPrefix("agent=") {
        point = try Checkpoint.Point(parsing: String(option.dropFirst("agent=".count)))
      } else if option != "centroid" {
        throw FlatlandError.invalid("init", spec, accepted: "RUN|CHECKPOINT[,agent=K|centroid]")
      }
    }
    let (checkpoint, path) = try Checkpoint.open(target)
    guard try checkpoint.network(path: path) == network else {
      throw FlatlandError.invalid(
        "init", spec,
        accepted: "a checkpoint of this run's model \(network.name) (it holds \(checkpoint.header.model))")
    }
    return try checkpoint.parameters(at: point)
  }

  /// Fresh samplers, one per agent over its shard, seeded by (seed, agent).
  func samplers() throws -> [BatchSampler] {
    try (0..<config.agents).map { k in
      try BatchSampler(
        dataset: splits.train, shard: partition.shards[k], batchSize: config.batch, replacement: config.replacement,
        seed: config.seed, agent: k)
    }
  }
}
