import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies
import Foundation

/// Progress of a run, for a terminal bar or log lines.
public struct TrainingProgress: Sendable {
  public var strategy: String
  public var iteration: Int
  public var total: Int
  public var epoch: Double
  public var batchLoss: Double
  public var samplesPerSecond: Double
  public var record: MetricsRecord?

  /// Seconds left at the current training throughput (evaluations not included).
  public var etaSeconds: Double {
    guard iteration > 0, samplesPerSecond > 0 else { return 0 }
    return Double(total - iteration) * Double(samplesPerIteration) / samplesPerSecond
  }
  public var samplesPerIteration: Int
}

/// One strategy's training run in its own folder: the loop, evaluations, checkpoints, summary.
///
/// Under a multi-process engine every process runs this loop on its own agents; before each
/// evaluation and checkpoint the processes share their rows, so every process evaluates the
/// same network and only the reporting process writes files.
public final class StrategyRun {
  public let experiment: Experiment
  public let strategy: Strategy
  /// The run's name: its folder, and the `strategy` of its summary and checkpoint
  /// (`StrategyVariant.label`).
  public let label: String
  /// Every agent's gradient transform and the perturbed-SGD noise of this run: the job's, or
  /// the variant's own.
  let sharpness: SharpnessAware?
  let noise: StepNoise?
  public let folder: URL
  var state: StrategyState
  let agents: [AgentContext]
  let communicator: Communicator
  var iteration = 0
  var samples = 0
  var trainSeconds = 0.0
  /// Every agent's statistics from the last iteration, shared by all processes.
  var batchStats: [LossStats]
  let log: MetricsLog
  /// True when the run was to resume but its folder held no checkpoint, so it starts from
  /// iteration 0 (the caller says so).
  public let startsOver: Bool
  /// Checked after every iteration: when raised, the run saves a checkpoint and stops.
  public var stop: StopRequest?
  /// Stochastic weight averaging of the centroid, when the config asks for it: the schedule,
  /// the average (one row) and room for the centroid it folds in (one row).
  let averaging: Averaging?
  typealias Averaging = (schedule: WeightAveraging, average: AgentVectors, centroid: AgentVectors)

  /// Prepares the run in `folder`: fresh, or from the folder's checkpoint when `resume`. A
  /// `variant` runs with its own optimizer and noise (a matched noise reads its sibling run,
  /// which must have finished); its kind must be `strategy`'s.
  public init(
    experiment: Experiment, strategy: Strategy, variant: StrategyVariant? = nil, folder: URL,
    communicator: Communicator, resume: Bool
  ) throws {
    precondition(variant.map { $0.kind == strategy.kind } ?? true, "a variant of another strategy")
    self.experiment = experiment
    self.strategy = strategy
    label = variant?.label ?? strategy.kind.rawValue
    let own = variant?.config(in: experiment.config)
    let sharpness = try variant?.optimizer != nil ? own!.sharpnessAware() : experiment.sharpness
    self.sharpness = sharpness
    noise =
      try variant?.noise != nil
      ? own!.stepNoise() : experiment.noise
    self.folder = folder
    self.communicator = communicator
    let config = experiment.config
    batchStats = Array(repeating: LossStats(loss: 0, correct: 0, count: 0), count: config.agents)
    let length = experiment.network.parameterCount
    averaging = try config.weightAveraging().map {
      ($0, AgentVectors(agents: 1, length: length), AgentVectors(agents: 1, length: length))
    }
    let checkpointPath = folder.appendingPathComponent(Checkpoint.fileName).path
    let hasCheckpoint = FileManager.default.fileExists(atPath: checkpointPath)
    startsOver = resume && !hasCheckpoint
    if resume, hasCheckpoint {
      let c = try Checkpoint.read(from: checkpointPath)
      guard c.header.strategy == label, c.header.parameterCount == experiment.network.parameterCount,
        c.header.agents == config.agents, c.header.samplers.count == config.agents
      else {
        throw FlatlandError(
          .invalidArgument, "checkpoint '\(checkpointPath)' does not match this run's strategy, model or agents")
      }
      state = StrategyState(parameters: c.parameters, optimizer: config.localOptimizer, kind: strategy.kind)
      try Self.restore(
        Self.buffers(of: state, averaging, after: c.header.iteration), from: c, path: checkpointPath)
      agents = try (0..<config.agents).map { k in
        AgentContext(
          sampler: try BatchSampler(
            restoring: c.header.samplers[k], dataset: experiment.splits.train, shard: experiment.partition.shards[k],
            batchSize: config.batch, replacement: config.replacement),
          network: experiment.network, sharpness: sharpness)
      }
      iteration = c.header.iteration
      samples = c.header.samples
      trainSeconds = c.header.trainSeconds
      log = try MetricsLog(folder: folder, keep: c.header.metricsRecords, writesFiles: communicator.isReporter)
    } else {
      if communicator.isReporter {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      }
      state = StrategyState(
        parameters: try experiment.initialParameters(), optimizer: config.localOptimizer, kind: strategy.kind)
      agents = try experiment.samplers().map {
        AgentContext(sampler: $0, network: experiment.network, sharpness: sharpness)
      }
      log = try MetricsLog(folder: folder, keep: 0, writesFiles: communicator.isReporter)
    }
  }

