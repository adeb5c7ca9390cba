import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments
import Testing

/// `train --init`: every agent starts at a given model, and a model of another shape is refused.
@Suite struct InitTests {
  @Test func everyAgentStartsAtTheCentroidOrAtAChosenAgent() throws {
    let run = try TrainedRun.opened(samples: 10)
    var c = ExperimentTests.base()
    c.initFrom = TrainedRun.folder
    let start = try Experiment(c, threads: 1).initialParameters()
    #expect(start.rows.allSatisfy { $0 == run.centroid })
    c.initFrom = TrainedRun.folder + ",agent=2"
    #expect(try Experiment(c, threads: 1).initialParameters().rows.allSatisfy { $0 == (try run.agent(2)) })
  }

  @Test func anotherModelOrABadPointIsRefusedBeforeWork() throws {
    var c = ExperimentTests.base()
    c.model = "mlp:9"
    c.initFrom = TrainedRun.folder
    #expect { try Experiment(c, threads: 1) } throws: {
      ($0 as? FlatlandError)?.message.contains("a checkpoint of this run's model mlp:9") == true
    }
    c.model = "mlp:8"
    c.initFrom = TrainedRun.folder + ",agent=9"
    #expect(throws: FlatlandError.self) { try Experiment(c, threads: 1) }
    c.initFrom = TrainedRun.folder + ",bogus"
    #expect(throws: FlatlandError.self) { try Experiment(c, threads: 1) }
  }
}
