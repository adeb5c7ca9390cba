import FlatlandCore
import FlatlandEngines
import FlatlandExperiments
import FlatlandMeasures
import FlatlandStrategies
import Foundation

/// The escape protocol's results: the minimum w*, the theory at it, and each strategy's escape.
public struct EscapeResults: Codable, Sendable, Equatable {
  public var plan: EscapePlan
  /// The checkpoint w* was taken from, relative to the experiment's folder when found there.
  public var minimum: String
  /// J(w*) on the fixed subset.
  public var minimumLoss: Double
  /// Estimates at w* and each strategy's small-μ prediction; nil where the theory does not
  /// apply (a non-symmetric A, a μ beyond a stability limit, no positive curvature).
  public var theory: CheckpointTheoryReport?
  /// Why `theory` is absent.
  public var theoryNote: String?
  public var strategies: [EscapeSummary]

  enum CodingKeys: String, CodingKey {
    case plan, minimum, theory, strategies
    case minimumLoss = "minimum_loss"
    case theoryNote = "theory_note"
  }
}

/// Runs the escape protocol in a folder, resumably: w* is found once, and each (strategy,
/// repetition) keeps its trace in `escape/STRATEGY-rR/trace.json`, so it runs once.
public enum EscapeExperiment {
  public static func run(
    _ plan: EscapePlan, root: String, threads: Int = availableCores, log: (String) -> Void = { _ in }
  ) throws -> EscapeResults {
    try plan.validate()
    var minimum = plan.from ?? root + "/minimum/centralized"
    if plan.from == nil {
      log("escape: finding w* (centralized, B = \(plan.findBatch), \(plan.findIterations) iterations)")
      _ = try TrainingJob.run(plan.minimumConfig(root: root), threads: threads)
    }
    let opened = try OpenedRun(
      minimum.split(separator: ",").first.map(String.init) ?? minimum, dataset: plan.base.dataset,
      samples: plan.samples)
    let star = try Experiment.initialModel(minimum, for: opened.network)
    let objective = opened.objective
    let jStar = try objective.checkedLoss(at: star)
    var theory: CheckpointTheoryReport?
    var theoryNote: String?
    do {
      let setting = LearningSetting(
        topology: plan.base.topology, agents: plan.base.agents,
        weights: plan.base.weights ?? "metropolis", mu: plan.base.lr, batch: plan.base.batch, seed: plan.base.seed)
      var settings = CheckpointTheory.Settings()
      settings.omitsUnstable = true
      theory = try CheckpointTheory.predict(opened, name: "w*", setting: setting, settings: settings)
    } catch let error as FlatlandError {
      theoryNote = error.message
    }
    var summaries: [EscapeSummary] = []
    for strategy in plan.strategies {
      let traces = try (0..<plan.repetitions).map { r in
        try trace(plan, strategy: strategy, repetition: r, root: root, star: star, jStar: jStar, objective, threads)
      }
      summaries.append(try EscapeSummary(traces, plan: plan, predicted: theory?.excessRisk[strategy]))
      log("escape: \(strategy) done")
    }
    if minimum.hasPrefix(root + "/") { minimum.removeFirst(root.count + 1) }
    return EscapeResults(
      plan: plan, minimum: minimum, minimumLoss: jStar, theory: theory, theoryNote: theoryNote, strategies: summaries)
  }

  /// One repetition of one strategy from w*, recorded at the plan's iterations.
  static func trace(
    _ plan: EscapePlan, strategy: String, repetition: Int, root: String, star: [Float], jStar: Double,
    _ objective: NetworkObjective<Float>, _ threads: Int
  ) throws -> EscapeTrace {
    let config = plan.runConfig(strategy: strategy, repetition: repetition, root: root)
    let path = config.out + "/trace.json"
    if let data = FileManager.default.contents(atPath: path),
      let done = try? JSONRendering.decode(EscapeTrace.self, from: data)
    {
      return done
    }
    var t = EscapeTrace(strategy: strategy, repetition: repetition)
    let recorded = Set(plan.recordedIterations)
    func record(_ i: Int, _ w: AgentVectors) throws {
      let centroid = VectorMath.mean(w.rows)
      t.iterations.append(i)
      t.centroidExcess.append(try objective.checkedLoss(at: centroid) - jStar)
      t.agentsExcess.append(
        try (0..<w.agents).reduce(0.0) { $0 + (try objective.checkedLoss(at: w.row($1))) } / Double(w.agents) - jStar)
      t.distance.append(VectorMath.squaredDistance(centroid, star).squareRoot())
      t.disagreement.append(
        (0..<w.agents).reduce(0.0) { $0 + VectorMath.squaredDistance(w.row($1), centroid) } / Double(w.agents))
      if plan.lambdaEvery > 0, i % plan.lambdaEvery == 0 {
        t.lambdaIterations.append(i)
        t.lambdaMax.append(try HessianSpectrum.lanczos(objective, at: centroid, k: 1, tolerance: 1e-2).lambdaMax)
      }
    }
    try? FileManager.default.removeItem(atPath: config.out)
    try record(0, AgentVectors(agents: config.agents, repeating: star))
    let experiment = try Experiment(config, threads: threads)
    let run = try StrategyRun(
      experiment: experiment, strategy: Strategy(try StrategyKind(parsing: strategy), localSteps: config.localSteps),
      folder: URL(fileURLWithPath: config.out),
      communicator: InProcessCommunicator(agents: config.agents, threads: experiment.threads), resume: false)
    _ = try run.run(progress: { _ in }, observe: { i, w in if recorded.contains(i) { try record(i, w) } })
    try OutputFolder.writeJSON(t, to: path)
    return t
  }
}
