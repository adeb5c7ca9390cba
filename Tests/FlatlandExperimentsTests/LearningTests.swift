import FlatlandEngines
import FlatlandExperiments
import FlatlandStrategies
import Foundation
import Testing

/// Real learning on real data: plain SGD (one agent) on Fashion-MNIST.
@Suite struct LearningTests {
  @Test func sgdOnFashionMNISTLearns() throws {
    var c = TrainingConfig()
    c.model = "mlp:64"
    c.agents = 1
    c.strategies = ["centralized"]
    c.batch = 32
    c.lr = 0.1
    c.iterations = 400
    c.evalEvery = 400
    c.evalSamples = 2000
    c.agentEvalSamples = 500
    let e = try Experiment(c)
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("flatland-learn-\(UUID().uuidString)")
    let run = try StrategyRun(
      experiment: e, strategy: Strategy(.centralized), folder: url, communicator: InProcessCommunicator(agents: 1),
      resume: false)
    let summary = try run.run { _ in }
    // 12,800 samples (a fifth of an epoch) of SGD take a 64-unit MLP from 10% to above 75%.
    #expect(summary.final.testAccuracyCentroid > 0.75, "test accuracy \(summary.final.testAccuracyCentroid)")
  }
}
