import FlatlandCore
import FlatlandModels
import FlatlandStrategies

/// The state of the whole network at an evaluation point: the centroid w̄ = (1/K) Σ_k w_k and
/// its train/test performance and gradient norm, each agent's own test and train performance,
/// and the disagreement (1/K) Σ_k ‖w_k − w̄‖²; and the SWA average's train/test performance
/// when the run keeps one that holds a centroid.
struct NetworkMetrics {
  var trainCentroid: LossStats
  var gradNorm: Double
  var testCentroid: LossStats
  var trainAgents: [LossStats]
  var testAgents: [LossStats]
  var disagreement: Double
  var trainSWA: LossStats?
  var testSWA: LossStats?

  /// Throws when any parameter is not finite, naming the agent.
  init(
    parameters w: AgentVectors, average: UnsafeBufferPointer<Float>?, experiment e: Experiment, iteration: Int,
    strategy: String
  ) throws {
    for k in 0..<w.agents where !w[k].allSatisfy(\.isFinite) {
      throw FlatlandError(
        .numeric, "\(strategy) diverged at iteration \(iteration): agent \(k) has non-finite parameters")
    }
    let centroid = w.centroid()
    disagreement = VectorMath.meanSquaredDistance(w.rowViews, to: centroid)
    (trainCentroid, gradNorm) = centroid.withUnsafeBufferPointer { e.trainEvaluator.gradientNorm($0) }
    testCentroid = centroid.withUnsafeBufferPointer { e.testEvaluator.stats($0) }
    trainAgents = e.agentTrainEvaluator.stats(agents: w)
    testAgents = e.agentTestEvaluator.stats(agents: w)
    trainSWA = average.map { e.trainEvaluator.stats($0) }
    testSWA = average.map { e.testEvaluator.stats($0) }
  }

  func record(
    iteration: Int, epoch: Double, samples: Int, wallSeconds: Double, samplesPerSecond: Double, stepSize: Double
  ) -> MetricsRecord {
    func mean(_ s: [LossStats], _ f: (LossStats) -> Double) -> Double { s.reduce(0) { $0 + f($1) } / Double(s.count) }
    return MetricsRecord(
      iteration: iteration, epoch: epoch, samples: samples, wallSeconds: wallSeconds,
      samplesPerSecond: samplesPerSecond,
      stepSize: stepSize, trainLossCentroid: trainCentroid.loss, trainAccuracyCentroid: trainCentroid.accuracy,
      trainLossAgentsMean: mean(trainAgents, \.loss), trainAccuracyAgentsMean: mean(trainAgents, \.accuracy),
      testLossCentroid: testCentroid.loss, testAccuracyCentroid: testCentroid.accuracy,
      testLossAgentsMean: mean(testAgents, \.loss), testAccuracyAgentsMean: mean(testAgents, \.accuracy),
      testAccuracyWorstAgent: testAgents.map(\.accuracy).min() ?? 0, disagreement: disagreement,
      gradNormCentroid: gradNorm, trainLossSWA: trainSWA?.loss, trainAccuracySWA: trainSWA?.accuracy,
      testLossSWA: testSWA?.loss, testAccuracySWA: testSWA?.accuracy)
  }
}
