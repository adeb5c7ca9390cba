import ArgumentParser
import FlatlandExperiments

/// The flags that set a `TrainingConfig`; each overrides the experiment file only when given.
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
  @Option(help: "Strategies, comma-separated: centralized, consensus, diffusion, diffusion-cta, local-sgd.")
  var strategy: String?
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
  @Option(
    name: .customLong("init"),
    help: "Start every agent at a model: RUN|CHECKPOINT[,agent=K|centroid] (default: the centroid).")
  var initFrom: String?
  @Flag(help: "Give each agent its own initialization (default: one common draw).")
  var independentInit = false
  @Flag(help: "Sample mini-batches with replacement.")
  var replacement = false
  @Option(help: "Output folder (one subfolder per strategy).")
  var out: String?

  /// `base` with every given flag laid over it.
  func apply(to base: TrainingConfig) -> TrainingConfig {
    var c = base
    if let dataset { c.dataset = dataset }
    if let dataDir { c.dataDir = dataDir }
    if let partition { c.partition = partition }
    if let model { c.model = model }
    if let agents { c.agents = agents }
    if let topology { c.topology = topology }
    if let weights { c.weights = weights }
    if let strategy { c.strategies = strategy.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    if let batch { c.batch = batch }
    if let lr { c.lr = lr }
    if let schedule { c.schedule = schedule }
    if let warmup { c.warmup = warmup }
    if let momentum { c.momentum = momentum }
    if let weightDecay { c.weightDecay = weightDecay }
    if let clip { c.clip = clip }
    if let localSteps { c.localSteps = localSteps }
    if let epochs { c.epochs = epochs }
    if let iterations { c.iterations = iterations }
    if let evalEvery { c.evalEvery = evalEvery }
    if let evalSamples { c.evalSamples = evalSamples }
    if let agentEvalSamples { c.agentEvalSamples = agentEvalSamples }
    if let checkpointEvery { c.checkpointEvery = checkpointEvery }
    if let seed { c.seed = seed }
    if let initFrom { c.initFrom = initFrom }
    if independentInit { c.independentInit = true }
    if replacement { c.replacement = true }
    if let out { c.out = out }
    return c
  }
}
