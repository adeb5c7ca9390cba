import FlatlandCore
import FlatlandStrategies

/// Everything that defines a training run, as flags or as an experiment file.
///
/// The file form is YAML (or JSON) with exactly the snake_case keys of `settings`; unknown keys
/// are rejected with their name, so a typo never silently falls back to a default, and keys left
/// out keep their defaults. Command-line flags override the file. `validate()` checks every
/// value before any work starts.
public struct TrainingConfig: Sendable, Equatable {
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
  /// Stochastic weight averaging of the centroid, `START[,EVERY]` (see `WeightAveraging`).
  public var swa: String? = nil
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

  // MARK: - Settings

  /// One row per field, in the order files and JSON list them (see `TrainingSetting`).
  public static let settings: [TrainingSetting] = [
    .field("dataset", \.dataset, .nonEmpty("a data set name")),
    .field("data_dir", \.dataDir),
    .field("partition", \.partition),
    .field("model", \.model),
    .field("agents", \.agents, .positive),
    .field("topology", \.topology),
    .field("weights", \.weights),
    .field("strategies", \.strategies),
    .field("batch", \.batch, .positive),
    .field("lr", \.lr, .positiveInFloat32("step size")),
    .field("schedule", \.schedule),
    .field("warmup", \.warmup),
    .field("momentum", \.momentum, .fraction),
    .field("weight_decay", \.weightDecay, .nonNegativeInFloat32),
    .field("clip", \.clip, .positiveInFloat32("gradient norm")),
    .field("local_steps", \.localSteps, .positive),
    .field("optimizer", \.optimizer),
    .field("noise", \.noise),
    .field("swa", \.swa),
    .field("epochs", \.epochs, .positive),
    .field("iterations", \.iterations, .positive),
    .field("eval_every", \.evalEvery, .positive),
    .field("eval_samples", \.evalSamples, .countOrAll),
    .field("agent_eval_samples", \.agentEvalSamples, .countOrAll),
    .field("checkpoint_every", \.checkpointEvery, .positive),
    .field("seed", \.seed),
    .field("independent_init", \.independentInit),
    .field("init", \.initFrom),
    .field("replacement", \.replacement),
    .field("out", \.out, .nonEmpty("a folder path (an empty one would write into the working folder)")),
  ]

  /// Keys an experiment file may use.
  public static var keys: [String] { settings.map(\.key) }

  public static func setting(_ key: String) -> TrainingSetting? { settings.first { $0.key == key } }

  // MARK: - Checks

  /// Rejects every value no run could use, naming it; data-dependent checks (batch larger
  /// than a shard) happen once the data are loaded.
  public func validate() throws {
    for setting in Self.settings { try setting.check(self) }
    guard !strategies.isEmpty else { throw FlatlandError.invalid("strategies", "", accepted: StrategyKind.accepted) }
    guard Set(strategies).count == strategies.count else {
      throw FlatlandError.invalid(
        "strategies", strategies.joined(separator: ","), accepted: "each strategy at most once")
    }
    for variant in try strategyVariants() {
      _ = try variant.config(in: self).sharpnessAware()
      if case .sigma(let sigma) = variant.noise { try StepNoise.check(setting: sigma) }
    }
    _ = try stepSizeSchedule()
    _ = try weightAveraging()
    _ = try sharpnessAware()
    if let noise { try StepNoise.check(setting: noise) }
  }

  public func sharpnessAware() throws -> SharpnessAware? { try SharpnessAware.parse(optimizer: optimizer) }

  /// The perturbed-SGD noise of `noise`, its σ read from the matched run when it names one.
  public func stepNoise() throws -> StepNoise? { try noise.map { try StepNoise(setting: $0, seed: seed) } }

  public func weightAveraging() throws -> WeightAveraging? { try swa.map(WeightAveraging.init(parsing:)) }

  public func stepSizeSchedule() throws -> StepSizeSchedule {
    try StepSizeSchedule(base: lr, shape: StepSizeSchedule.parseShape(schedule), warmup: warmup)
  }

  public var localOptimizer: LocalOptimizer {
    LocalOptimizer(momentum: Float(momentum), weightDecay: Float(weightDecay), clipNorm: clip.map(Float.init))
  }
}
