import ArgumentParser
import FlatlandExperiments

/// The flags that set a `TrainingConfig`, one per setting; each overrides the experiment file
/// only when given.
/// Numeric flags take the next word as their value even when it starts with a dash, so that
/// `--lr -0.1` is refused by the config's check (naming the value) rather than read as a flag.
struct TrainingOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Data set: fashion-mnist, mnist:DIR, cifar10:DIR, csv:PATH[,label=COL], npy:X.npy,Y.npy, "
        + "synthetic:gaussians[:C,D], synthetic:teacher[:D,W].")
  )
  var dataset: String?
  @Option(help: "Directory of the data set's files (overrides the default location).")
  var dataDir: String?
  @Option(help: "Partition across agents: iid, dirichlet:ALPHA, shards:C.")
  var partition: String?
  @Option(help: "Model: logreg, mlp:W1,W2,..., tanh-mlp:W1,..., lenet5, resnet8.")
  var model: String?
  @Option(parsing: .unconditional, help: "Number of agents K.")
  var agents: Int?
  @Option(help: "Topology: ring, torus, hypercube, exponential, complete, erdos-renyi:P, ..., one-peer-exponential.")
  var topology: String?
  @Option(help: "Weight rule: metropolis, uniform, max-degree, lazy-metropolis, ..., user.")
  var weights: String?
  @Option(
    name: .customLong("strategy"),
    help: "Strategies, comma-separated: centralized, consensus, diffusion, diffusion-cta, local-sgd.",
    transform: { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) })
  var strategies: [String]?
  @Option(parsing: .unconditional, help: "Mini-batch per agent B.")
  var batch: Int?
  @Option(parsing: .unconditional, help: "Step size μ.")
  var lr: Double?
  @Option(help: "Step-size schedule: constant, step:EVERY,FACTOR, cosine.")
  var schedule: String?
  @Option(parsing: .unconditional, help: "Linear warm-up iterations.")
  var warmup: Int?
  @Option(parsing: .unconditional, help: "Heavy-ball momentum β, applied locally.")
  var momentum: Double?
  @Option(parsing: .unconditional, help: "Weight decay λ.")
  var weightDecay: Double?
  @Option(parsing: .unconditional, help: "Clip each gradient to this norm.")
  var clip: Double?
  @Option(parsing: .unconditional, help: "Averaging period H of local SGD.")
  var localSteps: Int?
  @Option(help: "Average the centroid from iteration START on, every EVERY iterations: START[,EVERY].")
  var swa: String?
  @Option(parsing: .unconditional, help: "Epochs (passes over the training set).")
  var epochs: Double?
  @Option(parsing: .unconditional, help: "Iterations (instead of epochs).")
  var iterations: Int?
  @Option(parsing: .unconditional, help: "Evaluate every N iterations (default: once per epoch).")
  var evalEvery: Int?
  @Option(parsing: .unconditional, help: "Train/test samples for the centroid's metrics (0 = all).")
  var evalSamples: Int?
  @Option(parsing: .unconditional, help: "Train/test samples for each agent's own metrics (0 = all).")
  var agentEvalSamples: Int?
  @Option(parsing: .unconditional, help: "Write a checkpoint every N iterations (always at the end).")
  var checkpointEvery: Int?
  @Option(help: "Seed for initialization, partition and sampling.")
  var seed: UInt64?
  @Option(help: "Start every agent at a model: RUN|CHECKPOINT[,agent=K|centroid] (default: the centroid).")
  var `init`: String?
  @Flag(help: "Give each agent its own initialization (default: one common draw).")
  var independentInit = false
  @Flag(help: "Sample mini-batches with replacement.")
  var replacement = false
  @Option(help: "Output folder (one subfolder per strategy).")
  var out: String?

  /// `base` with every given flag laid over it. Each property is the setting whose key is its
  /// name in snake case (`weightDecay` sets `weight_decay`); a switch sets its setting only when
  /// given, so it never turns off what the file turned on.
  func apply(to base: TrainingConfig) -> TrainingConfig {
    var config = base
    for child in Mirror(reflecting: self).children {
      guard let label = child.label, let flag = child.value as? SettingFlag, let value = flag.given else { continue }
      config = config.setting(Self.key(label), to: value)
    }
    return config
  }

  /// `_weightDecay` → `weight_decay`: a property-wrapper's storage name as its setting's key.
  static func key(_ label: String) -> String {
    label.drop { $0 == "_" }.reduce(into: "") { key, c in
      key += c.isUppercase ? "_" + c.lowercased() : String(c)
    }
  }
}

/// A parsed option or switch, as the value its setting takes, or nil when not given.
protocol SettingFlag { var given: Any? { get } }

extension Option: SettingFlag {
  var given: Any? {
    let value: Any = wrappedValue
    guard let optional = value as? any OptionalValue else { return value }
    return optional.wrapped
  }
}

extension Flag: SettingFlag where Value == Bool {
  var given: Any? { wrappedValue ? true : nil }
}

protocol OptionalValue { var wrapped: Any? { get } }
extension Optional: OptionalValue { var wrapped: Any? { self.map { $0 as Any } } }
