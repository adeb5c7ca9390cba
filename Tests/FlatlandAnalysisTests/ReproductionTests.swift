import FlatlandAnalysis
import FlatlandCore
import FlatlandReport
import Foundation
import Testing

/// A whole reproduction at toy scale: both protocols, the verdicts, results.json read back,
/// and a report whose every chart has data.
@Suite(.serialized) struct ReproductionTests {
  static func tiny() -> Reproduction {
    var r = Reproduction(preset: .quick, dataset: TrainedRun.dataset, model: "mlp:8")
    var base = ExperimentTests.base()
    base.agents = 4
    r.sweep = SweepPlan(base: base)
    (r.sweep.batches, r.sweep.seeds, r.sweep.measureSamples) = ([8, 32], [1, 2], 100)
    base.batch = 8
    r.escape = EscapePlan(base: base)
    (r.escape.findBatch, r.escape.findIterations, r.escape.iterations, r.escape.repetitions) = (16, 40, 20, 2)
    (r.escape.recordPoints, r.escape.lambdaEvery, r.escape.samples) = (4, 10, 100)
    return r
  }

  @Test func resultsRoundTripAndTheReportDrawsEveryChart() throws {
    let root = ExperimentTests.folder()
    let plan = Self.tiny()
    let results = try plan.run(root: root, command: "test", versions: ["flatland": "test"], threads: 2)
    #expect(results.verdicts.map(\.claim) == [1, 2, 3])
    #expect(results.verdicts.allSatisfy { !$0.comparisons.isEmpty })
    #expect(results.sweep.runs.count == 12 && results.sweep.fit != nil)
    #expect(results.figures.shapes.map(\.strategy) == ["centralized", "consensus", "diffusion"])
    let back = try ReproductionResults.read(folder: root)
    let file = try String(contentsOfFile: root + "/results.json", encoding: .utf8)
    #expect(try JSONRendering.string(back) == file, "results.json reads back to the same JSON")
    #expect(back.verdicts == results.verdicts && back.sweep.runs == results.sweep.runs)
    let document = try ExperimentReport.document(back)
    #expect(document.problems.isEmpty, "\(document.problems)")
    let html = try String(contentsOfFile: root + "/report.html", encoding: .utf8)
    #expect(html == document.html())
    for id in ["verdicts", "escape", "sweep", "shape", "rerun"] { #expect(html.contains("id=\"\(id)\"")) }
    let again = try plan.run(root: root, command: "test", versions: ["flatland": "test"], threads: 1)
    #expect(again.verdicts == results.verdicts && again.sweep == results.sweep && again.escape == results.escape)
  }

  @Test func badInputIsRefusedBeforeAnyFileIsWritten() throws {
    var plan = Self.tiny()
    plan.sweep.batches = [8, 100_000]
    let root = ExperimentTests.folder()
    #expect { try plan.run(root: root, command: "", versions: [:]) } throws: {
      ($0 as? FlatlandError)?.message.contains("batch") == true
    }
    #expect(!FileManager.default.fileExists(atPath: root))
    plan = Self.tiny()
    plan.sweep.base.dataset = "csv:/nonexistent/file.csv"
    #expect(throws: FlatlandError.self) { try plan.run(root: root, command: "", versions: [:]) }
    #expect(!FileManager.default.fileExists(atPath: root))
    #expect(throws: FlatlandError.self) { try ReproductionResults.read(folder: root) }
  }
}
