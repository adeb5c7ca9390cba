import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments
import Foundation
import Testing

/// Opening a trained run: its data from the folder's config, its centroid, and the errors.
@Suite struct OpenedRunTests {
  @Test func aRunFolderNamesItsDataAndItsCentroidIsTheAgentsMean() throws {
    let run = try TrainedRun.opened()
    #expect(run.dataset == TrainedRun.dataset)
    #expect(run.config?.agents == 4)
    #expect(run.objective.sampleCount == 200)
    let agents = try (0..<run.agents).map { try run.agent($0) }
    let centroid = run.centroid
    #expect(centroid.count == run.network.parameterCount)
    var worst = 0.0
    for j in centroid.indices {
      let mean = agents.reduce(0.0) { $0 + Double($1[j]) } / 4
      worst = max(worst, abs(Double(centroid[j]) - mean))
    }
    #expect(worst < 1e-6, "largest centroid error \(worst)")
    #expect(agents[0] != agents[1], "diffusion agents should disagree after 60 iterations")
  }

  @Test func aBareCheckpointNeedsADataSpecAndTheRightShape() throws {
    let bare = NSTemporaryDirectory() + "flatland-bare-\(UUID()).bin"
    try FileManager.default.copyItem(atPath: TrainedRun.folder + "/checkpoint.bin", toPath: bare)
    #expect(throws: FlatlandError.self) { try OpenedRun(bare, samples: 10) }
    do {
      _ = try OpenedRun(bare, samples: 10)
    } catch let e as FlatlandError {
      #expect(e.message.contains("--dataset"))
    }
    let run = try OpenedRun(bare, dataset: TrainedRun.dataset, samples: 10)
    #expect(run.config == nil && run.objective.sampleCount == 10)
    #expect(throws: FlatlandError.self) { try OpenedRun(bare, dataset: "synthetic:gaussians:3,10", samples: 10) }
  }
}
