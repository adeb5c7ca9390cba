import FlatlandCore
import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation
import Testing

/// SWA inside a run: the checkpoint's average is the mean of the centroids it was due to see,
/// the metrics evaluate it once it holds one, and a resumed run ends with the same average.
@Suite struct WeightAveragingRunTests {
  func config(iterations: Int, swa: String? = "5,2") -> TrainingConfig {
    var c = SmallTraining.config(iterations: iterations, momentum: 0)
    c.swa = swa
    return c
  }

  func train(_ c: TrainingConfig, at url: URL, resume: Bool = false, observe: ((Int, AgentVectors) -> Void)? = nil)
    throws -> (Checkpoint, RunSummary, [MetricsRecord])
  {
    let run = try StrategyRun(
      experiment: Experiment(c, threads: 2), strategy: Strategy(.diffusion), folder: url,
      communicator: InProcessCommunicator(agents: c.agents, threads: 2), resume: resume)
    let summary = try run.run(progress: { _ in }, observe: observe.map { f in { i, w in f(i, w) } })
    return (
      try Checkpoint.read(from: url.appendingPathComponent(Checkpoint.fileName).path), summary,
      try MetricsRecord.read(folder: url)
    )
  }

  func folder() -> URL { SmallTraining.folder("diffusion") }

  @Test func theAverageIsTheMeanOfTheDueCentroidsAndIsEvaluated() throws {
    var centroids: [[Double]] = []
    let (checkpoint, _, records) = try train(config(iterations: 12), at: folder()) { i, w in
      guard [5, 7, 9, 11].contains(i) else { return }
      centroids.append((0..<w.length).map { j in (0..<w.agents).map { Double(w[$0][j]) }.reduce(0, +) / 4 })
    }
    #expect(checkpoint.header.sharedBuffers == ["swa"])
    let average = try checkpoint.parameters(at: .swa)
    var worst = 0.0
    for j in average.indices {
      let mean = centroids.map { $0[j] }.reduce(0, +) / Double(centroids.count)
      worst = max(worst, abs(Double(average[j]) - mean) / max(1, abs(mean)))
    }
    #expect(worst < 1e-5, "largest relative difference \(worst)")
    #expect(average != checkpoint.parameters.centroid())
    #expect(records.map(\.iteration) == [0, 4, 8, 12])
    #expect(records[0].testAccuracySWA == nil && records[1].testAccuracySWA == nil)
    #expect(records[2].testAccuracySWA != nil && records[3].trainLossSWA != nil)
    #expect(records[3].trainLossSWA! > 0 && records[3].trainLossSWA != records[3].trainLossCentroid)
  }

  /// The one-row SWA buffer counts in the size the header implies: a file missing part of it is
  /// refused, naming the shared rows, and an intact one reads back the same average.
  @Test func aCheckpointWithATruncatedAverageIsRefused() throws {
    let url = folder()
    let (checkpoint, _, _) = try train(config(iterations: 8), at: url)
    let path = url.appendingPathComponent(Checkpoint.fileName).path
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(try Checkpoint.read(from: path).buffers["swa"]!.rows == checkpoint.buffers["swa"]!.rows)
    let cut = NSTemporaryDirectory() + "flatland-swa-cut-\(UUID().uuidString).bin"
    try bytes.dropLast(8).write(to: URL(fileURLWithPath: cut))
    let error = try #require(throws: FlatlandError.self) { try Checkpoint.read(from: cut) }
    #expect(error.message.contains("(4 agents × \(checkpoint.header.parameterCount) parameters × 1 + 1 shared rows)"))
  }

  @Test func aResumedRunEndsWithTheSameAverage() throws {
    let (whole, _, _) = try train(config(iterations: 12), at: folder())
    let url = folder()
    let (early, _, _) = try train(config(iterations: 8), at: url)
    #expect(early.header.buffers == ["swa"])
    let (resumed, _, _) = try train(config(iterations: 12), at: url, resume: true)
    #expect(resumed.parameters.rows == whole.parameters.rows)
    #expect(resumed.buffers["swa"]!.rows == whole.buffers["swa"]!.rows)
  }

  @Test func aRunWithoutAveragingHasNoSWAPointAndAStartPastTheEndIsRefused() throws {
    let (plain, _, _) = try train(config(iterations: 4, swa: nil), at: folder())
    #expect(throws: FlatlandError.self) { try plain.parameters(at: .swa) }
    #expect(
      throws: FlatlandError.invalid(
        "swa", "13", accepted: "a start within the run's 12 iterations (the average would stay empty)")
    ) { try Experiment(config(iterations: 12, swa: "13"), threads: 1) }
  }
}