  public var isFinished: Bool { iteration >= experiment.iterations }

  /// Trains to the end, evaluating, checkpointing and reporting; returns the final record.
  /// A non-finite loss or parameter stops the run with an error naming the iteration and agent;
  /// the last checkpoint and the metrics so far stay on disk. When `stop` is raised (on any
  /// process), the run writes a checkpoint at the end of the iteration and throws an
  /// `.interrupted` error saying how to resume.
  @discardableResult
  /// `observe` sees every agent's parameters after each iteration, on every process.
  public func run(
    progress: (TrainingProgress) -> Void, observe: ((Int, AgentVectors) throws -> Void)? = nil
  ) throws -> RunSummary {
    let e = experiment
    let config = e.config
    let schedule = try config.stepSizeSchedule()
    let optimizer = config.localOptimizer
    if iteration == 0 && log.records.isEmpty {
      try evaluate(stepSize: schedule.stepSize(at: 0, of: e.iterations), progress: progress)
    }
    let network = e.network
    let contexts = agents
    let oracle: GradientOracle = { k, w, g in contexts[k].gradient(network, w, g) }
    // The fused descent forms no gradient to transform, so a sharpness-aware run goes without.
    let fused: DescentOracle = { k, w, target, mu, lambda in
      contexts[k].descend(network, from: w, onto: target, stepSize: mu, weightDecay: lambda)
    }
    let descent = sharpness == nil ? fused : nil
    while iteration < e.iterations {
      let mu = schedule.stepSize(at: iteration, of: e.iterations)
      let start = DispatchTime.now().uptimeNanoseconds
      strategy.step(
        state, iteration: iteration, stepSize: mu, matrix: e.topology.matrix(at: iteration), optimizer: optimizer,
        communicator: communicator, gradient: oracle, descent: descent)
      noise?.perturb(
        state.parameters, iteration: iteration, sharedModel: strategy.kind == .centralized,
        communicator: communicator)
      trainSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      iteration += 1
      samples += config.agents * config.batch
      batchStats.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: state.batchStats) }
      communicator.shareAll(&batchStats)
      if let bad = batchStats.firstIndex(where: { !$0.loss.isFinite }) {
        throw FlatlandError(
          .numeric,
          "\(label) diverged at iteration \(iteration): agent \(bad) has batch loss "
            + "\(batchStats[bad].loss); lower --lr (now \(config.lr)); metrics and the last checkpoint are kept "
            + "in '\(folder.path)'"
        )
      }
      if let (schedule, average, centroid) = averaging {
        schedule.update(
          average, after: iteration, parameters: state.parameters, centroid: centroid, communicator: communicator)
      }
      if let observe {
        communicator.shareAll(state.parameters)
        try observe(iteration, state.parameters)
      }
      let atEnd = iteration == e.iterations
      if iteration % e.evalEvery == 0 || atEnd {
        try evaluate(stepSize: mu, progress: progress)
      } else {
        progress(
          TrainingProgress(
            strategy: label, iteration: iteration, total: e.iterations, epoch: epoch,
            batchLoss: batchLoss, samplesPerSecond: throughput, record: nil,
            samplesPerIteration: e.config.agents * e.config.batch))
      }
      let saved = config.checkpointEvery.map { iteration % $0 == 0 || atEnd } ?? false
      if saved { try saveCheckpoint() }
      if let signal = stopSignal() {
        if !saved { try saveCheckpoint() }
        throw FlatlandError(
          .interrupted,
          "\(label) stopped by \(StopRequest.name(signal)) at iteration \(iteration) of "
            + "\(e.iterations): checkpoint written to '\(folder.appendingPathComponent(Checkpoint.fileName).path)'; "
            + "continue with flatland train --resume \(folder.deletingLastPathComponent().path)"
        )
      }
    }
    if config.checkpointEvery == nil { try saveCheckpoint() }
    let summary = RunSummary(
      strategy: label, config: config, final: log.records.last!, iterations: iteration,
      trainSeconds: trainSeconds)
    try communicator.report { try summary.write(to: folder.appendingPathComponent("summary.json")) }
    return summary
  }

  // MARK: - Pieces

  var epoch: Double { Double(iteration) / Double(experiment.iterationsPerEpoch) }
  var throughput: Double { trainSeconds > 0 ? Double(samples) / trainSeconds : 0 }
  var batchLoss: Double { batchStats.reduce(0) { $0 + $1.loss } / Double(max(1, batchStats.count)) }

  private func evaluate(stepSize: Float, progress: (TrainingProgress) -> Void) throws {
    let e = experiment
    let w = state.parameters
    communicator.shareAll(w)
    let average = averaging.flatMap { $0.schedule.count(after: iteration) > 0 ? $0.average[0] : nil }
    let metrics = try NetworkMetrics(
      parameters: w, average: average.map(UnsafeBufferPointer.init), experiment: e, iteration: iteration,
      strategy: label)
    let record = metrics.record(
      iteration: iteration, epoch: epoch, samples: samples, wallSeconds: trainSeconds, samplesPerSecond: throughput,
      stepSize: Double(stepSize))
    try communicator.agree { try log.append(record) }
    progress(
      TrainingProgress(
        strategy: label, iteration: iteration, total: e.iterations, epoch: epoch, batchLoss: batchLoss,
        samplesPerSecond: throughput, record: record, samplesPerIteration: e.config.agents * e.config.batch))
  }

  /// The stop signal if any process has one: each reports its own for its agents, so that all
  /// processes stop at the same iteration.
  private func stopSignal() -> Int32? {
    guard let stop else { return nil }
    let local = stop.signal ?? 0
    var signals = [Int32](repeating: local, count: experiment.config.agents)
    communicator.shareAll(&signals)
    return signals.first { $0 != 0 }
  }

  /// Gathers every agent's parameters, strategy state buffers and sampler position, then
  /// writes them.
  private func saveCheckpoint() throws {
    let e = experiment
    let buffers = Self.buffers(of: state, averaging, after: iteration)
    communicator.shareAll(state.parameters)
    // The one-row SWA average is the same on every process already.
    for name in buffers.keys.sorted() where buffers[name]!.agents == e.config.agents {
      communicator.shareAll(buffers[name]!)
    }
    let header = Checkpoint.Header(
      model: e.network.name, inputShape: e.network.inputShape, classes: e.network.classes,
      strategy: label,
      iteration: iteration, agents: e.config.agents, parameterCount: e.network.parameterCount,
      buffers: buffers.keys.sorted(),
      samplers: try samplerStates(), metricsRecords: log.records.count, samples: samples, trainSeconds: trainSeconds)
    try communicator.report {
      try Checkpoint(header: header, parameters: state.parameters, buffers: buffers)
        .write(to: folder.appendingPathComponent(Checkpoint.fileName).path)
    }
  }

  /// The buffers a checkpoint after iteration `i` holds: the strategy's state, and the SWA
  /// average once it holds a centroid.
  private static func buffers(
    of state: StrategyState, _ averaging: Averaging?, after i: Int
  ) -> [String: AgentVectors] {
    guard let averaging, averaging.schedule.count(after: i) > 0 else { return state.stateBuffers }
    return state.stateBuffers.merging(["swa": averaging.average]) { a, _ in a }
  }

  /// Copies the checkpoint's state buffers into `needed`, which must name exactly the same ones
  /// (the same rule, momentum and SWA setting), so the resumed run continues bit for bit.
  private static func restore(_ needed: [String: AgentVectors], from c: Checkpoint, path: String) throws {
    guard needed.keys.sorted() == c.header.buffers else {
      throw FlatlandError(
        .invalidArgument,
        "checkpoint '\(path)' holds the state buffers [\(c.header.buffers.joined(separator: ", "))] but this run's "
          + "strategy, optimizer and SWA setting keep [\(needed.keys.sorted().joined(separator: ", "))]: resume with "
          + "the options the run was trained with")
    }
    for (name, vectors) in needed { vectors.copy(from: c.buffers[name]!) }
  }

  /// Every agent's sampler state; each process advanced only its own agents' samplers.
  private func samplerStates() throws -> [BatchSampler.State] {
    let local = communicator.localAgents
    let encoded = try agents.indices.map { k in
      local.contains(k) ? Array(try JSONEncoder().encode(agents[k].sampler.state)) : []
    }
    return try communicator.shareAll(encoded).map { try JSONDecoder().decode(BatchSampler.State.self, from: Data($0)) }
  }
}
