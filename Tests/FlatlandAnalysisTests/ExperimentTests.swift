import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments
import Foundation
import Testing

/// The sweep and escape protocols on a small synthetic problem: the grid, resumption, the
/// refusal of a folder that holds another experiment, and the escape records.
@Suite(.serialized) struct ExperimentTests {
  static func base() -> TrainingConfig {
    var c = TrainingConfig()
    (c.dataset, c.model, c.agents, c.lr, c.iterations) = (TrainedRun.dataset, "mlp:8", 4, 0.2, 20)
    (c.evalSamples, c.agentEvalSamples) = (100, 50)
    return c
  }

  static func folder() -> String { NSTemporaryDirectory() + "flatland-experiment-\(UUID())" }

  @Test func theGridSharesInitializationAndScalesTheStepWhenAsked() throws {
    var plan = SweepPlan(base: Self.base())
    (plan.batches, plan.seeds, plan.topologies, plan.scaleLR) = ([8, 32], [1, 2], ["ring", "complete"], true)
    let groups = plan.groups(root: "/x")
    #expect(groups.count == 8)
    #expect(groups.map(\.name).first == "b8-ring-iid-s1" && groups.last?.name == "b32-complete-iid-s2")
    #expect(groups.first { $0.batch == 32 }?.config.lr == 0.8)
    #expect(groups.allSatisfy { $0.config.strategies == plan.strategies && $0.config.out == "/x/runs/" + $0.name })
    plan.batches = [8, 8]
    #expect(throws: FlatlandError.self) { try plan.validate() }
    plan.batches = [100_000]
    #expect(throws: FlatlandError.self) { try Sweep.run(plan, root: Self.folder()) }
  }

  @Test func aSweepResumesWithoutRedoingAndRefusesAnotherExperiment() throws {
    var plan = SweepPlan(base: Self.base())
    (plan.batches, plan.seeds, plan.strategies, plan.measureSamples) = (
      [8], [1, 2], ["centralized", "diffusion"], 100
    )
    let root = Self.folder()
    try ExperimentFolder.claim(root, for: plan)
    let first = try Sweep.run(plan, root: root, threads: 2)
    #expect(first.runs.count == 4 && first.cells.count == 2)
    #expect(first.runs.allSatisfy { $0.lambdaMax > 0 && $0.trace.isFinite })
    let measured = root + "/runs/b8-ring-iid-s1/diffusion/measures.json"
    let stamp = try FileManager.default.attributesOfItem(atPath: measured)[.modificationDate] as! Date
    let again = try Sweep.run(plan, root: root, threads: 1)
    #expect(again == first, "a resumed sweep gives the same results, whatever the thread count")
    #expect(try FileManager.default.attributesOfItem(atPath: measured)[.modificationDate] as! Date == stamp)
    var other = plan
    other.seeds = [7]
    #expect { try ExperimentFolder.claim(root, for: other) } throws: {
      ($0 as? FlatlandError)?.message.contains("holds another experiment") == true
    }
    #expect(first.runsCSV.split(separator: "\n").count == 5)
  }

  /// A sweep over variants with SWA: each variant is a row of its own, and every cell carries
  /// the SWA average's test accuracy over its seeds.
  @Test func aSweepOfVariantsKeepsTheirRowsAndTheirSWAAccuracy() throws {
    var plan = SweepPlan(base: Self.base())
    plan.base.swa = "11"
    (plan.batches, plan.seeds, plan.strategies, plan.measureSamples) = (
      [8], [1, 2], ["diffusion", "centralized+sam:0.05"], 100
    )
    let root = Self.folder()
    try ExperimentFolder.claim(root, for: plan)
    let results = try Sweep.run(plan, root: root, threads: 2)
    #expect(results.cells.map(\.strategy) == ["diffusion", "centralized+sam:0.05"])
    #expect(results.runs.map(\.folder).contains("runs/b8-ring-iid-s2/centralized+sam:0.05"))
    for cell in results.cells {
      let swa = results.runs.filter { $0.strategy == cell.strategy }.compactMap(\.testAccuracySWA)
      #expect(swa.count == 2)
      #expect(cell.metrics["test_accuracy_swa"]?.mean == swa.reduce(0, +) / 2)
    }
  }

  /// Plan sizes are checked before any run: N beyond 2⁵³ (its log-spaced records pass through
  /// Double), seeds that would wrap, and a record that does not fit in memory.
  @Test func escapePlanSizesAreCheckedBeforeAnyRun() throws {
    var plan = EscapePlan(base: Self.base())
    try plan.validate()
    plan.iterations = .max
    #expect { try plan.validate() } throws: { "\($0)".hasPrefix("invalid iterations '9223372036854775807'") }
    plan.iterations = 300
    plan.repetitions = 100_000_000_000_000
    #expect { try plan.validate() } throws: { "\($0)".contains("100000000000000 repetitions") }
    plan.repetitions = 3
    plan.base.seed = .max - 1
    #expect { try plan.validate() } throws: { "\($0)".hasPrefix("invalid repetitions '3'") }
  }

  @Test func escapeRecordsStartAtTheMinimumAndAreSummarizedOverRepetitions() throws {
    var base = Self.base()
    base.batch = 8
    var plan = EscapePlan(base: base)
    (plan.findBatch, plan.findIterations, plan.iterations, plan.repetitions) = (16, 40, 30, 2)
    (plan.recordPoints, plan.lambdaEvery, plan.samples, plan.strategies) = (5, 10, 100, ["centralized", "diffusion"])
    #expect(plan.recordedIterations == [0, 1, 2, 5, 10, 13, 20, 30])
    let root = Self.folder()
    let results = try EscapeExperiment.run(plan, root: root, threads: 2)
    #expect(results.minimum == "minimum/centralized")
    for s in results.strategies {
      #expect(s.iterations == plan.recordedIterations)
      #expect(s.centroidExcess[0].mean == 0 && s.distance[0].mean == 0 && s.disagreement[0].mean == 0)
      #expect(s.lambdaIterations == [0, 10, 20, 30] && s.lambdaMax.allSatisfy { $0.mean > 0 })
      #expect(s.finalCentroidExcess.count == 2)
    }
    let central = results.strategies[0]
    #expect(central.disagreement.allSatisfy { $0.mean == 0 }, "centralized agents never disagree")
    let again = try EscapeExperiment.run(plan, root: root, threads: 1)
    #expect(again == results)
  }
}
