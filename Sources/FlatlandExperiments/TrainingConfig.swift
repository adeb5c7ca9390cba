import FlatlandCore
import FlatlandStrategies

/// Everything that defines a training run, as flags or as an experiment file.
///
/// The file form is YAML (or JSON) with exactly these snake_case keys; unknown keys are
/// rejected with their name, so a typo never silently falls back to a default. Command-line
/// flags override the file. `validate()` checks every value before any work starts.
public struct TrainingConfig: Codable, Sendable, Equatable {
  public var dataset = "fashion-mnist"
  public var dataDir: String? = nil
  public var partition = "iid"
  public var model = "mlp:256,256"
  public var agents = 16
  public var topology = "ring"
  /// Weight rule; nil picks the topology's default (Metropolis, or `user` for a matrix file).
  public var weights: String? = nil
  public var strategies: [String] = ["centralized", "consensus", "diffusion"]
  /// B, the mini-batch per agent.
  public var batch = 32
  /// μ, the base step size.
  public var lr = 0.1
  public var schedule = "constant"
  public var warmup = 0
  public var momentum = 0.0
  public var weightDecay = 0.0
  public var clip: Double? = nil
  public var localSteps = 8
  /// The gradient every agent adapts with: `sgd`, or `sam:RHO` / `asam:RHO` (`SharpnessAware`).
  public var optimizer = "sgd"
  /// Perturbed-SGD noise added after every step: `SIGMA` or `match:RUN` (`StepNoise`).
  public var noise: String? = nil
  /// Run length: `iterations` wins when set; otherwise `epochs` passes over the training set.
  public var epochs = 5.0
  public var iterations: Int? = nil
  /// Evaluate every this many iterations (default: once per epoch).
  public var evalEvery: Int? = nil
  /// Samples of the train and test sets used for the centroid's metrics (0 = all).
  public var evalSamples = 10_000
  /// Samples used for each agent's own metrics (agents' mean and worst).
  public var agentEvalSamples = 2_000
  public var checkpointEvery: Int? = nil
  public var seed: UInt64 = 1
  public var independentInit = false
  /// Start every agent at a given model: `RUN|CHECKPOINT[,agent=K|centroid]` (default centroid).
  public var initFrom: String? = nil
  public var replacement = false
  public var out = "runs/latest"

  public init() {}

  enum CodingKeys: String, CodingKey, CaseIterable {
    case dataset, partition, model, agents, topology, weights, strategies, batch, lr, schedule, warmup
    case momentum, clip, epochs, iterations, seed, replacement, out, optimizer, noise
    case dataDir = "data_dir"
    case weightDecay = "weight_decay"
    case localSteps = "local_steps"
    case evalEvery = "eval_every"
    case evalSamples = "eval_samples"
    case agentEvalSamples = "agent_eval_samples"
    case checkpointEvery = "checkpoint_every"
    case independentInit = "independent_init"
    case initFrom = "init"
  }

  /// Keys an experiment file may use.
  public static var keys: [String] { CodingKeys.allCases.map(\.rawValue) }

  // MARK: - Checks

  /// Rejects every value no run could use, naming it; data-dependent checks (batch larger
  /// than a shard) happen once the data are loaded.
  public func validate() throws {
    func positive(_ name: String, _ v: Int) throws {
      guard v > 0 else { throw FlatlandError.invalid(name, v, accepted: "a positive integer") }
    }
    guard !out.isEmpty else {
      throw FlatlandError.invalid(
        "out", out, accepted: "a folder path (an empty one would write into the working folder)")
    }
    try positive("agents", agents)
    try positive("batch", batch)
    try positive("local_steps", localSteps)
    guard Float(lr) > 0, Float(lr).isFinite else {
      throw FlatlandError.invalid("lr", lr, accepted: "a positive step size that is finite and nonzero in Float32")
    }
    guard epochs > 0, epochs.isFinite else {
      throw FlatlandError.invalid("epochs", epochs, accepted: "a positive number")
    }
    if let iterations { try positive("iterations", iterations) }
    if let evalEvery { try positive("eval_every", evalEvery) }
    if let checkpointEvery { try positive("checkpoint_every", checkpointEvery) }
    guard evalSamples >= 0 else {
      throw FlatlandError.invalid("eval_samples", evalSamples, accepted: "0 (all) or a positive count")
    }
    guard agentEvalSamples >= 0 else {
      throw FlatlandError.invalid("agent_eval_samples", agentEvalSamples, accepted: "0 (all) or a positive count")
    }
    guard (0..<1).contains(Float(momentum)) else {
      throw FlatlandError.invalid("momentum", momentum, accepted: "a value in [0, 1), also in Float32")
    }
    guard Float(weightDecay) >= 0, Float(weightDecay).isFinite else {
      throw FlatlandError.invalid("weight_decay", weightDecay, accepted: "a non-negative value, finite in Float32")
    }
    if let clip, !(Float(clip) > 0 && Float(clip).isFinite) {
      throw FlatlandError.invalid("clip", clip, accepted: "a positive gradient norm, finite and nonzero in Float32")
    }
    guard !strategies.isEmpty else { throw FlatlandError.invalid("strategies", "", accepted: StrategyKind.accepted) }
    guard Set(strategies).count == strategies.count else {
      throw FlatlandError.invalid(
        "strategies", strategies.joined(separator: ","), accepted: "each strategy at most once")
    }
    _ = try strategyKinds()
    _ = try stepSizeSchedule()
    _ = try sharpnessAware()
    if let noise { try StepNoise.check(setting: noise) }
  }

  public func strategyKinds() throws -> [StrategyKind] { try strategies.map(StrategyKind.init(parsing:)) }

  public func stepSizeSchedule() throws -> StepSizeSchedule {
    try StepSizeSchedule(base: lr, shape: StepSizeSchedule.parseShape(schedule), warmup: warmup)
  }

  public func sharpnessAware() throws -> SharpnessAware? { try SharpnessAware.parse(optimizer: optimizer) }

  public var localOptimizer: LocalOptimizer {
    LocalOptimizer(momentum: Float(momentum), weightDecay: Float(weightDecay), clipNorm: clip.map(Float.init))
  }
}
